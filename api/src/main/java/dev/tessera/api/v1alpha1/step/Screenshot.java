package dev.tessera.api.v1alpha1.step;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Takes a screenshot of the page, kept as an artifact of the Attempt. */
@JsonTypeName("screenshot")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Screenshot(
    @JsonPropertyDescription("Name of the screenshot artifact.")
        @Required
        @Pattern("^[A-Za-z_][A-Za-z0-9_]*$")
        String as,
    @JsonPropertyDescription("Capture the full scrollable page instead of the viewport.")
        Boolean fullPage)
    implements Action {
  public Screenshot {
    Action.required(as, "screenshot.as");
  }

  @Override
  public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
    return visitor.visit(this);
  }
}

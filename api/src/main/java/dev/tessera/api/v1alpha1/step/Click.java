package dev.tessera.api.v1alpha1.step;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.fabric8.generator.annotation.Required;

/** Clicks an element. */
@JsonTypeName("click")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Click(
    @JsonPropertyDescription("Playwright selector of the element to click.") @Required
        String selector)
    implements Action {
  public Click {
    Action.required(selector, "click.selector");
  }

  @Override
  public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
    return visitor.visit(this);
  }
}

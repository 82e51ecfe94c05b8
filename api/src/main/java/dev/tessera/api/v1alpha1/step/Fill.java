package dev.tessera.api.v1alpha1.step;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.fabric8.generator.annotation.Required;

/** Types a value into an input field. */
@JsonTypeName("fill")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Fill(
    @JsonPropertyDescription("Playwright selector of the input to fill.") @Required String selector,
    @JsonPropertyDescription(
            "Value to type. May use $(params.x), $(credentials.x) and $(totp(credentials.x)).")
        @Required
        String value)
    implements Action {
  public Fill {
    Action.required(selector, "fill.selector");
    Action.required(value, "fill.value");
  }

  @Override
  public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
    return visitor.visit(this);
  }
}

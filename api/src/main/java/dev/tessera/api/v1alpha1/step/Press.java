package dev.tessera.api.v1alpha1.step;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.fabric8.generator.annotation.Required;

/** Presses a key, on an element or on the focused element. */
@JsonTypeName("press")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Press(
    @JsonPropertyDescription(
            "Playwright selector of the element that receives the key; the focused element when omitted.")
        String selector,
    @JsonPropertyDescription("Key to press, in Playwright key syntax (Enter, Tab, Control+A).")
        @Required
        String key)
    implements Action {
  public Press {
    Action.required(key, "press.key");
  }

  @Override
  public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
    return visitor.visit(this);
  }
}

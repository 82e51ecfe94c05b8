package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Presses a key, on an element or on the focused element. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PressAction {
  @JsonPropertyDescription(
      "Playwright selector of the element that receives the key; the focused element when omitted.")
  private String selector;

  @JsonPropertyDescription("Key to press, in Playwright key syntax (Enter, Tab, Control+A).")
  @Required
  private String key;

  public String getSelector() {
    return selector;
  }

  public void setSelector(String selector) {
    this.selector = selector;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }
}

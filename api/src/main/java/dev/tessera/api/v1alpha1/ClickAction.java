package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Clicks an element. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClickAction {
  @JsonPropertyDescription("Playwright selector of the element to click.")
  @Required
  private String selector;

  public String getSelector() {
    return selector;
  }

  public void setSelector(String selector) {
    this.selector = selector;
  }
}

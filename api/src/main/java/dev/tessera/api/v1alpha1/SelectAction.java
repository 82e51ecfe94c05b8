package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Chooses an option of a select element. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SelectAction {
  @JsonPropertyDescription("Playwright selector of the select element.")
  @Required
  private String selector;

  @JsonPropertyDescription("Value or label of the option to choose.")
  @Required
  private String value;

  public String getSelector() {
    return selector;
  }

  public void setSelector(String selector) {
    this.selector = selector;
  }

  public String getValue() {
    return value;
  }

  public void setValue(String value) {
    this.value = value;
  }
}

package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Types a value into an input field. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FillAction {
  @JsonPropertyDescription("Playwright selector of the input to fill.")
  @Required
  private String selector;

  @JsonPropertyDescription(
      "Value to type. May use $(params.x), $(credentials.x) and $(totp(credentials.x)).")
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

package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** Waits until an element, a URL or a load state is reached. */
@ValidationRule(
    value = "has(self.selector) || has(self.url) || has(self.loadState)",
    message = "waitFor needs a selector, a url or a loadState")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WaitForAction {
  @JsonPropertyDescription("Playwright selector of the element to wait for.")
  private String selector;

  @JsonPropertyDescription(
      "State the element must reach: attached, detached, visible or hidden. Default visible.")
  @Pattern("^(attached|detached|visible|hidden)$")
  private String state;

  @JsonPropertyDescription("Glob pattern (e.g. **/dashboard) the page URL must match.")
  private String url;

  @JsonPropertyDescription("Load state to wait for: load, domcontentloaded or networkidle.")
  @Pattern("^(load|domcontentloaded|networkidle)$")
  private String loadState;

  public String getSelector() {
    return selector;
  }

  public void setSelector(String selector) {
    this.selector = selector;
  }

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getLoadState() {
    return loadState;
  }

  public void setLoadState(String loadState) {
    this.loadState = loadState;
  }
}

package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Asserts something about the page; the step fails when it does not hold. */
@ValidationRule(
    value = "has(self.selector) || has(self.url)",
    message = "expect needs a selector or a url")
@ValidationRule(
    value = "!(has(self.text) || has(self.visible) || has(self.count)) || has(self.selector)",
    message = "text, visible and count need a selector")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExpectAction {
  @JsonPropertyDescription("Playwright selector of the element the expectation is about.")
  private String selector;

  @JsonPropertyDescription("Text the element must contain.")
  private String text;

  @JsonPropertyDescription(
      "Whether the element must be visible (true) or absent or hidden (false). Default true when a selector is given.")
  private Boolean visible;

  @JsonPropertyDescription("Exact number of elements the selector must match.")
  @Min(0)
  @Max(10000)
  private Integer count;

  @JsonPropertyDescription("Glob pattern (e.g. **/dashboard) the page URL must match.")
  private String url;

  public String getSelector() {
    return selector;
  }

  public void setSelector(String selector) {
    this.selector = selector;
  }

  public String getText() {
    return text;
  }

  public void setText(String text) {
    this.text = text;
  }

  public Boolean getVisible() {
    return visible;
  }

  public void setVisible(Boolean visible) {
    this.visible = visible;
  }

  public Integer getCount() {
    return count;
  }

  public void setCount(Integer count) {
    this.count = count;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }
}

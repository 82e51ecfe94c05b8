package dev.tessera.api.v1alpha1.step;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Asserts something about the page; the step fails when it does not hold. */
@JsonTypeName("expect")
@ValidationRule(value = Expect.TARGET_RULE, message = Expect.TARGET_MESSAGE)
@ValidationRule(value = Expect.ELEMENT_RULE, message = Expect.ELEMENT_MESSAGE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Expect(
    @JsonPropertyDescription("Playwright selector of the element the expectation is about.")
        String selector,
    @JsonPropertyDescription("Text the element must contain.") String text,
    @JsonPropertyDescription(
            "Whether the element must be visible (true) or absent or hidden (false). Default true when a selector is given.")
        Boolean visible,
    @JsonPropertyDescription("Exact number of elements the selector must match.")
        @Min(0)
        @Max(10000)
        Integer count,
    @JsonPropertyDescription("Glob pattern (e.g. **/dashboard) the page URL must match.")
        String url)
    implements Action {
  static final String TARGET_RULE = "has(self.selector) || has(self.url)";
  static final String TARGET_MESSAGE = "expect needs a selector or a url";
  static final String ELEMENT_RULE =
      "!(has(self.text) || has(self.visible) || has(self.count)) || has(self.selector)";
  static final String ELEMENT_MESSAGE = "text, visible and count need a selector";

  public Expect {
    if (selector == null && url == null) {
      throw new IllegalArgumentException(TARGET_MESSAGE);
    }
    if ((text != null || visible != null || count != null) && selector == null) {
      throw new IllegalArgumentException(ELEMENT_MESSAGE);
    }
  }

  @Override
  public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
    return visitor.visit(this);
  }
}

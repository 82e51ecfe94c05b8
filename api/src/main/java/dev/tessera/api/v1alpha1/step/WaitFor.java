package dev.tessera.api.v1alpha1.step;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** Waits until an element, a URL or a load state is reached. */
@JsonTypeName("waitFor")
@ValidationRule(value = WaitFor.RULE, message = WaitFor.MESSAGE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WaitFor(
    @JsonPropertyDescription("Playwright selector of the element to wait for.") String selector,
    @JsonPropertyDescription(
            "State the element must reach: attached, detached, visible or hidden. Default visible.")
        @Pattern("^(attached|detached|visible|hidden)$")
        String state,
    @JsonPropertyDescription("Glob pattern (e.g. **/dashboard) the page URL must match.")
        String url,
    @JsonPropertyDescription("Load state to wait for: load, domcontentloaded or networkidle.")
        @Pattern("^(load|domcontentloaded|networkidle)$")
        String loadState)
    implements Action {
  static final String RULE = "has(self.selector) || has(self.url) || has(self.loadState)";
  static final String MESSAGE = "waitFor needs a selector, a url or a loadState";

  public WaitFor {
    if (selector == null && url == null && loadState == null) {
      throw new IllegalArgumentException(MESSAGE);
    }
  }

  @Override
  public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
    return visitor.visit(this);
  }
}

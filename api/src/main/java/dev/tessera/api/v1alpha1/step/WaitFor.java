package dev.tessera.api.v1alpha1.step;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * Waits until an element, a URL or a load state is reached, or until the page shows one of several
 * outcomes ({@code anyOf}) and does what that outcome means.
 */
@JsonTypeName("waitFor")
@ValidationRule(value = WaitFor.RULE, message = WaitFor.MESSAGE)
@ValidationRule(value = WaitFor.ANY_OF_RULE, message = WaitFor.ANY_OF_MESSAGE)
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
        String loadState,
    @JsonPropertyDescription(
            "Outcomes to wait for, the first the page shows wins: each a visible element or a"
                + " URL, and what it means (then: Continue, Fail or RejectCredentials). Decides as"
                + " soon as one shows, instead of waiting out the timeout for the one that does"
                + " not.")
        @Size(min = 2, max = 10)
        List<Outcome> anyOf)
    implements Action {
  static final String RULE =
      "has(self.selector) || has(self.url) || has(self.loadState) || has(self.anyOf)";
  static final String MESSAGE = "waitFor needs a selector, a url, a loadState or anyOf";
  static final String ANY_OF_RULE =
      "!has(self.anyOf) || !(has(self.selector) || has(self.state) || has(self.url)"
          + " || has(self.loadState))";
  static final String ANY_OF_MESSAGE =
      "anyOf stands alone: put each selector or url in one of its outcomes";

  public WaitFor {
    if (selector == null && url == null && loadState == null && anyOf == null) {
      throw new IllegalArgumentException(MESSAGE);
    }
    if (anyOf != null && (selector != null || state != null || url != null || loadState != null)) {
      throw new IllegalArgumentException(ANY_OF_MESSAGE);
    }
    if (anyOf != null && (anyOf.size() < 2 || anyOf.size() > 10)) {
      throw new IllegalArgumentException("anyOf lists 2 to 10 outcomes");
    }
    anyOf = anyOf == null ? null : List.copyOf(anyOf);
  }

  /** A wait for an element to become visible. */
  public static WaitFor selector(String selector) {
    return new WaitFor(selector, null, null, null, null);
  }

  /** A wait for the first of these outcomes the page shows. */
  public static WaitFor anyOf(Outcome... outcomes) {
    return new WaitFor(null, null, null, null, List.of(outcomes));
  }

  @Override
  public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
    return visitor.visit(this);
  }
}

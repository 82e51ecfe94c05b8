package dev.tessera.api.v1alpha1.step;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * One of the outcomes a {@code waitFor.anyOf} waits for: an element becoming visible or the page
 * reaching a URL, and what it means when it is the one the page shows.
 *
 * @param selector Playwright selector of an element whose appearance is this outcome
 * @param url glob pattern of a URL whose reaching is this outcome
 * @param then what the outcome means: go on (the default), fail the step, or, in the create API's
 *     steps, the site rejected the credentials
 */
@ValidationRule(value = Outcome.RULE, message = Outcome.MESSAGE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Outcome(
    @JsonPropertyDescription("Playwright selector of an element whose appearance is this outcome.")
        String selector,
    @JsonPropertyDescription(
            "Glob pattern (e.g. **/login*) of a URL whose reaching is this outcome.")
        String url,
    @JsonPropertyDescription(
            "What this outcome means: Continue (the default) goes on with the next step; Fail"
                + " fails the step at once, without waiting out its timeout and without further"
                + " tries; RejectCredentials (create steps only) ends the login with"
                + " CredentialsRejected and the element's text, and no login is tried again with"
                + " the same credentials.")
        Then then) {
  static final String RULE = "has(self.selector) != has(self.url)";
  static final String MESSAGE = "an outcome has either a selector or a url";

  /** What an outcome means. */
  public enum Then {
    /** The step passes and the next one runs. */
    Continue,
    /** The step fails with {@code OutcomeFailed}; a check that fails so is not tried again. */
    Fail,
    /**
     * The site refused the credentials: the create ends with {@code CredentialsRejected} and the
     * text of the element, and nothing logs in with the same credentials again.
     */
    RejectCredentials
  }

  public Outcome {
    if ((selector == null) == (url == null)) {
      throw new IllegalArgumentException(MESSAGE);
    }
  }

  /** What the outcome means, {@link Then#Continue} when not said. */
  public Then thenOrDefault() {
    return then == null ? Then.Continue : then;
  }
}

package dev.tessera.runner.attempt;

import dev.tessera.api.protocol.AttemptInput;
import dev.tessera.api.v1alpha1.ApiDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks an input before the browser starts, so that a malformed definition fails at once with
 * {@code InvalidInput} instead of half-way through a login. The CRD enforces the same rules; this
 * covers inputs that did not pass through an API server. Each step was checked as it was read: a
 * {@link dev.tessera.api.v1alpha1.step.Step} has exactly one action, with the fields it needs.
 */
public final class InputCheck {
  private InputCheck() {}

  /** The first problem found, or empty when the input can run. */
  public static Optional<String> problem(AttemptInput input) {
    List<String> problems = new ArrayList<>();
    switch (input.operation()) {
      case API -> {
        require(input.api(), "an API Attempt needs api", problems);
        definition("api " + input.apiName(), input.api(), problems);
        definition("check", input.check(), problems);
        if (input.check() != null) {
          positive("checkAttempts", input.checkAttemptsOrDefault(), problems);
        }
      }
      case CREATE -> {
        require(input.create(), "a CREATE needs create", problems);
        require(input.check(), "a CREATE needs check", problems);
        definition("create", input.create(), problems);
        definition("check", input.check(), problems);
        positive("createAttempts", input.createAttemptsOrDefault(), problems);
        positive("checkAttempts", input.checkAttemptsOrDefault(), problems);
      }
      case RECORD -> {
        require(input.recording(), "a RECORD needs recording", problems);
        require(input.check(), "a RECORD needs check", problems);
        definition("check", input.check(), problems);
        positive("checkAttempts", input.checkAttemptsOrDefault(), problems);
        if (input.recording() != null
            && (input.recording().startUrl() == null
                || input.recording().token() == null
                || input.recording().token().isEmpty())) {
          problems.add("a recording needs a startUrl and a token");
        }
      }
      case CHECK -> {
        require(input.check(), "a CHECK needs check", problems);
        require(input.storageState(), "a CHECK needs storageState", problems);
        definition("check", input.check(), problems);
        positive("checkAttempts", input.checkAttemptsOrDefault(), problems);
      }
    }
    positive("stepTimeoutSeconds", input.stepTimeoutSecondsOrDefault(), problems);
    positive("resultLimitBytes", input.resultLimitBytesOrDefault(), problems);
    if (input.storageState() != null && !input.storageState().isObject()) {
      problems.add("storageState must be an object with cookies and origins");
    }
    return problems.stream().findFirst();
  }

  private static void require(Object value, String message, List<String> problems) {
    if (value == null) {
      problems.add(message);
    }
  }

  private static void positive(String field, int value, List<String> problems) {
    if (value < 1) {
      problems.add(field + " must be at least 1, got " + value);
    }
  }

  private static void definition(String what, ApiDefinition api, List<String> problems) {
    if (api == null) {
      return;
    }
    boolean hasSteps = api.getSteps() != null;
    boolean hasClass = api.getClassName() != null && !api.getClassName().isBlank();
    if (hasSteps == hasClass) {
      problems.add(what + ": " + ApiDefinition.ONE_KIND);
    }
  }
}

package dev.tessera.runner.attempt;

import dev.tessera.api.protocol.AttemptInput;
import dev.tessera.api.v1alpha1.ApiDefinition;
import dev.tessera.api.v1alpha1.ExpectAction;
import dev.tessera.api.v1alpha1.ExtractAction;
import dev.tessera.api.v1alpha1.Step;
import dev.tessera.api.v1alpha1.WaitForAction;
import dev.tessera.runner.step.StepLabel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks an input before the browser starts, so that a malformed definition fails at once with
 * {@code InvalidInput} instead of half-way through a login. The CRD enforces the same rules; this
 * covers inputs that did not pass through an API server.
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
      problems.add(what + ": set exactly one of steps or className");
      return;
    }
    if (!hasSteps) {
      return;
    }
    List<Step> steps = api.getSteps();
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      if (step == null) {
        problems.add(what + ": step " + (i + 1) + " is empty");
        continue;
      }
      List<String> actions = StepLabel.actionsOf(step);
      if (actions.size() != 1) {
        problems.add(
            what
                + ": step "
                + (i + 1)
                + " has "
                + (actions.isEmpty() ? "no action" : "the actions " + actions)
                + "; a step has exactly one of goto, fill, click, press, select, waitFor, expect,"
                + " extract, request, screenshot");
        continue;
      }
      String missing = missingField(step);
      if (missing != null) {
        problems.add(what + ": " + StepLabel.of(step, i + 1) + " needs " + missing);
      }
    }
  }

  private static String missingField(Step step) {
    if (step.getFill() != null) {
      return blank(step.getFill().getSelector())
          ? "fill.selector"
          : step.getFill().getValue() == null ? "fill.value" : null;
    }
    if (step.getClick() != null) {
      return blank(step.getClick().getSelector()) ? "click.selector" : null;
    }
    if (step.getPress() != null) {
      return blank(step.getPress().getKey()) ? "press.key" : null;
    }
    if (step.getSelect() != null) {
      return blank(step.getSelect().getSelector())
          ? "select.selector"
          : step.getSelect().getValue() == null ? "select.value" : null;
    }
    if (step.getWaitFor() != null) {
      WaitForAction w = step.getWaitFor();
      return blank(w.getSelector()) && blank(w.getUrl()) && blank(w.getLoadState())
          ? "waitFor.selector, waitFor.url or waitFor.loadState"
          : null;
    }
    if (step.getExpect() != null) {
      ExpectAction e = step.getExpect();
      if (blank(e.getSelector()) && blank(e.getUrl())) {
        return "expect.selector or expect.url";
      }
      boolean needsSelector = e.getText() != null || e.getVisible() != null || e.getCount() != null;
      return needsSelector && blank(e.getSelector())
          ? "expect.selector (text, visible and count are about an element)"
          : null;
    }
    if (step.getExtract() != null) {
      ExtractAction x = step.getExtract();
      return blank(x.getAs()) ? "extract.as" : blank(x.getSelector()) ? "extract.selector" : null;
    }
    if (step.getRequest() != null) {
      return blank(step.getRequest().getUrl()) ? "request.url" : null;
    }
    if (step.getScreenshot() != null) {
      return blank(step.getScreenshot().getAs()) ? "screenshot.as" : null;
    }
    return blank(step.getGoTo()) ? "a URL" : null;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}

package dev.tessera.runner.step;

import dev.tessera.api.v1alpha1.ExpectAction;
import dev.tessera.api.v1alpha1.RequestAction;
import dev.tessera.api.v1alpha1.Step;
import dev.tessera.api.v1alpha1.WaitForAction;
import java.util.ArrayList;
import java.util.List;

/**
 * How a step is named in errors and logs: its {@code name}, or its position and action, as in
 * {@code step 3 (click #login-button)}. Labels show the templates as written, never rendered
 * values, so they cannot leak a credential.
 */
public final class StepLabel {
  /** Long arguments (a data: URL) are cut to keep labels readable. */
  static final int MAX_ACTION = 80;

  private StepLabel() {}

  /** The label of the step at this 1-based position. */
  public static String of(Step step, int position) {
    if (step.getName() != null && !step.getName().isBlank()) {
      return step.getName();
    }
    String action = describe(step);
    if (action.length() > MAX_ACTION) {
      action = action.substring(0, MAX_ACTION) + "...";
    }
    return "step " + position + " (" + action + ")";
  }

  /** The action and its main argument, for example {@code fill #username}. */
  public static String describe(Step step) {
    if (step.getGoTo() != null) {
      return "goto " + step.getGoTo();
    }
    if (step.getFill() != null) {
      return "fill " + step.getFill().getSelector();
    }
    if (step.getClick() != null) {
      return "click " + step.getClick().getSelector();
    }
    if (step.getPress() != null) {
      String target = step.getPress().getSelector();
      return "press " + step.getPress().getKey() + (target == null ? "" : " on " + target);
    }
    if (step.getSelect() != null) {
      return "select " + step.getSelect().getSelector();
    }
    if (step.getWaitFor() != null) {
      WaitForAction w = step.getWaitFor();
      return "waitFor " + firstOf(w.getSelector(), w.getUrl(), w.getLoadState());
    }
    if (step.getExpect() != null) {
      ExpectAction e = step.getExpect();
      return "expect " + firstOf(e.getSelector(), e.getUrl());
    }
    if (step.getExtract() != null) {
      return "extract " + step.getExtract().getAs();
    }
    if (step.getRequest() != null) {
      RequestAction r = step.getRequest();
      return "request " + (r.getMethod() == null ? "GET" : r.getMethod()) + " " + r.getUrl();
    }
    if (step.getScreenshot() != null) {
      return "screenshot " + step.getScreenshot().getAs();
    }
    return "no action";
  }

  /** The actions a step sets; a valid step has exactly one. */
  public static List<String> actionsOf(Step step) {
    List<String> actions = new ArrayList<>();
    add(actions, "goto", step.getGoTo());
    add(actions, "fill", step.getFill());
    add(actions, "click", step.getClick());
    add(actions, "press", step.getPress());
    add(actions, "select", step.getSelect());
    add(actions, "waitFor", step.getWaitFor());
    add(actions, "expect", step.getExpect());
    add(actions, "extract", step.getExtract());
    add(actions, "request", step.getRequest());
    add(actions, "screenshot", step.getScreenshot());
    return actions;
  }

  private static void add(List<String> actions, String name, Object action) {
    if (action != null) {
      actions.add(name);
    }
  }

  private static String firstOf(String... values) {
    for (String v : values) {
      if (v != null) {
        return v;
      }
    }
    return "";
  }
}

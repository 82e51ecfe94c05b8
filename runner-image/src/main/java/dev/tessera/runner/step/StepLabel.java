package dev.tessera.runner.step;

import dev.tessera.api.v1alpha1.step.Action;
import dev.tessera.api.v1alpha1.step.Click;
import dev.tessera.api.v1alpha1.step.Expect;
import dev.tessera.api.v1alpha1.step.Extract;
import dev.tessera.api.v1alpha1.step.Fill;
import dev.tessera.api.v1alpha1.step.Goto;
import dev.tessera.api.v1alpha1.step.Press;
import dev.tessera.api.v1alpha1.step.Request;
import dev.tessera.api.v1alpha1.step.Screenshot;
import dev.tessera.api.v1alpha1.step.Select;
import dev.tessera.api.v1alpha1.step.Step;
import dev.tessera.api.v1alpha1.step.WaitFor;

/**
 * How a step is named in errors and logs: its {@code name}, or its position and action, as in
 * {@code step 3 (click #login-button)}. Labels show the templates as written, never rendered
 * values, so they cannot leak a credential.
 */
public final class StepLabel {
  /** Long arguments (a data: URL) are cut to keep labels readable. */
  static final int MAX_ACTION = 80;

  /** The action's key and its main argument. */
  private static final Action.Visitor<String, RuntimeException> DESCRIBE =
      new Action.Visitor<>() {
        @Override
        public String visit(Goto action) {
          return action.url();
        }

        @Override
        public String visit(Fill action) {
          return action.selector();
        }

        @Override
        public String visit(Click action) {
          return action.selector();
        }

        @Override
        public String visit(Press action) {
          return action.key() + (action.selector() == null ? "" : " on " + action.selector());
        }

        @Override
        public String visit(Select action) {
          return action.selector();
        }

        @Override
        public String visit(WaitFor action) {
          if (action.anyOf() != null) {
            return "anyOf "
                + String.join(
                    " | ",
                    action.anyOf().stream()
                        .map(o -> o.selector() != null ? o.selector() : o.url())
                        .toList());
          }
          return firstOf(action.selector(), action.url(), action.loadState());
        }

        @Override
        public String visit(Expect action) {
          return firstOf(action.selector(), action.url());
        }

        @Override
        public String visit(Extract action) {
          return action.as();
        }

        @Override
        public String visit(Request action) {
          return (action.method() == null ? "GET" : action.method()) + " " + action.url();
        }

        @Override
        public String visit(Screenshot action) {
          return action.as();
        }
      };

  private StepLabel() {}

  /** The label of the step at this 1-based position. */
  public static String of(Step step, int position) {
    if (step.name() != null && !step.name().isBlank()) {
      return step.name();
    }
    String action = describe(step);
    if (action.length() > MAX_ACTION) {
      action = action.substring(0, MAX_ACTION) + "...";
    }
    return "step " + position + " (" + action + ")";
  }

  /** The action and its main argument, for example {@code fill #username}. */
  public static String describe(Step step) {
    return Action.keyOf(step.action()) + " " + step.action().accept(DESCRIBE);
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

package dev.tessera.api.v1alpha1.step;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * One declarative browser step: an optional name and time limit, and exactly one action. Written in
 * YAML as one object ({@code name: log in, click: {selector: "#login"}}); {@link StepJson} reads
 * and writes that shape.
 *
 * @param name shown in errors and logs; the action and its position when null
 * @param timeoutSeconds how long the step may take; the project's stepTimeoutSeconds when null
 * @param action what the step does, never null
 */
@JsonSerialize(using = StepJson.Writer.class)
@JsonDeserialize(using = StepJson.Reader.class)
public record Step(String name, Integer timeoutSeconds, Action action) {
  public Step {
    if (action == null) {
      throw new IllegalArgumentException("a step needs an action");
    }
  }

  /** A step with no name of its own and the default time limit. */
  public static Step of(Action action) {
    return new Step(null, null, action);
  }

  /** This step with a name. */
  public Step named(String name) {
    return new Step(name, timeoutSeconds, action);
  }

  /** This step with its own time limit. */
  public Step withTimeoutSeconds(Integer timeoutSeconds) {
    return new Step(name, timeoutSeconds, action);
  }
}

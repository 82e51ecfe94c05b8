package dev.tessera.api.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An error reported by the runner: a stable code, a message without secrets, whether another
 * Attempt may help, and the step that failed when a step failed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunnerError(ErrorCode code, String message, boolean retriable, String step) {

  /** An error with the code's default retriability and no step. */
  public static RunnerError of(ErrorCode code, String message) {
    return new RunnerError(code, message, code.retriable(), null);
  }

  /** An error of a named step. */
  public static RunnerError ofStep(ErrorCode code, String step, String message) {
    return new RunnerError(code, message, code.retriable(), step);
  }

  /**
   * The error as people read it, each fact once: {@code SelectorNotFound at step 2 (click #x):
   * ...}.
   */
  public String describe() {
    return code + (step == null ? "" : " at " + step) + ": " + message;
  }
}

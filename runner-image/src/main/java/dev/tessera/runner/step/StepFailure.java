package dev.tessera.runner.step;

import dev.tessera.api.protocol.ErrorCode;
import dev.tessera.api.protocol.RunnerError;

/** A declarative step failed: the code, the step's label and a message that names the step. */
public final class StepFailure extends Exception {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final String step;
  private final String detail;
  private final boolean retriable;

  public StepFailure(ErrorCode code, String step, String detail) {
    this(code, step, detail, code.retriable());
  }

  /**
   * @param retriable whether another try may pass: false when the site gave a definite answer (a
   *     4xx to a request) even where the code is retriable in general
   */
  public StepFailure(ErrorCode code, String step, String detail, boolean retriable) {
    super(step + ": " + detail);
    this.code = code;
    this.step = step;
    this.detail = detail;
    this.retriable = retriable;
  }

  public ErrorCode code() {
    return code;
  }

  public String step() {
    return step;
  }

  /** The error to report: the step in its own field, the message saying what went wrong there. */
  public RunnerError toError() {
    return new RunnerError(code, detail, retriable, step);
  }
}

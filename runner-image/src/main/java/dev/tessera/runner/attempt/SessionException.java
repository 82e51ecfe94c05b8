package dev.tessera.runner.attempt;

import dev.tessera.api.protocol.RunnerError;

/** The browser or one of its contexts could not be set up; carries the error to report. */
public class SessionException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient RunnerError error;

  public SessionException(RunnerError error, Throwable cause) {
    super(error.message(), cause);
    this.error = error;
  }

  /** The error to report. */
  public RunnerError error() {
    return error;
  }
}

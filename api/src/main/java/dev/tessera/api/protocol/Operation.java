package dev.tessera.api.protocol;

/** What a runner does in one Attempt. */
public enum Operation {
  /** Validate the given state with {@code check} (when a check is given), then run the API. */
  API,
  /** Log in with {@code create}, then confirm with {@code check}; returns the new state. */
  CREATE,
  /** Run {@code check} against the given state and report whether it is valid. */
  CHECK,
  /**
   * Serve a hosted browser at the recording's start URL for a human to log in with, then confirm
   * with {@code check}; returns the new state.
   */
  RECORD
}

package dev.tessera.api.v1alpha1;

/** The phases of an AuthSession, as {@code status.phase} names them. */
public enum SessionPhase {
  /** Waiting for its project, credentials or proxy Secret, or (Runtime) for its first Run. */
  Pending,
  /** An operation logs it in. */
  Creating,
  /** A recording's hosted browser waits for a human to log in. */
  AwaitingRecording,
  /** Its state passed its last check. */
  Ready,
  /** Its state failed its checks, or cannot be read; the next Run that may recreate it will. */
  Expired,
  /** The site refused its credentials (or the recording failed): a human must act. */
  Failed;

  /** Whether {@code phase} (a status value, possibly null) names this phase. */
  public boolean is(String phase) {
    return name().equals(phase);
  }
}

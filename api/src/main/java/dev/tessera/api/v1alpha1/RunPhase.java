package dev.tessera.api.v1alpha1;

/** The phases of a Run, as {@code status.phase} names them. */
public enum RunPhase {
  /** Not admitted yet, or waiting before its first Attempt. */
  Pending,
  /** An Attempt runs, or waits for its session. */
  Running,
  /** An Attempt succeeded. */
  Succeeded,
  /** Every Attempt failed, or one failed in a way another would repeat. */
  Failed,
  /** An Attempt was canceled (a dependency was unmet), or the user canceled the Run. */
  Canceled,
  /** Admission refused the Run: it could never run as written. */
  Rejected;

  /** Whether a Run in this phase is over. */
  public boolean isFinished() {
    return this == Succeeded || this == Failed || this == Canceled || this == Rejected;
  }

  /** Whether the phase named by {@code phase} (a status value, possibly null) is final. */
  public static boolean isFinished(String phase) {
    return phase != null
        && (Succeeded.name().equals(phase)
            || Failed.name().equals(phase)
            || Canceled.name().equals(phase)
            || Rejected.name().equals(phase));
  }

  /** Whether {@code phase} (a status value, possibly null) names this phase. */
  public boolean is(String phase) {
    return name().equals(phase);
  }
}

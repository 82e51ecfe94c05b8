package dev.tessera.api.v1alpha1;

/** The phases of a JobRun, as {@code status.phase} names them. */
public enum JobRunPhase {
  /** Not started yet. */
  Pending,
  /** Its check of the session runs, before any Run. */
  Validating,
  /** Its Runs run. */
  Running,
  /** No new Run starts: paused by the user, or its session cannot be made valid. */
  Paused,
  /** Every Run succeeded. */
  Succeeded,
  /** It ended with Runs that failed or were canceled, or could not start. */
  Failed,
  /** Canceled before its end: by the user, by a newer JobRun, or for its session. */
  Canceled
}

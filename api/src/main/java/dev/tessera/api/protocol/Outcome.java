package dev.tessera.api.protocol;

/** How an Attempt ended, as the runner saw it. */
public enum Outcome {
  /** The operation did what it was asked. */
  SUCCEEDED,
  /** The API ran and failed: another Attempt may be made. */
  FAILED,
  /**
   * A dependency was unmet (the session could not be validated or created): the API never ran, so
   * the Attempt is canceled, not failed.
   */
  DEPENDENCY_FAILED
}

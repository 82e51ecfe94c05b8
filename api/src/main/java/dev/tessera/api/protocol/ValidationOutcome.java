package dev.tessera.api.protocol;

/** How the validate-first phase of an Attempt ended. */
public enum ValidationOutcome {
  /** The project has no authentication; nothing was validated. */
  NotRequired,
  /** A check passed. */
  Valid,
  /** The state was (re)created and a check passed right after. */
  Created,
  /** Every check failed. */
  Invalid,
  /** Every create failed. */
  CreateFailed,
  /** A create succeeded, but every check after it failed. */
  PostCreateCheckFailed
}

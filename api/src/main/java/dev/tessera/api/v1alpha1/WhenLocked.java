package dev.tessera.api.v1alpha1;

/**
 * What a Run or a JobRun does when its AuthSession is locked as it starts (an operation is creating
 * or recreating the session's state).
 */
public enum WhenLocked {
  /**
   * It waits, Pending with {@code Admitted=False} ({@code AuthSessionLocked}), and starts once the
   * lock is released, within its start timeout.
   */
  Wait,
  /**
   * It does not start: a Run ends Rejected and a JobRun Canceled, with {@code AuthSessionLocked},
   * at once. The caller learns at once that the session is changing, and retries when it chooses.
   */
  Reject;

  /** The policy of a Run or JobRun: {@link #Wait} when it names none. */
  public static WhenLocked orDefault(WhenLocked policy) {
    return policy == null ? Wait : policy;
  }
}

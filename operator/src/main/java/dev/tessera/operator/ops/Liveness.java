package dev.tessera.operator.ops;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether this operator process still does its work: it is live until its controllers stop for good
 * (the operator stops, it loses the leadership it held, or an informer stops), and never live again
 * after that. A standby replica that waits for the leadership is live.
 */
public final class Liveness {
  /** The operator is stopping or has stopped. */
  public static final String STOPPED = "OperatorStopped";

  /** Another replica took the leader Lease while this one held it. */
  public static final String LEADERSHIP_LOST = "LeadershipLost";

  /** An informer stopped with an error after it had synced: the cache no longer follows the API. */
  public static final String INFORMER_STOPPED = "InformerStopped";

  private final AtomicReference<String> failure = new AtomicReference<>();

  /**
   * Records that the controllers stopped for {@code reason} (one of the constants). The first
   * reason is kept.
   *
   * @return whether this call was the first, and so changed the answer
   */
  public boolean fail(String reason) {
    return failure.compareAndSet(null, reason);
  }

  public boolean isLive() {
    return failure.get() == null;
  }

  /** Why the process is no longer live, or empty while it is. */
  public Optional<String> failure() {
    return Optional.ofNullable(failure.get());
  }
}

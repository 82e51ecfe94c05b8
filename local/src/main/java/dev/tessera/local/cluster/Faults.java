package dev.tessera.local.cluster;

import java.time.Duration;
import java.util.Objects;

/**
 * Faults the embedded API injects into the requests of one client, to see how that client copes
 * with an API server that fails now and then. Off by default ({@link #NONE}); turned on with {@link
 * EmbeddedCluster.Builder#faults(Faults)}.
 *
 * <p>Only requests whose {@code User-Agent} starts with {@link #userAgent()} are touched, so that
 * the other clients of the same API (the local executor, a test's own bookkeeping, kubectl) see a
 * healthy server. Each request draws at most one fault:
 *
 * <ul>
 *   <li>a write ({@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE}) is answered {@code 500
 *       InternalError} with a share of {@link #serverErrors()}, and an update ({@code PUT}, {@code
 *       PATCH}) {@code 409 Conflict} with a share of {@link #conflicts()}, as when another writer
 *       changed the object first; either way the write is not carried out. Creates are never
 *       answered 409: from a real server that means the object exists;
 *   <li>a watch is cut, with a share of {@link #droppedWatches()}, at a random moment within {@link
 *       #watchLifetime()} of its start: the connection is closed without a word, as when a load
 *       balancer or an API server restarting drops it;
 *   <li>any other request (a write that drew no fault, a get or a list) is answered {@link
 *       #slowDelay()} late with a share of {@link #slowAnswers()}.
 * </ul>
 *
 * @param userAgent the prefix of the {@code User-Agent} of the requests to touch
 * @param serverErrors share of writes answered 500, from 0 to 1
 * @param conflicts share of updates answered 409
 * @param droppedWatches share of watches cut
 * @param watchLifetime how long a watch that is cut lives at most
 * @param slowAnswers share of the other requests answered late
 * @param slowDelay how late
 */
public record Faults(
    String userAgent,
    double serverErrors,
    double conflicts,
    double droppedWatches,
    Duration watchLifetime,
    double slowAnswers,
    Duration slowDelay) {

  /** No faults: the default. */
  public static final Faults NONE =
      new Faults("", 0, 0, 0, Duration.ofSeconds(1), 0, Duration.ZERO);

  public Faults {
    Objects.requireNonNull(userAgent, "userAgent");
    Objects.requireNonNull(watchLifetime, "watchLifetime");
    Objects.requireNonNull(slowDelay, "slowDelay");
    share(serverErrors, "serverErrors");
    share(conflicts, "conflicts");
    share(droppedWatches, "droppedWatches");
    share(slowAnswers, "slowAnswers");
    if (serverErrors + conflicts > 1) {
      throw new IllegalArgumentException("serverErrors + conflicts must not exceed 1");
    }
    if (watchLifetime.isNegative() || watchLifetime.isZero()) {
      throw new IllegalArgumentException("watchLifetime must be positive");
    }
    if (slowDelay.isNegative()) {
      throw new IllegalArgumentException("slowDelay must not be negative");
    }
  }

  private static void share(double value, String name) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be between 0 and 1, not " + value);
    }
  }

  /** Whether any fault can be drawn. */
  public boolean enabled() {
    return serverErrors > 0 || conflicts > 0 || droppedWatches > 0 || slowAnswers > 0;
  }

  /**
   * How many faults an embedded API injected so far.
   *
   * @param serverErrors writes answered 500
   * @param conflicts writes answered 409
   * @param droppedWatches watches cut
   * @param slowAnswers requests answered late
   */
  public record Injected(
      long serverErrors, long conflicts, long droppedWatches, long slowAnswers) {}
}

package dev.tessera.demosite;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A fault hook for tests: holds every {@code POST /login} for a while after it arrives, before the
 * site reads the credentials, so that a test can act (kill the client, say) while a login is in
 * flight. A test then {@linkplain #drop() drops} the held logins: they are answered without being
 * looked at, as if the request had never reached the site's login logic, so that a login whose
 * client is gone is never counted. Off (no delay) unless a test turns it on.
 */
final class LoginHold {
  private Duration delay = Duration.ZERO;
  private long drops;
  private int held;

  /** Holds each login that arrives from now on for {@code delay}; zero turns the hold off. */
  synchronized void delay(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, got " + delay);
    }
    this.delay = delay;
  }

  /** How many logins are held right now. */
  synchronized int held() {
    return held;
  }

  /** Ends the hold of every login held right now, which then goes unanswered by the login logic. */
  synchronized int drop() {
    int dropped = held;
    drops++;
    notifyAll();
    return dropped;
  }

  /**
   * Waits out the delay of a login that has just arrived. Returns false when the login was dropped
   * meanwhile, true when it may go on.
   */
  synchronized boolean await() throws InterruptedException {
    if (delay.isZero()) {
      return true;
    }
    long dropsWhenArrived = drops;
    long deadline = System.nanoTime() + delay.toNanos();
    held++;
    try {
      while (drops == dropsWhenArrived) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return true;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return false;
    } finally {
      held--;
    }
  }
}

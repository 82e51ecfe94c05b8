package dev.tessera.operator.results;

/**
 * How many unauthenticated requests the results endpoint answers: a bucket of {@code capacity} that
 * refills at {@code perSecond}; beyond it, requests are answered 429 without a log line, so that a
 * flood costs neither the API, nor the log, nor much CPU.
 */
final class UnauthenticatedBudget {
  private final double capacity;
  private final double perNano;
  private double available;
  private long last;

  UnauthenticatedBudget(int capacity, int perSecond) {
    this.capacity = capacity;
    this.perNano = perSecond / 1e9;
    this.available = capacity;
    this.last = System.nanoTime();
  }

  /** Takes one from the bucket; false when it is empty. */
  synchronized boolean tryTake() {
    long now = System.nanoTime();
    available = Math.min(capacity, available + (now - last) * perNano);
    last = now;
    if (available < 1) {
      return false;
    }
    available -= 1;
    return true;
  }
}

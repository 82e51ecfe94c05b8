package dev.tessera.operator;

/**
 * Sizes the JVM's common fork-join pool before anything uses it.
 *
 * <p>With one or two CPUs, the common pool has a single thread, and {@code CompletableFuture} then
 * runs every asynchronous step without an executor of its own on a new thread. fabric8's HTTP
 * client takes such steps on every request, so an operator limited to two CPUs started thousands of
 * threads a minute: about a quarter of its CPU went to starting threads (measured with {@code
 * scripts/bench-operator}, docs/performance.md). With a common pool of at least {@link #MINIMUM}
 * threads, those steps run on the pool's threads.
 */
public final class CommonPool {
  /** The JVM's setting of the common pool's size. */
  public static final String PROPERTY = "java.util.concurrent.ForkJoinPool.common.parallelism";

  /** The smallest common pool the operator runs with. */
  public static final int MINIMUM = 4;

  private CommonPool() {}

  /**
   * Sets the common pool's size to {@link #MINIMUM} when the JVM would make it smaller and nobody
   * set it: call first thing in {@code main}, since the JVM reads the setting once, when the pool
   * is first used.
   */
  public static void size() {
    size(System.getProperties(), Runtime.getRuntime().availableProcessors());
  }

  /** Sets the size in {@code properties} for a JVM with {@code processors} CPUs. */
  static void size(java.util.Properties properties, int processors) {
    // the JVM's own default is one thread fewer than the CPUs
    if (properties.getProperty(PROPERTY) == null && processors - 1 < MINIMUM) {
      properties.setProperty(PROPERTY, Integer.toString(MINIMUM));
    }
  }
}

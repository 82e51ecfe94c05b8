package dev.tessera.runner.log;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.function.Supplier;

/** Milliseconds since the runner process started: the unit of the result's timings and logs. */
public final class ProcessClock {
  private final long startEpochMillis;
  private final Supplier<Instant> now;

  ProcessClock(long startEpochMillis, Supplier<Instant> now) {
    this.startEpochMillis = startEpochMillis;
    this.now = now;
  }

  /**
   * The clock of this process, from the JVM's start. (The operating system's process start time,
   * {@code ProcessHandle.Info.startInstant()}, is derived on Linux from a boot time counted in
   * whole seconds, so it can be off by up to a second.)
   */
  public static ProcessClock ofCurrentProcess() {
    return new ProcessClock(ManagementFactory.getRuntimeMXBean().getStartTime(), Instant::now);
  }

  /** A clock that started at {@code start}, for tests. */
  public static ProcessClock startedAt(Instant start, Supplier<Instant> now) {
    return new ProcessClock(start.toEpochMilli(), now);
  }

  /** Milliseconds elapsed since the process started. */
  public long millisSinceStart() {
    return Math.max(0, now.get().toEpochMilli() - startEpochMillis);
  }
}

package dev.tessera.operator;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the operator process, in a bounded time: an orderly stop when it can, a halt when the stop
 * hangs.
 *
 * <p>{@link System#exit} runs the shutdown hooks and waits for them, holding the lock that every
 * later exit waits for. Whoever calls it must therefore hold nothing the hooks need: the Java
 * Operator SDK calls it from the leader elector's renewal thread, inside {@code
 * LeaderElector.tryAcquireOrRenew}, which is synchronized on the elector; the hook's {@code
 * Operator.stop} then cancels the election, which calls the synchronized {@code
 * LeaderElector.stopLeading}, and waits for that same monitor forever. So the operator never lets
 * the SDK exit: it exits from a thread of its own ({@link #exit}), and the hook ({@link
 * #shutdownHook}) stops the operator on another thread and waits for it for a bounded time only,
 * while a watchdog halts the JVM if the hooks have not finished after {@link #HALT_AFTER}.
 */
public final class ProcessExit {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessExit.class);

  /** How long the shutdown hook waits for the operator's orderly stop. */
  public static final Duration STOP_BUDGET = Duration.ofSeconds(8);

  /** How long after the exit began the watchdog halts the JVM, hooks finished or not. */
  public static final Duration HALT_AFTER = Duration.ofSeconds(10);

  /** The exit code of a process that stopped because it could no longer do its work. */
  public static final int FATAL = 1;

  private static final AtomicBoolean EXITING = new AtomicBoolean();
  private static final AtomicBoolean WATCHED = new AtomicBoolean();

  private ProcessExit() {}

  /**
   * Ends the process with {@code code}, from a new thread, so that the caller (an SDK or client
   * thread that may hold locks the shutdown hooks need) returns at once. Later calls do nothing.
   */
  public static void exit(int code, String reason) {
    if (!EXITING.compareAndSet(false, true)) {
      return;
    }
    LOG.error("the operator exits with code {}: {}", code, reason);
    startWatchdog(code);
    Thread exit = new Thread(() -> System.exit(code), "tessera-exit");
    exit.start();
  }

  /**
   * A shutdown hook that runs {@code stop} on a thread of its own and waits for it at most {@link
   * #STOP_BUDGET}; a watchdog halts the JVM with code {@link #FATAL} if the hooks are still running
   * {@link #HALT_AFTER} after the hook began.
   */
  public static Thread shutdownHook(Runnable stop) {
    return new Thread(
        () -> {
          startWatchdog(FATAL);
          Thread stopping = new Thread(stop, "tessera-stop");
          stopping.setDaemon(true);
          stopping.start();
          try {
            stopping.join(STOP_BUDGET.toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          if (stopping.isAlive()) {
            LOG.error(
                "the operator did not stop within {} s; the process ends without waiting for it",
                STOP_BUDGET.toSeconds());
          }
        },
        "tessera-shutdown");
  }

  private static void startWatchdog(int code) {
    if (!WATCHED.compareAndSet(false, true)) {
      return;
    }
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(HALT_AFTER.toMillis());
              } catch (InterruptedException e) {
                return;
              }
              // no logger: its appenders may be what hangs, and their own hooks may have run
              System.err.printf(
                  "the operator's shutdown did not finish within %d s: halting%n",
                  HALT_AFTER.toSeconds());
              Runtime.getRuntime().halt(code);
            },
            "tessera-exit-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }
}

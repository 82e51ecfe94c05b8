package dev.tessera.runner.log;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The runner's log: one line per event on stderr, each prefixed with the milliseconds since the
 * process started, every line passed through the {@link Redactor}.
 */
public final class RunnerLog {
  private final PrintStream out;
  private final ProcessClock clock;
  private volatile Redactor redactor = Redactor.none();

  public RunnerLog(PrintStream out, ProcessClock clock) {
    this.out = out;
    this.clock = clock;
  }

  /** Masks these secrets in every later line. */
  public void redactWith(Redactor redactor) {
    this.redactor = redactor;
  }

  /** The redactor in use. */
  public Redactor redactor() {
    return redactor;
  }

  /** Logs one event; {@code format} follows {@link String#format}. */
  public void info(String format, Object... args) {
    String message = args.length == 0 ? format : String.format(Locale.ROOT, format, args);
    String line =
        "[tessera-runner +"
            + clock.millisSinceStart()
            + "ms] "
            + redactor.redact(message).replace('\n', ' ').replace('\r', ' ');
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }
}

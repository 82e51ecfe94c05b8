package dev.tessera.demosite;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** Command line entry point that runs a demo site until the process is stopped. */
public final class DemoSiteMain {

  static final String USAGE =
      """
      Usage: java -jar demo-site.jar --port N [--host H] [--session-lifetime SECONDS]
                                    [--lockout-after N]

        --port N                    port to listen on (0 picks any free port)
        --host H                    address to bind to (default 127.0.0.1)
        --session-lifetime SECONDS  how long a login stays valid (default 1800)
        --lockout-after N           lock an account after N failed logins in a row
                                    (default 3, 0 never locks)
        --help                      print this help and exit
      """;

  /** A command line that could not be understood. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  private DemoSiteMain() {}

  public static void main(String[] args) {
    DemoSite.Options options;
    try {
      options = parse(args);
    } catch (UsageException e) {
      System.err.println("demo-site: " + e.getMessage());
      System.err.println("Run with --help for usage.");
      System.exit(2);
      return;
    }
    if (options == null) {
      System.out.print(USAGE);
      System.out.flush();
      return;
    }
    DemoSite site;
    try {
      site = DemoSite.start(options);
    } catch (UncheckedIOException e) {
      System.err.println("demo-site: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  site.close();
                  stopped.countDown();
                },
                "demo-site-shutdown"));
    PrintStream out = System.out;
    out.println("demo site listening on " + site.baseUrl());
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The options the arguments ask for, or {@code null} when they ask for help. */
  static DemoSite.Options parse(String[] args) throws UsageException {
    DemoSite.Options options = DemoSite.Options.defaults();
    boolean portGiven = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      switch (name) {
        case "--help", "-h" -> {
          return null;
        }
        case "--port" -> {
          if (value == null) {
            value = next(args, ++i, name);
          }
          int port = parseNumber(name, value);
          if (port > 65_535) {
            throw new UsageException("--port must be between 0 and 65535, got " + value);
          }
          options = options.withPort(port);
          portGiven = true;
        }
        case "--host" -> {
          if (value == null) {
            value = next(args, ++i, name);
          }
          if (value.isBlank()) {
            throw new UsageException("--host must not be empty");
          }
          options = options.withHost(value);
        }
        case "--session-lifetime" -> {
          if (value == null) {
            value = next(args, ++i, name);
          }
          int seconds = parseNumber(name, value);
          if (seconds == 0) {
            throw new UsageException("--session-lifetime must be at least 1 second");
          }
          options = options.withSessionLifetime(Duration.ofSeconds(seconds));
        }
        case "--lockout-after" -> {
          if (value == null) {
            value = next(args, ++i, name);
          }
          options = options.withLockoutAfter(parseNumber(name, value));
        }
        default -> throw new UsageException("unknown argument: " + arg);
      }
    }
    if (!portGiven) {
      throw new UsageException("missing required option --port");
    }
    return options;
  }

  private static String next(String[] args, int index, String name) throws UsageException {
    if (index >= args.length || args[index].startsWith("--")) {
      throw new UsageException(name + " needs a value");
    }
    return args[index];
  }

  private static int parseNumber(String name, String value) throws UsageException {
    int number;
    try {
      number = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      number = -1;
    }
    if (number < 0) {
      throw new UsageException(
          name + " needs a whole number that is not negative, got '" + value + "'");
    }
    return number;
  }
}

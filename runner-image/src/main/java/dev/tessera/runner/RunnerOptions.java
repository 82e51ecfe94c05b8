package dev.tessera.runner;

import java.net.URI;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The runner's command line. Each option can also come from an environment variable; a flag wins
 * over its variable.
 *
 * @param input the AttemptInput file ({@code -} for stdin)
 * @param output where the AttemptResult goes; null for stdout
 * @param artifacts where screenshots go
 * @param chromium the Chromium executable
 * @param plugins a directory of Java APIs (jars, or itself a class folder); null for none
 * @param terminationLog where the one-line summary for Kubernetes goes; null for none
 * @param results where to report the result instead of a file; null for none
 */
public record RunnerOptions(
    Path input,
    Path output,
    Path artifacts,
    Path chromium,
    Path plugins,
    Path terminationLog,
    Results results) {

  /**
   * The operator's results endpoint.
   *
   * @param url the operator's results URL
   * @param tokenFile the file holding this Attempt's one-time token
   * @param namespace the Attempt Pod's namespace
   * @param pod the Attempt Pod's name
   */
  public record Results(URI url, Path tokenFile, String namespace, String pod) {}

  /** Debian's Chromium binary (the real one, not the wrapper script in /usr/bin). */
  public static final Path DEFAULT_CHROMIUM = Path.of("/usr/lib/chromium/chromium");

  /** Printed on bad usage. */
  public static final String USAGE =
      String.join(
          "\n",
          "usage: java -jar tessera-runner.jar --input FILE [--output FILE] [--artifacts DIR]",
          "           [--chromium PATH] [--plugins DIR] [--termination-log FILE]",
          "           [--results-url URL --results-token-file FILE --attempt-namespace NS",
          "            --attempt-pod POD]",
          "",
          "  --input FILE            the AttemptInput JSON, '-' for stdin      (TESSERA_INPUT)",
          "  --output FILE           where the AttemptResult goes; default stdout (TESSERA_OUTPUT)",
          "  --artifacts DIR         where screenshots go                      (TESSERA_ARTIFACTS)",
          "  --chromium PATH         Chromium executable; default "
              + DEFAULT_CHROMIUM
              + " (TESSERA_CHROMIUM)",
          "  --plugins DIR           Java APIs: jars in DIR, DIR as a class folder (TESSERA_PLUGINS)",
          "  --termination-log FILE  one-line summary for Kubernetes   (TESSERA_TERMINATION_LOG)",
          "  --results-url URL       report to the operator instead of --output (TESSERA_RESULTS_URL)",
          "  --results-token-file F  the Attempt's one-time token (TESSERA_RESULTS_TOKEN_FILE)",
          "  --attempt-namespace NS  the Attempt Pod's namespace   (TESSERA_ATTEMPT_NAMESPACE)",
          "  --attempt-pod POD       the Attempt Pod's name        (TESSERA_ATTEMPT_POD)",
          "",
          "Exit status: 0 when a result was written (the outcome is in the result), 1 when no",
          "result could be written, 2 on bad usage.");

  /** The options' flags and environment variables. */
  private enum Option {
    INPUT("--input", "TESSERA_INPUT"),
    OUTPUT("--output", "TESSERA_OUTPUT"),
    ARTIFACTS("--artifacts", "TESSERA_ARTIFACTS"),
    CHROMIUM("--chromium", "TESSERA_CHROMIUM"),
    PLUGINS("--plugins", "TESSERA_PLUGINS"),
    TERMINATION_LOG("--termination-log", "TESSERA_TERMINATION_LOG"),
    RESULTS_URL("--results-url", "TESSERA_RESULTS_URL"),
    RESULTS_TOKEN_FILE("--results-token-file", "TESSERA_RESULTS_TOKEN_FILE"),
    ATTEMPT_NAMESPACE("--attempt-namespace", "TESSERA_ATTEMPT_NAMESPACE"),
    ATTEMPT_POD("--attempt-pod", "TESSERA_ATTEMPT_POD");

    final String flag;
    final String env;

    Option(String flag, String env) {
      this.flag = flag;
      this.env = env;
    }

    static Option ofFlag(String flag) {
      for (Option o : values()) {
        if (o.flag.equals(flag)) {
          return o;
        }
      }
      return null;
    }
  }

  /** Bad usage: a message for stderr, exit status 2. */
  public static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
      super(message);
    }
  }

  /** Whether the arguments ask for help. */
  public static boolean wantsHelp(String[] args) {
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Parses flags ({@code --name value} or {@code --name=value}) over the environment.
   *
   * @param defaultArtifacts the artifacts directory when none is set
   */
  public static RunnerOptions parse(String[] args, Map<String, String> env, Path defaultArtifacts)
      throws UsageException {
    Map<Option, String> values = new EnumMap<>(Option.class);
    for (Option o : Option.values()) {
      String fromEnv = env.get(o.env);
      if (fromEnv != null && !fromEnv.isBlank()) {
        values.put(o, fromEnv);
      }
    }
    Map<Option, String> fromFlags = new EnumMap<>(Option.class);
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      Option option = Option.ofFlag(name);
      if (option == null) {
        throw new UsageException("unknown argument: " + arg);
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new UsageException(name + " needs a value");
        }
        value = args[++i];
      }
      if (value.isBlank()) {
        throw new UsageException(name + " needs a value");
      }
      if (fromFlags.put(option, value) != null) {
        throw new UsageException(name + " is given twice");
      }
    }
    values.putAll(fromFlags);
    if (!values.containsKey(Option.INPUT)) {
      throw new UsageException("--input (or TESSERA_INPUT) is required");
    }
    Results results = null;
    if (values.containsKey(Option.RESULTS_URL)) {
      for (Option needed :
          List.of(Option.RESULTS_TOKEN_FILE, Option.ATTEMPT_NAMESPACE, Option.ATTEMPT_POD)) {
        if (!values.containsKey(needed)) {
          throw new UsageException(
              "--results-url needs " + needed.flag + " (or " + needed.env + ")");
        }
      }
      if (fromFlags.containsKey(Option.OUTPUT)) {
        throw new UsageException("--output and --results-url exclude each other");
      }
      URI url;
      try {
        url = URI.create(values.get(Option.RESULTS_URL));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--results-url is not a URL: " + e.getMessage());
      }
      results =
          new Results(
              url,
              Path.of(values.get(Option.RESULTS_TOKEN_FILE)),
              values.get(Option.ATTEMPT_NAMESPACE),
              values.get(Option.ATTEMPT_POD));
    }
    return new RunnerOptions(
        Path.of(values.get(Option.INPUT)),
        path(values.get(Option.OUTPUT)),
        values.containsKey(Option.ARTIFACTS)
            ? Path.of(values.get(Option.ARTIFACTS))
            : defaultArtifacts,
        values.containsKey(Option.CHROMIUM)
            ? Path.of(values.get(Option.CHROMIUM))
            : DEFAULT_CHROMIUM,
        path(values.get(Option.PLUGINS)),
        path(values.get(Option.TERMINATION_LOG)),
        results);
  }

  /** Whether the input comes from stdin. */
  public boolean inputFromStdin() {
    return input.toString().equals("-");
  }

  private static Path path(String value) {
    return value == null ? null : Path.of(value);
  }
}

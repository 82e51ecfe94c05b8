package dev.tessera.runner;

import dev.tessera.api.protocol.AttemptInput;
import dev.tessera.api.protocol.AttemptResult;
import dev.tessera.api.protocol.ErrorCode;
import dev.tessera.api.protocol.Outcome;
import dev.tessera.api.protocol.ProtocolJson;
import dev.tessera.api.protocol.ResultsPath;
import dev.tessera.api.protocol.RunnerError;
import dev.tessera.api.protocol.Timings;
import dev.tessera.runner.attempt.AttemptRunner;
import dev.tessera.runner.browser.Chromium;
import dev.tessera.runner.browser.SessionSettings;
import dev.tessera.runner.log.ProcessClock;
import dev.tessera.runner.log.Redactor;
import dev.tessera.runner.log.RunnerLog;
import dev.tessera.runner.network.NetworkGuard;
import dev.tessera.runner.plugin.JavaApis;
import dev.tessera.runner.result.Artifacts;
import dev.tessera.runner.result.FileResultSink;
import dev.tessera.runner.result.HttpResultSink;
import dev.tessera.runner.result.ResultSink;
import dev.tessera.runner.result.StreamResultSink;
import dev.tessera.runner.result.TerminationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one Attempt: reads an {@link AttemptInput}, drives Chromium through it and delivers an
 * {@link AttemptResult}. The exit status says only whether a result was delivered; how the Attempt
 * went is in the result.
 */
public final class RunnerMain {
  /** A result was delivered, whatever its outcome. */
  public static final int EXIT_DELIVERED = 0;

  /** No result could be delivered: the operator treats the Pod as crashed. */
  public static final int EXIT_UNDELIVERED = 1;

  /** Bad usage. */
  public static final int EXIT_USAGE = 2;

  /** How long the runner keeps trying to reach an operator that is restarting. */
  static final Duration RESULTS_DELIVERY_TIME = Duration.ofSeconds(90);

  private RunnerMain() {}

  public static void main(String[] args) {
    // stdout may carry the result: nothing else may write to it.
    PrintStream stdout = System.out;
    System.setOut(System.err);
    int status = run(args, System.getenv(), System.in, stdout, System.err);
    System.exit(status);
  }

  /** Runs the runner with explicit streams and environment; returns the exit status. */
  public static int run(
      String[] args,
      Map<String, String> env,
      InputStream stdin,
      OutputStream stdout,
      PrintStream stderr) {
    ProcessClock clock = ProcessClock.ofCurrentProcess();
    RunnerLog log = new RunnerLog(stderr, clock);
    if (RunnerOptions.wantsHelp(args)) {
      stderr.println(RunnerOptions.USAGE);
      return EXIT_DELIVERED;
    }
    RunnerOptions options;
    try {
      options =
          RunnerOptions.parse(
              args, env, Path.of(System.getProperty("java.io.tmpdir"), "tessera-artifacts"));
    } catch (RunnerOptions.UsageException e) {
      stderr.println("tessera-runner: " + e.getMessage());
      stderr.println(RunnerOptions.USAGE);
      return EXIT_USAGE;
    }
    ResultSink sink;
    try {
      sink = sinkOf(options, stdout);
    } catch (IOException e) {
      stderr.println("tessera-runner: " + e.getMessage());
      return EXIT_UNDELIVERED;
    }
    // The browser starts while the input is read; it is closed after the result is delivered.
    try (Chromium chromium = Chromium.startInBackground(options.chromium(), log, env)) {
      return run(options, env, stdin, sink, chromium, clock, log);
    }
  }

  private static int run(
      RunnerOptions options,
      Map<String, String> env,
      InputStream stdin,
      ResultSink sink,
      Chromium chromium,
      ProcessClock clock,
      RunnerLog log) {
    AttemptInput input;
    try {
      input = readInput(options, stdin);
    } catch (IOException | RuntimeException e) {
      String reason = e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
      log.info("the attempt input cannot be read: %s", reason);
      AttemptResult invalid =
          AttemptResult.of(
              Outcome.FAILED,
              null,
              null,
              null,
              RunnerError.of(ErrorCode.InvalidInput, "the attempt input cannot be read: " + reason),
              null,
              new Timings(null, null, clock.millisSinceStart()));
      return deliver(invalid, sink, options, log);
    }
    log.redactWith(Redactor.of(secretsOf(input)));
    String recorderPort = env.get("TESSERA_RECORDER_PORT");
    if (input instanceof AttemptInput.Recording recording
        && recorderPort != null
        && !recorderPort.isBlank()) {
      input = recording.withRecordingPort(Integer.parseInt(recorderPort.trim()));
    }

    Artifacts artifacts = new Artifacts(options.artifacts());
    JavaApis javaApis;
    try {
      javaApis = JavaApis.withPlugins(options.plugins(), RunnerMain.class.getClassLoader());
    } catch (IOException e) {
      log.info("the plugin directory %s cannot be read: %s", options.plugins(), e.getMessage());
      javaApis = new JavaApis(RunnerMain.class.getClassLoader());
    }
    NetworkGuard guard;
    try {
      guard = NetworkGuard.fromEnvironment(env);
    } catch (IllegalArgumentException e) {
      log.info("the runner's network settings are invalid: %s", e.getMessage());
      return deliver(
          AttemptResult.of(
              Outcome.FAILED,
              null,
              null,
              null,
              RunnerError.of(
                  ErrorCode.InvalidInput,
                  "the runner's network settings are invalid: " + e.getMessage()),
              null,
              new Timings(null, null, clock.millisSinceStart())),
          sink,
          options,
          log);
    }
    SessionSettings settings =
        new SessionSettings(
            input.parameters(),
            credentialsOf(input),
            Duration.ofSeconds(input.stepTimeoutSecondsOrDefault()),
            input.browser(),
            input.proxy(),
            artifacts,
            javaApis,
            Clock.systemUTC(),
            guard);
    AttemptResult result =
        AttemptRunner.withDefaults(clock, log).run(input, chromium.launcher(settings), artifacts);
    // Delivered before the browser closes: closing cannot lose a result.
    return deliver(result, sink, options, log);
  }

  private static ResultSink sinkOf(RunnerOptions options, OutputStream stdout) throws IOException {
    if (options.results() != null) {
      RunnerOptions.Results results = options.results();
      String token;
      try {
        token = Files.readString(results.tokenFile(), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new IOException("the results token cannot be read from " + results.tokenFile(), e);
      }
      return new HttpResultSink(
          ResultsPath.of(results.url(), results.namespace(), results.pod()),
          token,
          RESULTS_DELIVERY_TIME);
    }
    return options.output() == null
        ? new StreamResultSink(stdout)
        : new FileResultSink(options.output());
  }

  private static AttemptInput readInput(RunnerOptions options, InputStream stdin)
      throws IOException {
    if (options.inputFromStdin()) {
      return ProtocolJson.readInput(stdin);
    }
    try (InputStream in = Files.newInputStream(options.input())) {
      return ProtocolJson.readInput(in);
    }
  }

  private static int deliver(
      AttemptResult result, ResultSink sink, RunnerOptions options, RunnerLog log) {
    byte[] json = ProtocolJson.write(result);
    try {
      sink.deliver(json);
    } catch (IOException | RuntimeException e) {
      log.info("the result could not be delivered to %s: %s", sink.describe(), e.getMessage());
      writeTerminationLog(
          options,
          TerminationMessage.undelivered("result not delivered to " + sink.describe()),
          log);
      return EXIT_UNDELIVERED;
    }
    log.info("result delivered to %s (%d bytes)", sink.describe(), json.length);
    writeTerminationLog(options, TerminationMessage.of(result), log);
    return EXIT_DELIVERED;
  }

  private static void writeTerminationLog(RunnerOptions options, String line, RunnerLog log) {
    if (options.terminationLog() == null) {
      return;
    }
    try {
      Files.writeString(options.terminationLog(), line + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      log.info("the termination log %s cannot be written: %s", options.terminationLog(), e);
    }
  }

  /** Every value that must never appear in a log line or an error message. */
  static List<String> secretsOf(AttemptInput input) {
    List<String> secrets = new ArrayList<>(credentialsOf(input).values());
    if (input.proxy() != null && input.proxy().password() != null) {
      secrets.add(input.proxy().password());
    }
    if (input instanceof AttemptInput.Recording recording) {
      secrets.add(recording.recording().token());
    }
    return secrets;
  }

  /** The credentials, which only a create carries. */
  private static Map<String, String> credentialsOf(AttemptInput input) {
    Map<String, String> credentials = new HashMap<>();
    if (input instanceof AttemptInput.Create create) {
      create
          .credentials()
          .forEach(
              (k, v) -> {
                if (k != null && v != null) {
                  credentials.put(k, v);
                }
              });
    }
    return credentials;
  }

  private static String firstLine(String message) {
    return message == null ? "no details" : message.strip().lines().findFirst().orElse("");
  }
}

package dev.tessera.local.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.api.protocol.AttemptInput;
import dev.tessera.api.protocol.AttemptResult;
import dev.tessera.api.protocol.Outcome;
import dev.tessera.api.protocol.ProtocolJson;
import dev.tessera.api.protocol.ResultsPath;
import dev.tessera.api.protocol.Timings;
import dev.tessera.api.protocol.Validation;
import dev.tessera.api.protocol.ValidationOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A runner that answers at once, for orchestration benchmarks only: given the environment a runner
 * Pod's process would get, it reads the Attempt's input, makes up a successful {@link
 * AttemptResult} without any browser, and reports it to the operator's results endpoint exactly as
 * the runner does (same URL, token, headers and retries). See {@link
 * LocalExecutor.Builder#instantRunner(InstantRunner)}.
 *
 * <p>It answers for any project and API, so what it measures is the operator, the API and the
 * executor around a Run, never a runner or a site. No correctness test may rely on it.
 *
 * <p>The answer per operation mirrors what the runner reports when everything passes: an API
 * Attempt with a check validates with one check ({@code Valid}, no create) and returns {@code
 * {"instant":true}}; a create or a recording returns the state {@code {"cookies":[],"origins":[]}}
 * after one create and one check ({@code Created}); a check returns {@code true} after one check.
 *
 * <p>The environment it reads is the one the operator gives runner Pods ({@code AttemptPods}), its
 * paths already rewritten to the Pod's directory by the executor: {@code TESSERA_INPUT}, {@code
 * TESSERA_RESULTS_URL}, {@code TESSERA_RESULTS_TOKEN_FILE}, {@code TESSERA_ATTEMPT_NAMESPACE},
 * {@code TESSERA_ATTEMPT_POD}, and {@code TESSERA_TERMINATION_LOG}, where the runner's one-line
 * summary is written. Thread-safe: one instance (and its one HTTP client) serves every Pod.
 */
public class InstantRunner {
  /** A result was delivered (the runner's exit status for it). */
  public static final int EXIT_DELIVERED = 0;

  /** No result could be delivered. */
  public static final int EXIT_UNDELIVERED = 1;

  private static final String EMPTY_STATE = "{\"cookies\":[],\"origins\":[]}";

  private final HttpClient http;
  private final Duration giveUpAfter;

  /** An instant runner that retries delivery for 90 seconds, as the runner does. */
  public InstantRunner() {
    this(Duration.ofSeconds(90));
  }

  /**
   * An instant runner that retries delivery (connection failures, 5xx answers) for {@code
   * giveUpAfter}.
   */
  public InstantRunner(Duration giveUpAfter) {
    this.giveUpAfter = giveUpAfter;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /**
   * Answers the Attempt of one Pod: reads its input, reports a successful result, writes the
   * termination message, and returns the exit status the runner would ({@link #EXIT_DELIVERED} when
   * the endpoint took the result, {@link #EXIT_UNDELIVERED} otherwise).
   *
   * @param environment the Pod process's environment, paths rewritten to local ones
   * @param podDirectory the Pod's prepared directory (its container log is appended to)
   */
  public int answer(Map<String, String> environment, Path podDirectory) {
    Path log = podDirectory.resolve(PodLaunch.LOG);
    String terminationLog = environment.get(PodLaunch.TERMINATION_LOG_ENV);
    try {
      AttemptInput input = readInput(environment);
      AttemptResult result = resultFor(input);
      deliver(environment, ProtocolJson.write(result));
      appendLog(log, "instant runner: " + summary(result) + ", result delivered");
      writeTerminationLog(terminationLog, summary(result));
      return EXIT_DELIVERED;
    } catch (IOException | RuntimeException e) {
      appendLog(log, "instant runner: no result delivered: " + e.getMessage());
      writeTerminationLog(
          terminationLog, "outcome=none code=ResultNotDelivered reason=\"" + oneLine(e) + "\"");
      return EXIT_UNDELIVERED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      appendLog(log, "instant runner: interrupted before the result was delivered");
      return EXIT_UNDELIVERED;
    }
  }

  /** The package's entry: a Pod's launch plan, its directory already prepared. */
  int answer(PodLaunch.Plan plan) {
    return answer(plan.environment(), plan.log().getParent());
  }

  /**
   * The result reported for an input: what the runner reports when every step passes (see the class
   * comment). Subclasses may answer otherwise.
   */
  protected AttemptResult resultFor(AttemptInput input) {
    Timings timings = new Timings(0L, 0L, 0L);
    return input.accept(
        new AttemptInput.Visitor<AttemptResult, RuntimeException>() {
          @Override
          public AttemptResult visit(AttemptInput.Api api) {
            Validation validation =
                api.check() == null
                    ? Validation.notRequired()
                    : new Validation(1, 0, ValidationOutcome.Valid);
            ObjectNode result = JsonNodeFactory.instance.objectNode().put("instant", true);
            return AttemptResult.of(
                Outcome.SUCCEEDED, validation, result, null, null, null, timings);
          }

          @Override
          public AttemptResult visit(AttemptInput.Create create) {
            return created(timings);
          }

          @Override
          public AttemptResult visit(AttemptInput.Check check) {
            return AttemptResult.of(
                Outcome.SUCCEEDED,
                new Validation(1, 0, ValidationOutcome.Valid),
                BooleanNode.TRUE,
                null,
                null,
                null,
                timings);
          }

          @Override
          public AttemptResult visit(AttemptInput.Recording recording) {
            return created(timings);
          }
        });
  }

  private static AttemptResult created(Timings timings) {
    return AttemptResult.of(
        Outcome.SUCCEEDED,
        new Validation(1, 1, ValidationOutcome.Created),
        null,
        emptyState(),
        null,
        null,
        timings);
  }

  private static JsonNode emptyState() {
    try {
      return ProtocolJson.mapper().readTree(EMPTY_STATE);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static AttemptInput readInput(Map<String, String> environment) throws IOException {
    Path input = Path.of(required(environment, "TESSERA_INPUT"));
    try (InputStream in = Files.newInputStream(input)) {
      return ProtocolJson.readInput(in);
    }
  }

  /**
   * POSTs the result as the runner's {@code HttpResultSink} does: {@code <results
   * URL>/v1/attempts/<namespace>/<pod>/result}, {@code Authorization: Bearer <token>}, JSON;
   * connection failures and 5xx answers are tried again with backoff, a 409 (an earlier try got
   * through) or 413 (recorded as too big) counts as delivered, any other refusal is final.
   */
  private void deliver(Map<String, String> environment, byte[] json)
      throws IOException, InterruptedException {
    URI url =
        ResultsPath.of(
            URI.create(required(environment, "TESSERA_RESULTS_URL")),
            required(environment, "TESSERA_ATTEMPT_NAMESPACE"),
            required(environment, "TESSERA_ATTEMPT_POD"));
    Path tokenFile = Path.of(required(environment, "TESSERA_RESULTS_TOKEN_FILE"));
    String token;
    try {
      token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IOException("the results token cannot be read from " + tokenFile, e);
    }
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(json))
            .build();
    Instant deadline = Instant.now().plus(giveUpAfter);
    Duration pause = Duration.ofMillis(250);
    while (true) {
      IOException last;
      try {
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status / 100 == 2 || status == 409 || status == 413) {
          return;
        }
        if (status < 500) {
          throw new RefusedException(
              "the results endpoint refused the result with status " + status);
        }
        last = new IOException("the results endpoint answered " + status);
      } catch (RefusedException e) {
        throw e;
      } catch (IOException e) {
        last = e;
      }
      if (Instant.now().plus(pause).isAfter(deadline)) {
        throw last;
      }
      Thread.sleep(pause.toMillis());
      pause =
          pause.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0
              ? Duration.ofSeconds(5)
              : pause.multipliedBy(2);
    }
  }

  private static String required(Map<String, String> environment, String name) throws IOException {
    String value = environment.get(name);
    if (value == null || value.isBlank()) {
      throw new IOException(name + " is not set");
    }
    return value;
  }

  /** The runner's termination summary of a delivered result. */
  private static String summary(AttemptResult result) {
    StringBuilder line = new StringBuilder("outcome=").append(result.outcome());
    if (result.validation() != null) {
      line.append(" validation=")
          .append(result.validation().outcome())
          .append(" checks=")
          .append(result.validation().checks())
          .append(" creates=")
          .append(result.validation().creates());
    }
    return line.toString();
  }

  private static String oneLine(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.replace('\n', ' ').replace('\r', ' ').replace('"', '\'');
  }

  private static void writeTerminationLog(String file, String line) {
    if (file == null) {
      return;
    }
    try {
      Files.writeString(Path.of(file), line + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      // as the runner: the result is what counts
    }
  }

  private static void appendLog(Path log, String line) {
    try {
      Files.writeString(
          log,
          line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      // the Pod's directory is gone (the Pod was deleted meanwhile)
    }
  }

  /** A final refusal by the endpoint: never tried again. */
  private static final class RefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    RefusedException(String message) {
      super(message);
    }
  }
}

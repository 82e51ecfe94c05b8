package dev.tessera.operator.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.api.v1alpha1.DeliveryStatus;
import dev.tessera.api.v1alpha1.JobRun;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.WebhookSink;
import dev.tessera.api.webhook.WebhookSigner;
import dev.tessera.operator.run.RunProgress;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each finished Run of a JobRun to its Job's webhook: a POST of the Run's outcome and result,
 * with headers from a Secret, away from the reconciler's thread so that the JobRun never waits. A
 * delivery that fails is tried again after 10 s, then twice as long each time (at most 2 min
 * apart), and given up an hour after the Run finished. Each Run's delivery state is kept in its
 * annotations; the JobRun's status sums them up.
 *
 * <p>Each Run is one message in the Standard Webhooks sense: its {@code webhook-id} is the Run's
 * UID, the same on every try, and each try carries its own {@code webhook-timestamp} and, when the
 * sink names a signing Secret, its own {@code webhook-signature}. A try whose key cannot be read is
 * not sent unsigned: it fails and is tried again. Requests are HTTP/1.1 without an {@code Upgrade:
 * h2c}, which some receivers refuse.
 */
public final class WebhookDeliveries implements AutoCloseable {
  /** Annotation of a Run: delivered, pending or abandoned. */
  public static final String STATE = "tessera.dev/delivery";

  /** Annotation of a Run: how many deliveries were tried. */
  public static final String TRIES = "tessera.dev/delivery-tries";

  /** Annotation of a Run: when the next try is due (RFC 3339). */
  public static final String NEXT = "tessera.dev/delivery-next";

  /** Annotation of a Run: why the last try failed. */
  public static final String ERROR = "tessera.dev/delivery-error";

  static final Duration FIRST_RETRY = Duration.ofSeconds(10);
  static final Duration MAX_RETRY = Duration.ofMinutes(2);
  static final Duration GIVE_UP = Duration.ofHours(1);
  private static final int RECORD_TRIES = 4;
  private static final Duration RECORD_PAUSE = Duration.ofMillis(250);

  private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliveries.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Set<String> SIGNING_HEADERS =
      Set.of(
          WebhookSigner.ID_HEADER, WebhookSigner.TIMESTAMP_HEADER, WebhookSigner.SIGNATURE_HEADER);

  // HTTP/1.1: on http:// URLs the default client asks for an upgrade to h2c, which some
  // receivers and proxies refuse
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final ExecutorService senders =
      Executors.newFixedThreadPool(
          2,
          task -> {
            Thread thread = new Thread(task, "tessera-webhooks");
            thread.setDaemon(true);
            return thread;
          });
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

  /**
   * The Runs this process delivered ({@link #deliveryKey}), until the cache shows their {@code
   * delivered} annotation: the cache lags behind the patch that writes it (and more so while its
   * watch reconnects), and a Run read before the patch must not be sent again.
   */
  private final Set<String> deliveredHere = ConcurrentHashMap.newKeySet();

  /**
   * The failed tries this process recorded ({@link #deliveryKey}), until the cache shows them: a
   * Run read before the patch that records a failure must wait for the retry, not be sent again.
   */
  private final Map<String, Tried> failedHere = new ConcurrentHashMap<>();

  private final Clock clock;

  public WebhookDeliveries(Clock clock) {
    this.clock = clock;
  }

  /** When the next try after {@code tries} failed tries is due. */
  static Duration backoff(int tries) {
    Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(tries - 1, 10));
    return wait.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait;
  }

  /**
   * Sends what is due, and sums up the deliveries.
   *
   * @return the status to show, and when to look again (null when nothing is pending)
   */
  public Result deliver(KubernetesClient client, JobRun jobRun, WebhookSink sink, List<Run> runs) {
    Instant now = clock.instant();
    int delivered = 0;
    int pending = 0;
    int abandoned = 0;
    String lastError = null;
    Instant nextDue = null;
    for (Run run : runs) {
      if (run.getStatus() == null || !RunProgress.isFinished(run.getStatus().getPhase())) {
        continue;
      }
      Map<String, String> annotations =
          run.getMetadata().getAnnotations() == null
              ? Map.of()
              : run.getMetadata().getAnnotations();
      String state = annotations.get(STATE);
      if ("delivered".equals(state)) {
        deliveredHere.remove(deliveryKey(run));
        failedHere.remove(deliveryKey(run));
        delivered++;
        continue;
      }
      if (deliveredHere.contains(deliveryKey(run))) {
        delivered++;
        continue;
      }
      Tried tried = Tried.of(annotations);
      Tried triedHere = failedHere.get(deliveryKey(run));
      if (triedHere != null) {
        if (triedHere.tries() > tried.tries()) {
          tried = triedHere;
        } else {
          failedHere.remove(deliveryKey(run), triedHere);
        }
      }
      if (tried.abandoned()) {
        abandoned++;
        lastError = tried.error() == null ? lastError : tried.error();
        continue;
      }
      pending++;
      if (tried.error() != null) {
        lastError = tried.error();
      }
      Instant due = tried.next() == null ? now : tried.next();
      if (!due.isAfter(now)) {
        send(client, jobRun, sink, run, tried.tries());
      } else {
        nextDue = nextDue == null || due.isBefore(nextDue) ? due : nextDue;
      }
    }
    DeliveryStatus status = new DeliveryStatus();
    status.setDelivered(delivered);
    status.setPending(pending);
    status.setAbandoned(abandoned);
    status.setLastError(lastError);
    Duration requeue =
        pending == 0
            ? null
            : nextDue == null
                ? Duration.ofSeconds(2)
                : Duration.between(now, nextDue).plusMillis(100);
    return new Result(status, requeue);
  }

  /** What was tried of a delivery that is not delivered: pending or abandoned. */
  private record Tried(int tries, Instant next, String error, boolean abandoned) {
    static Tried of(Map<String, String> annotations) {
      String next = annotations.get(NEXT);
      return new Tried(
          Integer.parseInt(annotations.getOrDefault(TRIES, "0")),
          next == null ? null : Instant.parse(next),
          annotations.get(ERROR),
          "abandoned".equals(annotations.get(STATE)));
    }
  }

  /** The deliveries of a JobRun and when to look again. */
  public record Result(DeliveryStatus status, Duration requeueAfter) {}

  private void send(KubernetesClient client, JobRun jobRun, WebhookSink sink, Run run, int tries) {
    String key = run.getMetadata().getNamespace() + "/" + run.getMetadata().getName();
    if (!inFlight.add(key)) {
      return;
    }
    Map<String, String> headers = headers(client, jobRun, sink);
    SigningSecrets.Key signing =
        sink.getSigningSecretRef() == null
            ? null
            : SigningSecrets.read(
                sink.getSigningSecretRef(),
                SigningSecrets.fetch(client, jobRun.getMetadata().getNamespace(), sink));
    byte[] body = body(jobRun, run);
    String id = messageId(run);
    senders.submit(
        () -> {
          try {
            Optional<String> failure =
                signing != null && signing.problem() != null
                    ? Optional.of(signing.problem().message())
                    : post(
                        sink.getUrl(),
                        headers,
                        id,
                        signing == null ? null : signing.signer(),
                        body);
            if (failure.isEmpty()) {
              deliveredHere.add(deliveryKey(run));
            }
            record(client, run, tries + 1, failure);
          } finally {
            inFlight.remove(key);
          }
        });
  }

  /** The {@code webhook-id} of a Run's delivery: its UID, the same on every try. */
  static String messageId(Run run) {
    return run.getMetadata().getUid();
  }

  /**
   * The headers of one try: the sink's own, then {@code webhook-id}, a fresh {@code
   * webhook-timestamp} and, with a signer, the {@code webhook-signature} of this try.
   */
  static Map<String, String> tryHeaders(
      Map<String, String> headers, String id, WebhookSigner signer, long timestamp, byte[] body) {
    Map<String, String> all = new java.util.LinkedHashMap<>();
    all.put("Content-Type", "application/json");
    headers.forEach(
        (name, value) -> {
          if (!SIGNING_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            all.put(name, value);
          }
        });
    all.put(WebhookSigner.ID_HEADER, id);
    all.put(WebhookSigner.TIMESTAMP_HEADER, Long.toString(timestamp));
    if (signer != null) {
      all.put(WebhookSigner.SIGNATURE_HEADER, signer.sign(id, timestamp, body));
    }
    return all;
  }

  private Optional<String> post(
      String url, Map<String, String> headers, String id, WebhookSigner signer, byte[] body) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofSeconds(30))
              .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      tryHeaders(headers, id, signer, clock.instant().getEpochSecond(), body)
          .forEach(request::header);
      HttpResponse<Void> response =
          http.send(request.build(), HttpResponse.BodyHandlers.discarding());
      return response.statusCode() / 100 == 2
          ? Optional.empty()
          : Optional.of("the webhook answered HTTP " + response.statusCode());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    } catch (Exception e) {
      return Optional.of("the webhook could not be reached: " + e.getClass().getSimpleName());
    }
  }

  private void record(KubernetesClient client, Run run, int tries, Optional<String> failure) {
    Map<String, String> annotations = new HashMap<>();
    annotations.put(TRIES, Integer.toString(tries));
    Instant now = clock.instant();
    if (failure.isEmpty()) {
      annotations.put(STATE, "delivered");
    } else {
      Instant finished = Instant.parse(run.getStatus().getCompletionTime());
      Instant next = now.plus(backoff(tries));
      boolean giveUp = next.isAfter(finished.plus(GIVE_UP));
      annotations.put(STATE, giveUp ? "abandoned" : "pending");
      annotations.put(NEXT, next.toString());
      annotations.put(ERROR, failure.get());
      failedHere.put(deliveryKey(run), new Tried(tries, next, failure.get(), giveUp));
      LOG.info(
          "webhook delivery of run {} failed ({}); {}",
          run.getMetadata().getName(),
          failure.get(),
          giveUp ? "given up" : "next try at " + next);
    }
    ObjectNode patch = JSON.createObjectNode();
    patch.putObject("metadata").set("annotations", JSON.valueToTree(annotations));
    for (int attempt = 1; ; attempt++) {
      try {
        client
            .resources(Run.class)
            .inNamespace(run.getMetadata().getNamespace())
            .withName(run.getMetadata().getName())
            .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
        return;
      } catch (KubernetesClientException e) {
        // the state is what keeps the next leader from sending again: worth a few tries
        if (attempt == RECORD_TRIES || e.getCode() == 404) {
          LOG.info(
              "the delivery state of run {} could not be written: {}",
              run.getMetadata().getName(),
              e.getMessage());
          return;
        }
      }
      try {
        Thread.sleep(RECORD_PAUSE.toMillis() * attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** A Run as one delivery: a Run recreated under the same name is another. */
  private static String deliveryKey(Run run) {
    return run.getMetadata().getNamespace()
        + "/"
        + run.getMetadata().getName()
        + "/"
        + run.getMetadata().getUid();
  }

  private static Map<String, String> headers(
      KubernetesClient client, JobRun jobRun, WebhookSink sink) {
    Map<String, String> headers = new HashMap<>();
    if (sink.getHeadersSecretRef() == null) {
      return headers;
    }
    Secret secret =
        client
            .secrets()
            .inNamespace(jobRun.getMetadata().getNamespace())
            .withName(sink.getHeadersSecretRef().getName())
            .get();
    if (secret != null && secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (k, v) ->
                  headers.put(
                      k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret != null && secret.getStringData() != null) {
      headers.putAll(secret.getStringData());
    }
    return headers;
  }

  private static byte[] body(JobRun jobRun, Run run) {
    ObjectNode body = JSON.createObjectNode();
    body.put("namespace", run.getMetadata().getNamespace());
    body.put("jobRun", jobRun.getMetadata().getName());
    body.put("job", jobRun.getSpec().getJob());
    body.put("run", run.getMetadata().getName());
    body.put("api", run.getSpec().getApi());
    body.set("parameters", run.getSpec().getParameters());
    body.put("phase", run.getStatus().getPhase());
    body.put("reason", run.getStatus().getReason());
    body.put("completionTime", run.getStatus().getCompletionTime());
    body.set("result", run.getStatus().getResult());
    try {
      return JSON.writeValueAsBytes(body);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    senders.shutdownNow();
  }
}

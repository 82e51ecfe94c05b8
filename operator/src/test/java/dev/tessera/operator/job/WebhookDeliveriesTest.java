package dev.tessera.operator.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.sun.net.httpserver.HttpServer;
import dev.tessera.api.v1alpha1.JobRun;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.RunStatus;
import dev.tessera.api.v1alpha1.WebhookSink;
import dev.tessera.api.webhook.WebhookSigner;
import dev.tessera.api.webhook.WebhookVerificationException;
import dev.tessera.api.webhook.WebhookVerifier;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class WebhookDeliveriesTest {
  private static final String SECRET = WebhookSigner.generateSecret();
  private static final byte[] BODY = "{\"run\":\"jr-0\"}".getBytes(StandardCharsets.UTF_8);
  private static final long SENT = 1_800_000_000L;

  private static final YAMLMapper YAML = new YAMLMapper();

  KubernetesClient client;

  @Test
  void retriesStartAfterTenSecondsAndDoubleUpToTwoMinutes() {
    assertThat(WebhookDeliveries.backoff(1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(WebhookDeliveries.backoff(2)).isEqualTo(Duration.ofSeconds(20));
    assertThat(WebhookDeliveries.backoff(3)).isEqualTo(Duration.ofSeconds(40));
    assertThat(WebhookDeliveries.backoff(4)).isEqualTo(Duration.ofSeconds(80));
    assertThat(WebhookDeliveries.backoff(5)).isEqualTo(Duration.ofMinutes(2));
    assertThat(WebhookDeliveries.backoff(40)).isEqualTo(Duration.ofMinutes(2));
  }

  private static Map<String, List<String>> asReceived(Map<String, String> headers) {
    return headers.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue())));
  }

  private static WebhookVerifier verifierAt(long epochSecond) {
    return new WebhookVerifier(
        SECRET,
        Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC),
        WebhookVerifier.TOLERANCE);
  }

  @Test
  void everyTryIsSignedWithItsOwnTimestampUnderTheSameId() throws Exception {
    WebhookSigner signer = WebhookSigner.parseStrict(SECRET);
    Map<String, String> first = WebhookDeliveries.tryHeaders(Map.of(), "uid-1", signer, SENT, BODY);
    Map<String, String> retry =
        WebhookDeliveries.tryHeaders(Map.of(), "uid-1", signer, SENT + 10, BODY);
    assertThat(first)
        .containsEntry("webhook-id", "uid-1")
        .containsEntry("webhook-timestamp", Long.toString(SENT))
        .containsEntry("Content-Type", "application/json");
    assertThat(retry).containsEntry("webhook-id", "uid-1");
    assertThat(retry.get("webhook-signature")).isNotEqualTo(first.get("webhook-signature"));
    assertThat(verifierAt(SENT).verify(asReceived(first), BODY)).isEqualTo("uid-1");
    assertThat(verifierAt(SENT + 10).verify(asReceived(retry), BODY)).isEqualTo("uid-1");
    assertThatThrownBy(
            () ->
                verifierAt(SENT)
                    .verify(
                        asReceived(first), "{\"run\":\"jr-1\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void theSinksHeadersCannotReplaceTheSigningHeaders() {
    Map<String, String> headers =
        WebhookDeliveries.tryHeaders(
            Map.of(
                "Authorization", "Bearer t", "Webhook-Id", "forged", "webhook-signature", "v1,x"),
            "uid-1",
            WebhookSigner.parseStrict(SECRET),
            SENT,
            BODY);
    assertThat(headers)
        .containsEntry("Authorization", "Bearer t")
        .containsEntry("webhook-id", "uid-1");
    assertThat(headers).doesNotContainKey("Webhook-Id");
    assertThat(headers.get("webhook-signature")).isNotEqualTo("v1,x");
  }

  @Test
  void withoutASigningSecretATryCarriesItsIdAndTimestampButNoSignature() {
    assertThat(WebhookDeliveries.tryHeaders(Map.of(), "uid-1", null, SENT, BODY))
        .containsEntry("webhook-id", "uid-1")
        .containsEntry("webhook-timestamp", Long.toString(SENT))
        .doesNotContainKey("webhook-signature");
  }

  /** A webhook receiver on loopback that answers every delivery {@code status}, and counts them. */
  private static HttpServer sink(int status, AtomicInteger received) throws Exception {
    Logger.getLogger("io.fabric8.mockwebserver").setLevel(Level.WARNING);
    HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
    sink.createContext(
        "/hook",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            received.incrementAndGet();
            exchange.sendResponseHeaders(status, -1);
          }
        });
    sink.start();
    return sink;
  }

  private static WebhookSink webhook(HttpServer sink) {
    WebhookSink webhook = new WebhookSink();
    webhook.setUrl("http://127.0.0.1:" + sink.getAddress().getPort() + "/hook");
    return webhook;
  }

  private static JobRun jobRun() throws Exception {
    return YAML.readValue(
        "{apiVersion: tessera.dev/v1alpha1, kind: JobRun, metadata: {name: nightly,"
            + " namespace: ns}, spec: {job: j}}",
        JobRun.class);
  }

  /** A Run stored without delivery annotations, as read then: Succeeded at {@code finished}. */
  private Run finishedRun(String finished) throws Exception {
    Run run =
        client
            .resource(
                YAML.readValue(
                    "{apiVersion: tessera.dev/v1alpha1, kind: Run, metadata: {name: nightly-0,"
                        + " namespace: ns, uid: u-1}, spec: {project: p, api: a}}",
                    Run.class))
            .create();
    RunStatus status = new RunStatus();
    status.setPhase("Succeeded");
    status.setCompletionTime(finished);
    run.setStatus(status);
    return run;
  }

  /** Waits until the stored Run's delivery annotation says {@code state}. */
  private void awaitDeliveryState(String state) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              Run stored =
                  client.resources(Run.class).inNamespace("ns").withName("nightly-0").get();
              return stored.getMetadata().getAnnotations() != null
                  && state.equals(
                      stored.getMetadata().getAnnotations().get(WebhookDeliveries.STATE));
            });
  }

  @Test
  void aRunReadBeforeItsDeliveryWasRecordedIsNotSentAgain() throws Exception {
    AtomicInteger received = new AtomicInteger();
    HttpServer sink = sink(204, received);
    try (WebhookDeliveries deliveries = new WebhookDeliveries(Clock.systemUTC())) {
      Run readBeforeTheDelivery = finishedRun("2026-01-01T10:00:00Z");

      deliveries.deliver(client, jobRun(), webhook(sink), List.of(readBeforeTheDelivery));
      awaitDeliveryState("delivered");

      WebhookDeliveries.Result again =
          deliveries.deliver(client, jobRun(), webhook(sink), List.of(readBeforeTheDelivery));
      Thread.sleep(500);

      assertThat(received.get()).isEqualTo(1);
      assertThat(again.status().getDelivered()).isEqualTo(1);
      assertThat(again.status().getPending()).isZero();
      assertThat(again.requeueAfter()).isNull();
    } finally {
      sink.stop(0);
    }
  }

  @Test
  void aRunReadBeforeItsFailedTryWasRecordedWaitsForItsRetry() throws Exception {
    AtomicInteger received = new AtomicInteger();
    HttpServer sink = sink(500, received);
    try (WebhookDeliveries deliveries = new WebhookDeliveries(Clock.systemUTC())) {
      Run readBeforeTheTry = finishedRun(Instant.now().toString());

      deliveries.deliver(client, jobRun(), webhook(sink), List.of(readBeforeTheTry));
      awaitDeliveryState("pending");

      WebhookDeliveries.Result again =
          deliveries.deliver(client, jobRun(), webhook(sink), List.of(readBeforeTheTry));
      Thread.sleep(500);

      assertThat(received.get()).as("tries before the retry is due").isEqualTo(1);
      assertThat(again.status().getPending()).isEqualTo(1);
      assertThat(again.status().getLastError()).isEqualTo("the webhook answered HTTP 500");
      assertThat(again.requeueAfter())
          .isGreaterThan(Duration.ofSeconds(5))
          .isLessThanOrEqualTo(WebhookDeliveries.FIRST_RETRY.plusSeconds(1));
    } finally {
      sink.stop(0);
    }
  }
}

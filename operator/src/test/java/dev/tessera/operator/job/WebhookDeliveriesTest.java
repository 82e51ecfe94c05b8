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

  @Test
  void aRunReadBeforeItsDeliveryWasRecordedIsNotSentAgain() throws Exception {
    Logger.getLogger("io.fabric8.mockwebserver").setLevel(Level.WARNING);
    AtomicInteger received = new AtomicInteger();
    HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
    sink.createContext(
        "/hook",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            received.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
          }
        });
    sink.start();
    try (WebhookDeliveries deliveries = new WebhookDeliveries(Clock.systemUTC())) {
      Run run =
          YAML.readValue(
              "{apiVersion: tessera.dev/v1alpha1, kind: Run, metadata: {name: nightly-0,"
                  + " namespace: ns, uid: u-1}, spec: {project: p, api: a}}",
              Run.class);
      run = client.resource(run).create();
      RunStatus status = new RunStatus();
      status.setPhase("Succeeded");
      status.setCompletionTime("2026-01-01T10:00:00Z");
      run.setStatus(status);
      Run readBeforeTheDelivery = run;
      JobRun jobRun =
          YAML.readValue(
              "{apiVersion: tessera.dev/v1alpha1, kind: JobRun, metadata: {name: nightly,"
                  + " namespace: ns}, spec: {job: j}}",
              JobRun.class);
      WebhookSink webhook = new WebhookSink();
      webhook.setUrl("http://127.0.0.1:" + sink.getAddress().getPort() + "/hook");

      deliveries.deliver(client, jobRun, webhook, List.of(readBeforeTheDelivery));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                Run stored =
                    client.resources(Run.class).inNamespace("ns").withName("nightly-0").get();
                return stored.getMetadata().getAnnotations() != null
                    && "delivered"
                        .equals(stored.getMetadata().getAnnotations().get(WebhookDeliveries.STATE));
              });

      WebhookDeliveries.Result again =
          deliveries.deliver(client, jobRun, webhook, List.of(readBeforeTheDelivery));
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
    Logger.getLogger("io.fabric8.mockwebserver").setLevel(Level.WARNING);
    AtomicInteger received = new AtomicInteger();
    HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
    sink.createContext(
        "/hook",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            received.incrementAndGet();
            exchange.sendResponseHeaders(500, -1);
          }
        });
    sink.start();
    try (WebhookDeliveries deliveries = new WebhookDeliveries(Clock.systemUTC())) {
      Run run =
          YAML.readValue(
              "{apiVersion: tessera.dev/v1alpha1, kind: Run, metadata: {name: nightly-0,"
                  + " namespace: ns, uid: u-1}, spec: {project: p, api: a}}",
              Run.class);
      run = client.resource(run).create();
      RunStatus status = new RunStatus();
      status.setPhase("Succeeded");
      status.setCompletionTime(Instant.now().toString());
      run.setStatus(status);
      Run readBeforeTheTry = run;
      JobRun jobRun =
          YAML.readValue(
              "{apiVersion: tessera.dev/v1alpha1, kind: JobRun, metadata: {name: nightly,"
                  + " namespace: ns}, spec: {job: j}}",
              JobRun.class);
      WebhookSink webhook = new WebhookSink();
      webhook.setUrl("http://127.0.0.1:" + sink.getAddress().getPort() + "/hook");

      deliveries.deliver(client, jobRun, webhook, List.of(readBeforeTheTry));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                Run stored =
                    client.resources(Run.class).inNamespace("ns").withName("nightly-0").get();
                return stored.getMetadata().getAnnotations() != null
                    && "pending"
                        .equals(stored.getMetadata().getAnnotations().get(WebhookDeliveries.STATE));
              });

      WebhookDeliveries.Result again =
          deliveries.deliver(client, jobRun, webhook, List.of(readBeforeTheTry));
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

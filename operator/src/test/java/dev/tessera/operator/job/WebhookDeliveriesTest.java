package dev.tessera.operator.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.sun.net.httpserver.HttpServer;
import dev.tessera.api.v1alpha1.JobRun;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.RunStatus;
import dev.tessera.api.v1alpha1.WebhookSink;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class WebhookDeliveriesTest {
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
}

package dev.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.sun.net.httpserver.HttpServer;
import dev.tessera.api.v1alpha1.Job;
import dev.tessera.api.v1alpha1.JobRun;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.webhook.WebhookVerificationException;
import dev.tessera.api.webhook.WebhookVerifier;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Job's webhook as a receiver sees it, in local mode: the signed example Job delivers each
 * finished Run over HTTP/1.1 without an upgrade, every try verifies with the Secret's key, a
 * retried delivery keeps its webhook-id with a fresh timestamp and signature, and a tampered body
 * does not verify. A Job whose signing Secret is missing is not valid, and its JobRun fails before
 * any Run.
 */
class SignedWebhookIT {
  private static final Path EXAMPLE = LocalCluster.ROOT.resolve("examples/webhooks");
  private static final String EXAMPLE_URL = "http://127.0.0.1:8089/tessera";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static LocalMode local;
  private static KubernetesClient client;

  /** One request the receiver saw, and what it made of it. */
  record Delivery(
      String protocol,
      Map<String, List<String>> headers,
      byte[] body,
      String verifiedId,
      String refusal,
      int answered) {
    String header(String name) {
      List<String> values = headers.get(name);
      return values == null ? null : values.get(0);
    }
  }

  @BeforeAll
  static void start() throws Exception {
    local = LocalCluster.startDemo();
    client = local.client();
  }

  @AfterAll
  static void stop() {
    local.close();
  }

  private static String exampleSecret() throws Exception {
    for (JsonNode document :
        new YAMLMapper()
            .readerFor(JsonNode.class)
            .<JsonNode>readValues(EXAMPLE.resolve("job-signed.yaml").toFile())
            .readAll()) {
      if ("Secret".equals(document.path("kind").asText())) {
        return document.path("stringData").path("signing-secret").asText();
      }
    }
    throw new IllegalStateException("the example has no signing Secret");
  }

  private static void applyExample(String file, String url) throws Exception {
    String text = Files.readString(EXAMPLE.resolve(file)).replace(EXAMPLE_URL, url);
    Path copy = Files.createTempFile("example", ".yaml");
    Files.writeString(copy, text);
    LocalMode.apply(client, copy, local.site().baseUrl());
  }

  private static JobRun jobRun(String name) {
    return client.resources(JobRun.class).inNamespace("default").withName(name).get();
  }

  @Test
  void everyDeliveryIsSignedOverHttp11AndARetryKeepsItsId() throws Exception {
    WebhookVerifier verifier = new WebhookVerifier(exampleSecret());
    List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    AtomicInteger requests = new AtomicInteger();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    receiver.createContext(
        "/tessera",
        exchange -> {
          try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String id = null;
            String refusal = null;
            try {
              id = verifier.verify(exchange.getRequestHeaders(), body);
            } catch (WebhookVerificationException e) {
              refusal = e.getMessage();
            }
            // the first delivery is refused once, so that it is tried again
            int status = refusal != null ? 401 : requests.incrementAndGet() == 1 ? 500 : 204;
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
            deliveries.add(
                new Delivery(exchange.getProtocol(), headers, body, id, refusal, status));
            exchange.sendResponseHeaders(status, -1);
          }
        });
    receiver.start();
    String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/tessera";
    try {
      applyExample("job-signed.yaml", url);
      applyExample("jobrun-signed.yaml", url);
      JobRun done =
          LocalCluster.awaitJobRun(client, "catalog-signed-now", "Succeeded", "Failed", "Canceled");
      assertThat(done.getStatus().getPhase())
          .as(done.getStatus().getMessage())
          .isEqualTo("Succeeded");
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () ->
                  jobRun("catalog-signed-now").getStatus().getDelivery() != null
                      && jobRun("catalog-signed-now").getStatus().getDelivery().getDelivered()
                          == 2);
    } finally {
      receiver.stop(0);
    }

    assertThat(deliveries).hasSize(3);
    assertThat(deliveries)
        .allSatisfy(
            d -> {
              assertThat(d.refusal()).as("why the receiver refused it").isNull();
              assertThat(d.protocol()).isEqualTo("HTTP/1.1");
              assertThat(d.headers()).doesNotContainKeys("Upgrade", "HTTP2-Settings");
              assertThat(d.header("Connection")).isNotEqualToIgnoringCase("Upgrade");
              assertThat(d.header("Content-Type")).isEqualTo("application/json");
              assertThat(d.verifiedId()).isEqualTo(d.header("webhook-id"));
            });

    // each Run is one message: its id is the Run's UID, the same on every try
    List<Run> runs =
        client
            .resources(Run.class)
            .inNamespace("default")
            .withLabel("tessera.dev/job-run", "catalog-signed-now")
            .list()
            .getItems();
    Map<String, String> runByUid = new TreeMap<>();
    runs.forEach(r -> runByUid.put(r.getMetadata().getUid(), r.getMetadata().getName()));
    assertThat(deliveries.stream().map(Delivery::verifiedId).distinct())
        .containsExactlyInAnyOrderElementsOf(runByUid.keySet());
    for (Delivery d : deliveries) {
      assertThat(JSON.readTree(d.body()).path("run").asText())
          .isEqualTo(runByUid.get(d.verifiedId()));
    }
    Delivery refused = deliveries.get(0);
    assertThat(refused.answered()).isEqualTo(500);
    List<Delivery> retries = new ArrayList<>();
    for (Delivery d : deliveries.subList(1, deliveries.size())) {
      if (d.verifiedId().equals(refused.verifiedId())) {
        retries.add(d);
      }
    }
    assertThat(retries).hasSize(1);
    Delivery retry = retries.get(0);
    assertThat(retry.answered()).isEqualTo(204);
    assertThat(retry.body()).isEqualTo(refused.body());
    assertThat(Long.parseLong(retry.header("webhook-timestamp")))
        .isGreaterThanOrEqualTo(Long.parseLong(refused.header("webhook-timestamp")) + 10);
    assertThat(retry.header("webhook-signature")).isNotEqualTo(refused.header("webhook-signature"));

    // a body changed on the way does not verify, nor does another message's signature
    byte[] tampered =
        new String(retry.body(), StandardCharsets.UTF_8)
            .replace("\"Succeeded\"", "\"Failed\"")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(tampered).isNotEqualTo(retry.body());
    assertThatThrownBy(() -> verifier.verify(retry.headers(), tampered))
        .isInstanceOf(WebhookVerificationException.class);
    Delivery other =
        deliveries.stream()
            .filter(d -> !d.verifiedId().equals(retry.verifiedId()))
            .findFirst()
            .orElseThrow();
    assertThatThrownBy(() -> verifier.verify(retry.headers(), other.body()))
        .isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void aJobWhoseSigningSecretIsMissingIsInvalidAndItsJobRunsFailBeforeAnyRun() throws Exception {
    LocalCluster.create(
        client,
        "{apiVersion: tessera.dev/v1alpha1, kind: Job, metadata: {name: unsigned, namespace:"
            + " default}, spec: {project: demo-catalog, payload: [{api: products, parameters:"
            + " {page: 1}}], sink: {url: 'http://127.0.0.1:9/hook', signingSecretRef: {name:"
            + " missing-signing}}}}",
        Job.class);
    await().atMost(Duration.ofSeconds(30)).until(() -> readyReason("unsigned") != null);
    assertThat(readyReason("unsigned")).isEqualTo("SigningSecretNotFound");
    assertThat(job("unsigned").getStatus().getConditions().get(0).getMessage())
        .contains("missing-signing", "signing-secret");

    LocalCluster.create(
        client,
        "{apiVersion: tessera.dev/v1alpha1, kind: JobRun, metadata: {name: unsigned-now,"
            + " namespace: default}, spec: {job: unsigned}}",
        JobRun.class);
    JobRun failed = LocalCluster.awaitJobRun(client, "unsigned-now", "Failed", "Succeeded");
    assertThat(failed.getStatus().getPhase()).isEqualTo("Failed");
    assertThat(failed.getStatus().getReason()).isEqualTo("SigningSecretNotFound");
    assertThat(
            client
                .resources(Run.class)
                .inNamespace("default")
                .withLabel("tessera.dev/job-run", "unsigned-now")
                .list()
                .getItems())
        .isEmpty();

    // a value that is not a key is named as such, never shown
    LocalCluster.create(
        client,
        "{apiVersion: v1, kind: Secret, metadata: {name: missing-signing, namespace: default},"
            + " stringData: {signing-secret: not-a-key}}",
        Secret.class);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> "SigningSecretInvalid".equals(readyReason("unsigned")));
    assertThat(job("unsigned").getStatus().getConditions().get(0).getMessage())
        .doesNotContain("not-a-key");
  }

  private static Job job(String name) {
    return client.resources(Job.class).inNamespace("default").withName(name).get();
  }

  private static String readyReason(String name) {
    Job job = job(name);
    return job == null || job.getStatus() == null || job.getStatus().getConditions().isEmpty()
        ? null
        : job.getStatus().getConditions().get(0).getReason();
  }
}

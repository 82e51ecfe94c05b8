package dev.tessera.operator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tessera.api.protocol.AttemptResult;
import dev.tessera.api.protocol.Outcome;
import dev.tessera.api.protocol.ProtocolJson;
import dev.tessera.api.protocol.Validation;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.Project;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.operator.MockCluster;
import dev.tessera.operator.TesseraOperator;
import dev.tessera.operator.naming.Names;
import dev.tessera.operator.results.ResultSecrets;
import dev.tessera.operator.results.ResultsEndpoint;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator as shipped against the embedded API, with this test in the kubelet's and the
 * runner's place: it reads the Pod the operator made, reports through the results endpoint with the
 * Pod's token, and sets the Pod's status. (The local module runs the real runner.)
 */
@EnableKubernetesMockClient(crud = true)
class RunReconcilerIT {
  KubernetesClient client;
  KubernetesMockServer server;
  private MockCluster cluster;
  private TesseraOperator operator;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    cluster = MockCluster.start(client);
    operator = cluster.operator();
    client
        .resource(
            new YAMLMapper()
                .readValue(
                    """
        apiVersion: tessera.dev/v1alpha1
        kind: Project
        metadata: {name: catalog, namespace: test}
        spec:
          apis: {list: {steps: [{goto: "http://site/catalog"}]}}
          runner: {maxAttempts: 2, timeoutSeconds: 30}
        """,
                    Project.class))
        .create();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private Run createRun(String name, String api) throws Exception {
    Run run =
        new YAMLMapper()
            .readValue(
                "{apiVersion: tessera.dev/v1alpha1, kind: Run, metadata: {name: "
                    + name
                    + ", namespace: test}, spec: {project: catalog, api: "
                    + api
                    + "}}",
                Run.class);
    return client.resource(run).create();
  }

  private Run run(String name) {
    return client.resources(Run.class).inNamespace("test").withName(name).get();
  }

  /** The name of the Pod of Attempt {@code attempt} of the Run {@code run}. */
  private String pod(String run, int attempt) {
    Run stored =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> client.resources(Run.class).inNamespace("test").withName(run).get(),
                r -> r != null);
    return Names.attemptPod(run, stored.getMetadata().getUid(), attempt);
  }

  private Pod awaitPod(String name) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> client.pods().inNamespace("test").withName(name).get(), p -> p != null);
  }

  private int report(String pod, AttemptResult result) throws Exception {
    Secret input = client.secrets().inNamespace("test").withName(pod + "-in").get();
    String token =
        new String(
            Base64.getDecoder().decode(input.getData().get("token")), StandardCharsets.UTF_8);
    URI url = ResultsEndpoint.reportUrl(operator.config().resultsUrl(), "test", pod);
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofByteArray(ProtocolJson.write(result)))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private void finishPod(String name, String phase, int exitCode) {
    Pod pod = client.pods().inNamespace("test").withName(name).get();
    pod.setStatus(
        new PodStatusBuilder()
            .withPhase(phase)
            .addNewContainerStatus()
            .withName("runner")
            .withNewState()
            .withNewTerminated()
            .withExitCode(exitCode)
            .withReason(exitCode == 0 ? "Completed" : "Error")
            .endTerminated()
            .endState()
            .endContainerStatus()
            .build());
    client.pods().inNamespace("test").resource(pod).updateStatus();
  }

  @Test
  void objectsTheOperatorCannotReconcileSayWhyAndTheOthersGoOn() throws Exception {
    client
        .resource(
            new YAMLMapper()
                .readValue(
                    """
        apiVersion: tessera.dev/v1alpha1
        kind: Project
        metadata: {name: secured, namespace: test}
        spec:
          apis: {list: {steps: [{goto: "http://site/catalog"}]}}
          authentication:
            enabled: true
            create: {steps: [{goto: "http://site/login"}]}
            check: {steps: [{goto: "http://site/me"}]}
        """,
                    Project.class))
        .create();
    client
        .resource(
            new YAMLMapper()
                .readValue(
                    "{apiVersion: tessera.dev/v1alpha1, kind: Run, metadata: {name: no-spec,"
                        + " namespace: test}}",
                    Run.class))
        .create();
    client
        .resource(
            new YAMLMapper()
                .readValue(
                    "{apiVersion: tessera.dev/v1alpha1, kind: AuthSession, metadata: {name:"
                        + " no-credentials, namespace: test}, spec: {project: secured, type:"
                        + " Credentials}}",
                    AuthSession.class))
        .create();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Run broken = run("no-spec");
              assertThat(broken.getStatus()).isNotNull();
              assertThat(broken.getStatus().getReason()).isEqualTo("InvalidSpec");
              assertThat(broken.getStatus().getMessage()).contains("spec: Required value");
              assertThat(broken.getStatus().getConditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("Ready");
                        assertThat(c.getStatus()).isEqualTo("False");
                        assertThat(c.getReason()).isEqualTo("InvalidSpec");
                      });
              AuthSession session =
                  client
                      .resources(AuthSession.class)
                      .inNamespace("test")
                      .withName("no-credentials")
                      .get();
              assertThat(session.getStatus()).isNotNull();
              assertThat(session.getStatus().getReason()).isEqualTo("CredentialsSecretNotFound");
              assertThat(session.getStatus().getMessage())
                  .contains("spec.credentialsSecretRef is required for type Credentials");
            });
    assertThat(client.v1().events().inNamespace("test").list().getItems())
        .filteredOn(e -> "InvalidSpec".equals(e.getReason()))
        .extracting(e -> e.getInvolvedObject().getName())
        .contains("no-spec");
    assertThat(
            client.v1().events().inNamespace("test").list().getItems().stream()
                .filter(
                    e ->
                        List.of("InvalidSpec", "CredentialsSecretNotFound").contains(e.getReason()))
                .map(Event::getType))
        .containsOnly("Warning");

    // the operator goes on with every other object
    createRun("after-a-bad-one", "list");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                client.pods().inNamespace("test").withName(pod("after-a-bad-one", 1)).get()
                    != null);
  }

  /** Stores an object as sent, as an API server that validates nothing would. */
  private void createAsSent(String json) {
    client
        .resource(
            client.getKubernetesSerialization().unmarshal(json, GenericKubernetesResource.class))
        .create();
  }

  @Test
  void objectsTheOperatorCannotReadAreInvalidAndEveryOtherGoesOn() throws Exception {
    // what a real API server refuses at apply, stored where nothing validated it
    createAsSent(
        """
        {"apiVersion": "tessera.dev/v1alpha1", "kind": "Run",
         "metadata": {"name": "three", "namespace": "test"},
         "spec": {"project": "catalog", "api": "list",
                  "authSession": {"name": "s", "checkAttempts": "three"}}}
        """);
    createAsSent(
        """
        {"apiVersion": "tessera.dev/v1alpha1", "kind": "Project",
         "metadata": {"name": "listed", "namespace": "test"},
         "spec": {"apis": [{"className": "com.example.A"}]}}
        """);
    createAsSent(
        """
        {"apiVersion": "tessera.dev/v1alpha1", "kind": "Project",
         "metadata": {"name": "two-actions", "namespace": "test"},
         "spec": {"apis": {"a": {"steps": [
           {"goto": "https://example.test/"},
           {"goto": "https://example.test/", "click": {"selector": "#b"}}]}}}}
        """);
    for (String[] object :
        new String[][] {
          {"runs", "three", "spec.authSession.checkAttempts: Cannot deserialize value of type"},
          {"projects", "listed", "spec.apis: Cannot deserialize value of type `java.util"},
          {
            "projects",
            "two-actions",
            "spec.apis.a.steps[1]: a step has exactly one action: goto, fill, click, press,"
                + " select, waitFor, expect, extract, request, screenshot; this one has [goto, click]"
          }
        }) {
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                GenericKubernetesResource stored =
                    client
                        .genericKubernetesResources("tessera.dev/v1alpha1", kindOf(object[0]))
                        .inNamespace("test")
                        .withName(object[1])
                        .get();
                @SuppressWarnings("unchecked")
                var status = (Map<String, Object>) stored.getAdditionalProperties().get("status");
                assertThat(status).as(object[1]).isNotNull();
                assertThat(String.valueOf(status.get("conditions")))
                    .contains("reason=InvalidSpec", object[2], "Ready", "status=False");
                // the spec is kept as it was written, for the user to fix
                assertThat(stored.getAdditionalProperties().get("spec")).isNotNull();
              });
    }
    assertThat(client.v1().events().inNamespace("test").list().getItems())
        .filteredOn(e -> "InvalidSpec".equals(e.getReason()))
        .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"))
        .extracting(e -> e.getInvolvedObject().getName())
        .contains("three", "listed", "two-actions");

    // the informers went on: a Run created after them runs
    createRun("after-unreadable-ones", "list");
    awaitPod(pod("after-unreadable-ones", 1));
    // and a fixed object is read again
    client
        .genericKubernetesResources("tessera.dev/v1alpha1", "Project")
        .inNamespace("test")
        .withName("listed")
        .edit(
            p -> {
              p.getAdditionalProperties()
                  .put("spec", Map.of("apis", Map.of("a", Map.of("className", "com.example.A"))));
              return p;
            });
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> readyOf("listed") != null && "True".equals(readyOf("listed").getStatus()));
  }

  private static String kindOf(String plural) {
    return plural.equals("runs") ? "Run" : "Project";
  }

  @Test
  void reportedResultEndsTheRunSucceededWithItsResult() throws Exception {
    createRun("ok", "list");
    Pod pod = awaitPod(pod("ok", 1));
    assertThat(pod.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("ok"));
    assertThat(
            report(
                pod("ok", 1),
                AttemptResult.of(
                    Outcome.SUCCEEDED,
                    Validation.notRequired(),
                    new YAMLMapper().readTree("{products: [a, b]}"),
                    null,
                    null,
                    null,
                    null)))
        .isEqualTo(204);
    finishPod(pod("ok", 1), "Succeeded", 0);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> "Succeeded".equals(run("ok").getStatus().getPhase()));
    Run done = run("ok");
    assertThat(done.getStatus().getResult().get("products")).hasSize(2);
    assertThat(done.getStatus().getAttempts())
        .singleElement()
        .satisfies(a -> assertThat(a.getPhase()).isEqualTo("Succeeded"));
    // the Attempt's Secret holds the report alone: the input (with its token) is gone
    assertThat(client.secrets().inNamespace("test").withName(pod("ok", 1) + "-in").get().getData())
        .containsOnlyKeys(ResultSecrets.RESULT_KEY);
    // a Run that went the expected way has its status, and no Event
    assertThat(client.v1().events().inNamespace("test").list().getItems())
        .filteredOn(e -> "ok".equals(e.getInvolvedObject().getName()))
        .extracting(Event::getReason)
        .isEmpty();
    assertThat(operator.metrics().scrape())
        .contains("tessera_runs_finished_total{phase=\"Succeeded\"");
  }

  @Test
  void aReportOutlivesAStatusWriteThatConflicts() throws Exception {
    createRun("conflict", "list");
    awaitPod(pod("conflict", 1));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                run("conflict").getStatus() != null
                    && run("conflict").getStatus().getAttempts() != null);
    // the next status write (the one that records the report) meets a concurrent writer
    server
        .expect()
        .put()
        .withPath("/apis/tessera.dev/v1alpha1/namespaces/test/runs/conflict/status")
        .andReturn(
            409,
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                + "\"reason\":\"Conflict\",\"code\":409}")
        .once();
    assertThat(
            report(
                pod("conflict", 1),
                AttemptResult.of(
                    Outcome.SUCCEEDED,
                    Validation.notRequired(),
                    new YAMLMapper().readTree("{products: [a]}"),
                    null,
                    null,
                    null,
                    null)))
        .isEqualTo(204);
    finishPod(pod("conflict", 1), "Succeeded", 0);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "Succeeded".equals(run("conflict").getStatus().getPhase()));
    assertThat(run("conflict").getStatus().getAttempts())
        .singleElement()
        .satisfies(a -> assertThat(a.getPhase()).isEqualTo("Succeeded"));
    assertThat(run("conflict").getStatus().getResult().get("products")).hasSize(1);
    assertThat(client.pods().inNamespace("test").withName(pod("conflict", 2)).get()).isNull();
  }

  @Test
  void projectsSayWhetherTheyAreValidAndRunsOfAnInvalidOneAreRejected() throws Exception {
    await().atMost(Duration.ofSeconds(20)).until(() -> readyOf("catalog") != null);
    assertThat(readyOf("catalog").getStatus()).isEqualTo("True");
    // a step with two actions, which the CRD's rule refuses and the mock server stores: the
    // operator cannot read it into its model, says so, and the Runs on it are Rejected
    client
        .resource(
            new YAMLMapper()
                .readValue(
                    """
        apiVersion: tessera.dev/v1alpha1
        kind: Project
        metadata: {name: broken, namespace: test}
        spec:
          apis: {list: {steps: [{goto: "http://site", click: {selector: "#b"}}]}}
        """,
                    GenericKubernetesResource.class))
        .create();
    await().atMost(Duration.ofSeconds(20)).until(() -> readyOf("broken") != null);
    assertThat(readyOf("broken").getStatus()).isEqualTo("False");
    assertThat(readyOf("broken").getReason()).isEqualTo("InvalidSpec");
    assertThat(readyOf("broken").getMessage()).contains("a step has exactly one action");
    Run run =
        new YAMLMapper()
            .readValue(
                "{apiVersion: tessera.dev/v1alpha1, kind: Run, metadata: {name: on-broken, namespace: test}, spec: {project: broken, api: list}}",
                Run.class);
    client.resource(run).create();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                run("on-broken").getStatus() != null
                    && "Rejected".equals(run("on-broken").getStatus().getPhase()));
    assertThat(run("on-broken").getStatus().getReason()).isEqualTo("ProjectInvalid");
    assertThat(run("on-broken").getStatus().getMessage())
        .startsWith("Project \"broken\" cannot be read: ")
        .contains("a step has exactly one action");
  }

  private dev.tessera.api.v1alpha1.StatusCondition readyOf(String project) {
    // read as a generic object: a project the model cannot read has a status all the same
    GenericKubernetesResource p =
        client
            .genericKubernetesResources("tessera.dev/v1alpha1", "Project")
            .inNamespace("test")
            .withName(project)
            .get();
    Object status = p.getAdditionalProperties().get("status");
    return status == null
        ? null
        : dev.tessera.operator.status.Conditions.find(
            client
                .getKubernetesSerialization()
                .convertValue(status, dev.tessera.api.v1alpha1.ProjectStatus.class)
                .getConditions(),
            "Ready");
  }

  @Test
  void opsEndpointsAnswerHealthReadinessAndMetrics() throws Exception {
    String base = "http://127.0.0.1:" + operator.opsPort();
    assertThat(get(base + "/healthz").statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> get(base + "/readyz").statusCode() == 200);
    createRun("counted", "list");
    awaitPod(pod("counted", 1));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> get(base + "/metrics").body().contains("tessera_runs{phase=\"Running\"} 1.0"));
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void crashedPodIsFollowedByASecondAttemptThenTheRunFails() throws Exception {
    createRun("crash", "list");
    awaitPod(pod("crash", 1));
    finishPod(pod("crash", 1), "Failed", 3);
    awaitPod(pod("crash", 2));
    finishPod(pod("crash", 2), "Failed", 3);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> "Failed".equals(run("crash").getStatus().getPhase()));
    Run failed = run("crash");
    assertThat(failed.getStatus().getReason()).isEqualTo("ApiAttemptsFailed");
    assertThat(failed.getStatus().getAttempts())
        .hasSize(2)
        .allSatisfy(
            a -> {
              assertThat(a.getError().getCode()).isEqualTo("RunnerCrashed");
              assertThat(a.getError().getMessage()).contains("exited with code 3");
            });
  }

  @Test
  void runOfAMissingApiIsRejectedAndOthersStillRun() throws Exception {
    createRun("bad", "nope");
    createRun("good", "list");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                run("bad").getStatus() != null
                    && "Rejected".equals(run("bad").getStatus().getPhase()));
    assertThat(run("bad").getStatus().getReason()).isEqualTo("ApiNotFound");
    awaitPod(pod("good", 1));
    assertThat(client.pods().inNamespace("test").withName(pod("bad", 1)).get()).isNull();
  }
}

package dev.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tessera.api.v1alpha1.AttemptStatus;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.operator.results.ResultsEndpoint;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Local mode as users run it: the embedded API, the operator as shipped, the local executor running
 * the real runner with real Chromium, and the demo site. Runs are created as a user would; what is
 * asserted is what {@code kubectl} and the site would show.
 */
class LocalModeIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration LONG = Duration.ofSeconds(120);
  private static LocalMode local;
  private static Path kubeconfig;
  private static KubernetesClient client;
  private static final Map<String, List<String>> podsAdded = new ConcurrentHashMap<>();
  private static final Map<String, List<OwnerReference>> inputSecretOwners =
      new ConcurrentHashMap<>();
  private static Watch podWatch;
  private static Watch secretWatch;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    kubeconfig = Files.createTempDirectory("tessera-it").resolve("kubeconfig");
    local = LocalMode.start(new LocalMode.Options(root, kubeconfig, 0, true, 0, System.out));
    client = local.client();
    podWatch =
        client
            .pods()
            .inAnyNamespace()
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    if (action == Action.ADDED) {
                      podsAdded
                          .computeIfAbsent(
                              pod.getMetadata().getLabels().getOrDefault("tessera.dev/run", ""),
                              k -> new CopyOnWriteArrayList<>())
                          .add(pod.getMetadata().getName());
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    secretWatch =
        client
            .secrets()
            .inAnyNamespace()
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Secret secret) {
                    if (action == Action.ADDED && secret.getMetadata().getName().endsWith("-in")) {
                      inputSecretOwners.put(
                          secret.getMetadata().getName(),
                          secret.getMetadata().getOwnerReferences());
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
  }

  @AfterAll
  static void stop() {
    podWatch.close();
    secretWatch.close();
    local.close();
  }

  /** When a test fails, prints the Runs it saw that did not succeed, with their runners' logs. */
  @RegisterExtension
  static final TestWatcher PRINT_ON_FAILURE =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          printWhatWasSeen(context.getDisplayName());
        }
      };

  static void printWhatWasSeen(String test) {
    for (Run run : client.resources(Run.class).inNamespace("default").list().getItems()) {
      if (run.getStatus() != null && !"Succeeded".equals(run.getStatus().getPhase())) {
        System.out.printf(
            "[%s] run/%s %s %s: %s%n",
            test,
            run.getMetadata().getName(),
            run.getStatus().getPhase(),
            run.getStatus().getReason(),
            run.getStatus().getMessage());
        for (AttemptStatus attempt :
            run.getStatus().getAttempts() == null
                ? List.<AttemptStatus>of()
                : run.getStatus().getAttempts()) {
          System.out.printf(
              "  attempt %d %s %s%n",
              attempt.getNumber(),
              attempt.getPhase(),
              attempt.getError() == null
                  ? ""
                  : attempt.getError().getCode() + ": " + attempt.getError().getMessage());
          local
              .executor()
              .logs("default", attempt.getPod())
              .ifPresent(
                  log -> System.out.printf("--- log of %s ---%n%s%n", attempt.getPod(), tail(log)));
        }
      }
    }
  }

  private static String tail(String log) {
    String[] lines = log.split("\n");
    return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 15), lines.length));
  }

  private static Run create(String name, String api, String parametersYaml, String extraSpecYaml)
      throws IOException {
    String yaml =
        "apiVersion: tessera.dev/v1alpha1\nkind: Run\nmetadata: {name: "
            + name
            + ", namespace: default}\n"
            + "spec:\n  project: demo-catalog\n  api: "
            + api
            + "\n  parameters: "
            + parametersYaml
            + "\n"
            + (extraSpecYaml == null ? "" : extraSpecYaml);
    return client.resource(new YAMLMapper().readValue(yaml, Run.class)).create();
  }

  private static Run run(String name) {
    return client.resources(Run.class).inNamespace("default").withName(name).get();
  }

  private static Run awaitPhase(String name, String phase) {
    await()
        .atMost(LONG)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              Run run = run(name);
              return run != null
                  && run.getStatus() != null
                  && List.of("Succeeded", "Failed", "Canceled", "Rejected")
                      .contains(run.getStatus().getPhase());
            });
    Run run = run(name);
    assertThat(run.getStatus().getPhase())
        .as("phase of %s: %s", name, run.getStatus().getMessage())
        .isEqualTo(phase);
    return run;
  }

  private JsonNode siteJson(String path) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(local.site().baseUrl() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  private static List<String> eventReasons(String run) {
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> run.equals(e.getInvolvedObject().getName()))
        .map(Event::getReason)
        .collect(Collectors.toList());
  }

  @Test
  void everyListenerOfLocalModeIsOnLoopbackAndTheApiNeedsItsToken() throws Exception {
    Map<String, Integer> ports =
        Map.of(
            "the Kubernetes API", local.cluster().port(),
            "the operator's ops server", local.operator().opsPort(),
            "the results endpoint", local.operator().config().resultsUrl().getPort(),
            "the demo site", local.site().port());
    ports.forEach(
        (what, port) ->
            assertThat(ListeningSockets.addresses(port))
                .as("%s on port %d", what, port)
                .isNotEmpty()
                .allSatisfy(address -> assertThat(address.isLoopbackAddress()).isTrue()));
    HttpResponse<String> anonymous =
        HttpClient.newBuilder()
            .sslContext(local.cluster().sslContext())
            .build()
            .send(
                HttpRequest.newBuilder(URI.create(local.cluster().url() + "/api/v1/secrets"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.body()).doesNotContain("demo-alice");
    assertThat(Files.readString(kubeconfig)).contains("token: " + local.cluster().token());
  }

  @Test
  void aRunCannotReadSecretsThroughTheLocalApi() throws Exception {
    String api = local.cluster().url();
    LocalMode.apply(
        client,
        writeTemp(
            """
            apiVersion: tessera.dev/v1alpha1
            kind: Project
            metadata: {name: api-probe}
            spec:
              apis:
                secrets:
                  steps:
                    - request: {url: '%s/api/v1/namespaces/default/secrets', as: secrets}
            """
                .formatted(api)),
        null);
    await()
        .atMost(LONG)
        .until(
            () -> {
              var project =
                  client
                      .resources(dev.tessera.api.v1alpha1.Project.class)
                      .inNamespace("default")
                      .withName("api-probe")
                      .get();
              return project.getStatus() != null
                  && project.getStatus().getConditions() != null
                  && project.getStatus().getConditions().stream()
                      .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            });
    LocalMode.apply(
        client,
        writeTemp(
            """
            apiVersion: tessera.dev/v1alpha1
            kind: Run
            metadata: {name: api-probe}
            spec: {project: api-probe, api: secrets}
            """),
        null);
    Run run = awaitPhase("api-probe", "Failed");
    String status = JSON.writeValueAsString(run.getStatus());
    assertThat(status).contains("AddressNotAllowed").doesNotContain("demo-alice-credentials");
    assertThat(run.getStatus().getResult()).isNull();
  }

  private static Path writeTemp(String yaml) throws IOException {
    Path file = Files.createTempFile("tessera-probe", ".yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void exampleRunSucceedsWithTheRecordsTheSiteServesInOnePodOwnedByTheRun() throws Exception {
    Run run = awaitPhase("catalog-page-2", "Succeeded");
    assertThat(run.getStatus().getResult().get("products"))
        .isEqualTo(siteJson("/api/catalog?page=2").get("products"));
    assertThat(run.getStatus().getResult().get("pageInfo").asText()).isEqualTo("Page 2 of 3");
    assertThat(run.getStatus().getAttempts())
        .singleElement()
        .satisfies(a -> assertThat(a.getPhase()).isEqualTo("Succeeded"));
    List<Pod> pods =
        client
            .pods()
            .inNamespace("default")
            .withLabel("tessera.dev/run", "catalog-page-2")
            .list()
            .getItems();
    assertThat(pods)
        .singleElement()
        .satisfies(
            pod -> {
              assertThat(pod.getMetadata().getOwnerReferences())
                  .singleElement()
                  .satisfies(o -> assertThat(o.getUid()).isEqualTo(run.getMetadata().getUid()));
              assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
            });
    assertThat(inputSecretOwners.get(LocalCluster.attemptPod(client, "catalog-page-2", 1) + "-in"))
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(run.getMetadata().getUid()));
    // the expected course: told by the status and its conditions, not by Events
    assertThat(eventReasons("catalog-page-2")).isEmpty();
  }

  @Test
  void apiWhoseSelectorNeverAppearsIsTriedMaxAttemptsTimesThenFails() throws Exception {
    create("missing-button", "missing-button", "{}", null);
    Run run = awaitPhase("missing-button", "Failed");
    assertThat(run.getStatus().getReason()).isEqualTo("ApiAttemptsFailed");
    assertThat(run.getStatus().getAttempts())
        .hasSize(3)
        .allSatisfy(
            a -> {
              assertThat(a.getPhase()).isEqualTo("Failed");
              assertThat(a.getError().getCode()).isEqualTo("SelectorNotFound");
              assertThat(a.getError().getMessage()).contains("#no-such-button");
              assertThat(a.getError().getStep()).contains("click");
            });
    assertThat(podsAdded.get("missing-button"))
        .containsExactly(
            LocalCluster.attemptPod(client, "missing-button", 1),
            LocalCluster.attemptPod(client, "missing-button", 2),
            LocalCluster.attemptPod(client, "missing-button", 3));
  }

  @Test
  void attemptThatRunsOutOfTimeFailsWithTimeout() throws Exception {
    create("too-slow", "slow", "{ms: 60000}", "  timeoutSeconds: 5\n  retry: {maxAttempts: 1}\n");
    Run run = awaitPhase("too-slow", "Failed");
    assertThat(run.getStatus().getAttempts())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getError().getCode()).isEqualTo("Timeout");
              assertThat(a.getError().getMessage()).contains("5 s");
            });
  }

  @Test
  void runnerKilledMidAttemptFailsThatAttemptAndTheNextOneRuns() throws Exception {
    create("killed", "slow", "{ms: 4000}", "  retry: {maxAttempts: 2}\n");
    ProcessHandle runner =
        await()
            .atMost(LONG)
            .until(
                () -> runnerProcessOf(LocalCluster.attemptPod(client, "killed", 1)),
                p -> p != null);
    // runners use the driver local mode extracted once, instead of extracting it each
    String environ = Files.readString(Path.of("/proc", Long.toString(runner.pid()), "environ"));
    String driver =
        java.util.Arrays.stream(environ.split("\0"))
            .filter(e -> e.startsWith("PLAYWRIGHT_DRIVER_DIR="))
            .map(e -> e.substring("PLAYWRIGHT_DRIVER_DIR=".length()))
            .findFirst()
            .orElseThrow();
    assertThat(Path.of(driver).resolve("package/cli.js")).isRegularFile();
    runner.destroyForcibly();
    Run run = awaitPhase("killed", "Succeeded");
    assertThat(run.getStatus().getAttempts()).hasSize(2);
    assertThat(run.getStatus().getAttempts().get(0).getError().getCode())
        .isEqualTo("RunnerCrashed");
    assertThat(run.getStatus().getAttempts().get(1).getPhase()).isEqualTo("Succeeded");
  }

  @Test
  void podDeletedByAnotherHandFailsThatAttemptAndTheNextOneRuns() throws Exception {
    create("evicted", "slow", "{ms: 30000}", "  retry: {maxAttempts: 2}\n");
    await()
        .atMost(LONG)
        .until(
            () -> runnerProcessOf(LocalCluster.attemptPod(client, "evicted", 1)), p -> p != null);
    client
        .pods()
        .inNamespace("default")
        .withName(LocalCluster.attemptPod(client, "evicted", 1))
        .delete();
    await()
        .atMost(LONG)
        .until(
            () -> {
              Run run = run("evicted");
              return run.getStatus() != null && run.getStatus().getAttempts().size() == 2;
            });
    Run run = run("evicted");
    assertThat(run.getStatus().getAttempts().get(0).getError().getCode())
        .isEqualTo("RunnerCrashed");
    assertThat(run.getStatus().getAttempts().get(0).getError().getMessage())
        .contains("deleted before it reported a result");
    client.resources(Run.class).inNamespace("default").withName("evicted").delete();
  }

  @Test
  void badRunsAreRejectedWithTheirReasonWhileOthersRun() throws Exception {
    client
        .resource(
            new YAMLMapper()
                .readValue(
                    "{apiVersion: tessera.dev/v1alpha1, kind: Run, metadata: {name: no-project, namespace: default}, spec: {project: nowhere, api: products, startTimeoutSeconds: 2}}",
                    Run.class))
        .create();
    create("no-api", "nope", "{}", null);
    create("bad-params", "products", "{page: 0}", null);
    create("good-neighbour", "products", "{page: 1}", null);
    assertThat(awaitPhase("no-project", "Rejected").getStatus().getReason())
        .isEqualTo("ProjectNotFound");
    assertThat(awaitPhase("no-api", "Rejected").getStatus().getReason()).isEqualTo("ApiNotFound");
    Run badParams = awaitPhase("bad-params", "Rejected");
    assertThat(badParams.getStatus().getReason()).isEqualTo("InvalidParameters");
    assertThat(badParams.getStatus().getMessage()).contains("page");
    assertThat(eventReasons("no-api")).contains("ApiNotFound");
    awaitPhase("good-neighbour", "Succeeded");
    assertThat(podsAdded.get("no-api")).isNull();
  }

  @Test
  void operatorRestartedMidAttemptDoesNotStartItAgain() throws Exception {
    create("restart", "slow", "{ms: 5000}", "  retry: {maxAttempts: 2}\n");
    await()
        .atMost(LONG)
        .until(
            () -> runnerProcessOf(LocalCluster.attemptPod(client, "restart", 1)), p -> p != null);
    local.restartOperator();
    Run run = awaitPhase("restart", "Succeeded");
    assertThat(run.getStatus().getAttempts())
        .singleElement()
        .satisfies(a -> assertThat(a.getPhase()).isEqualTo("Succeeded"));
    assertThat(podsAdded.get("restart"))
        .containsExactly(LocalCluster.attemptPod(client, "restart", 1));
  }

  @Test
  void forgedResultIsRefusedAndTheRealOneWins() throws Exception {
    create("forged", "slow", "{ms: 3000}", null);
    await()
        .atMost(LONG)
        .until(
            () ->
                client
                        .pods()
                        .inNamespace("default")
                        .withName(LocalCluster.attemptPod(client, "forged", 1))
                        .get()
                    != null);
    URI url =
        ResultsEndpoint.reportUrl(
            local.operator().config().resultsUrl(),
            "default",
            LocalCluster.attemptPod(client, "forged", 1));
    String forged =
        "{\"apiVersion\":\"runner.tessera.dev/v1\",\"kind\":\"AttemptResult\",\"outcome\":\"SUCCEEDED\",\"result\":{\"forged\":true}}";
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(url)
                .header("Authorization", "Bearer guessed")
                .POST(HttpRequest.BodyPublishers.ofString(forged))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(403);
    Run run = awaitPhase("forged", "Succeeded");
    assertThat(run.getStatus().getResult().has("forged")).isFalse();
  }

  /**
   * The runner process the local executor started for a Pod, found by the Pod name in its
   * environment.
   */
  private static ProcessHandle runnerProcessOf(String pod) {
    return ProcessHandle.current()
        .descendants()
        .filter(
            p -> {
              try {
                String environ =
                    Files.readString(Path.of("/proc", Long.toString(p.pid()), "environ"));
                return environ.contains("TESSERA_ATTEMPT_POD=" + pod + "\0");
              } catch (IOException e) {
                return false;
              }
            })
        .findFirst()
        .orElse(null);
  }
}

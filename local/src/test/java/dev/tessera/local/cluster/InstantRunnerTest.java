package dev.tessera.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.sun.net.httpserver.HttpServer;
import dev.tessera.api.protocol.AttemptInput;
import dev.tessera.api.protocol.AttemptInputs;
import dev.tessera.api.protocol.AttemptResult;
import dev.tessera.api.protocol.Outcome;
import dev.tessera.api.protocol.ProtocolJson;
import dev.tessera.api.protocol.Validation;
import dev.tessera.api.protocol.ValidationOutcome;
import dev.tessera.api.v1alpha1.Project;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.operator.OperatorConfig;
import dev.tessera.operator.pod.AttemptPods;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The local executor's instant mode: Pods shaped by the operator's own {@link AttemptPods}, with
 * their input Secret, are answered by the {@link InstantRunner} through a stand-in of the
 * operator's results endpoint, and end as a runner process would end them; deleting a Pod or
 * passing its deadline stops an answer that hangs. Orchestration benchmarks only use instant mode.
 */
class InstantRunnerTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  static EmbeddedCluster cluster;
  static KubernetesClient client;
  static HttpServer endpoint;
  static Project project;

  /** Reports the stand-in endpoint received. */
  static final List<Report> reports = new CopyOnWriteArrayList<>();

  /** Pods whose report the endpoint answers 403. */
  static final Set<String> refused = ConcurrentHashMap.newKeySet();

  /** Pods whose report the endpoint holds until {@link #release} opens. */
  static final Set<String> held = ConcurrentHashMap.newKeySet();

  static CountDownLatch release = new CountDownLatch(1);

  String namespace;
  LocalExecutor executor;

  record Report(
      String method, String path, String authorization, String contentType, byte[] body) {}

  @BeforeAll
  static void start() throws Exception {
    cluster =
        EmbeddedCluster.builder().crds(EmbeddedClusterTest.CRDS).garbageCollection(null).start();
    client = cluster.kubernetesClient();
    endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    endpoint.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    endpoint.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          String pod = path.replaceAll("^/v1/attempts/[^/]+/([^/]+)/result$", "$1");
          reports.add(
              new Report(
                  exchange.getRequestMethod(),
                  path,
                  exchange.getRequestHeaders().getFirst("Authorization"),
                  exchange.getRequestHeaders().getFirst("Content-Type"),
                  exchange.getRequestBody().readAllBytes()));
          if (held.contains(pod)) {
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          int status = refused.contains(pod) ? 403 : 200;
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    endpoint.start();
    project = YAML.readValue(Path.of("..", "examples/demo/project.yaml").toFile(), Project.class);
  }

  @AfterAll
  static void stop() {
    release.countDown();
    endpoint.stop(0);
    cluster.close();
  }

  @BeforeEach
  void startExecutor() {
    namespace = "instant-" + NAMESPACES.incrementAndGet();
    cluster.ensureNamespace(namespace);
    executor =
        LocalExecutor.builder(client)
            .imageResolver(
                ImageResolver.builder()
                    .map("*tessera-runner*", LocalImage.of("/nonexistent/never-run"))
                    .build())
            .namespace(namespace)
            .maxConcurrentPods(1)
            .instantRunner(new InstantRunner(Duration.ofSeconds(5)))
            .start();
  }

  @AfterEach
  void stopExecutor() {
    release.countDown();
    executor.close();
    release = new CountDownLatch(1);
  }

  @Test
  void answersAnApiAttemptThroughTheResultsEndpointAndSucceeds() throws Exception {
    Run run = run("api");
    AttemptInput input =
        AttemptInputs.api(
            namespace + "/api",
            1,
            project.getSpec(),
            "me",
            null,
            true,
            3,
            ProtocolJson.mapper().readTree("{\"cookies\":[],\"origins\":[]}"),
            null);
    String pod = createAttempt(run, input, "token-api", 60);

    Pod ended = awaitPhase(pod, "Succeeded");

    Report report = reportOf(pod);
    assertThat(report.method()).isEqualTo("POST");
    assertThat(report.path()).isEqualTo("/v1/attempts/" + namespace + "/" + pod + "/result");
    assertThat(report.authorization()).isEqualTo("Bearer token-api");
    assertThat(report.contentType()).isEqualTo("application/json");
    AttemptResult result = ProtocolJson.readResult(report.body());
    assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(result.validation()).isEqualTo(new Validation(1, 0, ValidationOutcome.Valid));
    assertThat(result.storageState()).isNull();
    ContainerStateTerminated terminated = terminated(ended);
    assertThat(terminated.getExitCode()).isZero();
    assertThat(terminated.getMessage())
        .isEqualTo("outcome=SUCCEEDED validation=Valid checks=1 creates=0\n");
    assertThat(executor.logs(namespace, pod)).get().asString().contains("result delivered");
  }

  @Test
  void answersACreateWithAnEmptyState() throws Exception {
    Run run = run("create");
    AttemptInput input =
        AttemptInputs.create(
            namespace + "/create",
            1,
            project.getSpec(),
            null,
            Map.of("username", "alice", "password", "wonderland"),
            3,
            3,
            null);
    String pod = createAttempt(run, input, "token-create", 60);

    awaitPhase(pod, "Succeeded");

    AttemptResult result = ProtocolJson.readResult(reportOf(pod).body());
    assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(result.validation()).isEqualTo(new Validation(1, 1, ValidationOutcome.Created));
    assertThat(result.storageState().toString()).isEqualTo("{\"cookies\":[],\"origins\":[]}");
  }

  @Test
  void aRefusedResultFailsThePodAsAnUndeliveredRunnerWould() throws Exception {
    Run run = run("refused");
    String pod = Names.pod(run);
    refused.add(pod);
    createAttempt(run, checkInput("refused"), "token-refused", 60);

    ContainerStateTerminated terminated = terminated(awaitPhase(pod, "Failed"));

    assertThat(terminated.getExitCode()).isEqualTo(InstantRunner.EXIT_UNDELIVERED);
    assertThat(terminated.getMessage()).contains("code=ResultNotDelivered");
  }

  @Test
  void deletingAPodWhoseAnswerHangsFreesItsSlot() throws Exception {
    Run hanging = run("hanging");
    String hangingPod = Names.pod(hanging);
    held.add(hangingPod);
    createAttempt(hanging, checkInput("hanging"), "token-hanging", 60);
    awaitPhase(hangingPod, "Running");
    Run next = run("next");
    String nextPod = createAttempt(next, checkInput("next"), "token-next", 60);
    // one slot, taken by the answer that hangs
    awaitPhase(nextPod, "Pending");
    Thread.sleep(300);
    assertThat(phase(nextPod)).isEqualTo("Pending");

    client.pods().inNamespace(namespace).withName(hangingPod).delete();

    awaitPhase(nextPod, "Succeeded");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> client.pods().inNamespace(namespace).withName(hangingPod).get() == null);
  }

  @Test
  void aPassedDeadlineStopsAnAnswerThatHangs() throws Exception {
    Run run = run("deadline");
    String pod = Names.pod(run);
    held.add(pod);
    createAttempt(run, checkInput("deadline"), "token-deadline", 1);

    Pod ended = awaitPhase(pod, "Failed");

    assertThat(ended.getStatus().getReason()).isEqualTo("DeadlineExceeded");
    assertThat(executor.runningPods()).isZero();
  }

  // ---- helpers ----

  private AttemptInput checkInput(String run) {
    return AttemptInputs.check(
        namespace + "/" + run,
        1,
        project.getSpec(),
        null,
        3,
        JsonNodeFactory.instance.objectNode(),
        null);
  }

  private Run run(String name) throws Exception {
    Run run =
        YAML.readValue(
            "{apiVersion: tessera.dev/v1alpha1, kind: Run, metadata: {name: "
                + name
                + ", namespace: "
                + namespace
                + "}, spec: {project: demo-site, api: me, authSession: {name: demo-alice}}}",
            Run.class);
    run.getMetadata().setUid(UUID.randomUUID().toString());
    return run;
  }

  /** Creates the input Secret and the Pod of Attempt 1 as the operator does; returns the Pod. */
  private String createAttempt(Run run, AttemptInput input, String token, int timeoutSeconds) {
    OperatorConfig config =
        OperatorConfig.fromEnv(Map.of())
            .withResultsUrl(URI.create("http://127.0.0.1:" + endpoint.getAddress().getPort()));
    client.resource(AttemptPods.inputSecret(run, 1, ProtocolJson.write(input), token)).create();
    Pod pod = client.resource(AttemptPods.pod(run, 1, null, timeoutSeconds, config)).create();
    return pod.getMetadata().getName();
  }

  private String phase(String pod) {
    Pod current = client.pods().inNamespace(namespace).withName(pod).get();
    return current == null || current.getStatus() == null ? null : current.getStatus().getPhase();
  }

  private Pod awaitPhase(String pod, String phase) {
    await().atMost(Duration.ofSeconds(10)).until(() -> phase(pod), phase::equals);
    return client.pods().inNamespace(namespace).withName(pod).get();
  }

  private static ContainerStateTerminated terminated(Pod pod) {
    return pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
  }

  private static Report reportOf(String pod) {
    return reports.stream()
        .filter(r -> r.path().endsWith("/" + pod + "/result"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no report for " + pod));
  }

  /** The Pod names the operator gives Attempt 1 of a Run. */
  private static final class Names {
    static String pod(Run run) {
      return dev.tessera.operator.naming.Names.attemptPod(
          run.getMetadata().getName(), run.getMetadata().getUid(), 1);
    }
  }
}

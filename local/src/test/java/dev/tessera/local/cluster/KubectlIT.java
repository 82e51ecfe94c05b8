package dev.tessera.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tessera.api.v1alpha1.Job;
import dev.tessera.api.v1alpha1.JobStatus;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.RunStatus;
import dev.tessera.api.v1alpha1.StatusCondition;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** The real kubectl binary against the embedded API, the way a local-mode user drives it. */
class KubectlIT {
  static final Path EXAMPLES = Path.of("..", "examples", "demo");

  static EmbeddedCluster cluster;
  static KubernetesClient client;
  static Path kubeconfig;
  static Path home;

  String namespace;

  @BeforeAll
  static void start(@TempDir Path dir) {
    Kubectl.find();
    cluster = EmbeddedCluster.builder().crds(EmbeddedClusterTest.CRDS).start();
    client = cluster.kubernetesClient();
    kubeconfig = cluster.writeKubeconfig(dir.resolve("kubeconfig"));
    home = dir;
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @BeforeEach
  void namespace(TestInfo test) {
    String method = test.getTestMethod().orElseThrow().getName().toLowerCase();
    namespace = method.substring(0, Math.min(20, method.length()));
    cluster.ensureNamespace(namespace);
  }

  @Test
  void listsNamespacesAndTheTesseraResources() {
    assertThat(kubectl("get", "ns").out()).contains("default").contains("Active");
    assertThat(kubectl("api-resources", "--api-group=tessera.dev").out())
        .contains("runs")
        .contains("trun")
        .contains("tessera.dev/v1alpha1");
  }

  @Test
  void appliesTheDemoExamplesTwiceAndDeletesThem() throws IOException {
    String project = EXAMPLES.resolve("project.yaml").toString();
    assertThat(kubectl("apply", "-f", project, "--validate=false").out())
        .contains("project.tessera.dev/demo-site created");
    assertThat(kubectl("apply", "-f", project, "--validate=false").out())
        .contains("project.tessera.dev/demo-site unchanged");
    // with kubectl's default validation too: the server reports it checks fields
    String applied = kubectl("apply", "-f", EXAMPLES.toString()).out();
    assertThat(applied)
        .contains("run.tessera.dev/alice-invoices-page-2 created")
        .contains("secret/demo-alice-credentials created")
        .contains("authsession.tessera.dev/demo-alice created");
    assertThat(kubectl("apply", "-f", EXAMPLES.toString()).out())
        .contains("run.tessera.dev/alice-invoices-page-2 unchanged");
    // a Run's spec is immutable but for cancel and ttlSecondsAfterFinished, as the CRD's rule says
    Path changed = home.resolve(namespace + "-run.yaml");
    Files.writeString(
        changed,
        Files.readString(EXAMPLES.resolve("run-invoices.yaml")).replace("page: 2", "page: 3"));
    assertThat(kubectl(List.of("apply", "-f", changed.toString()), 1).err())
        .contains(
            "The Run \"alice-invoices-page-2\" is invalid: spec: Invalid value: \"object\": spec"
                + " is immutable after creation except cancel and ttlSecondsAfterFinished");
    Files.writeString(
        changed,
        Files.readString(EXAMPLES.resolve("run-invoices.yaml"))
            .replace("  retry:", "  ttlSecondsAfterFinished: 600\n  retry:"));
    assertThat(kubectl("apply", "-f", changed.toString()).out())
        .contains("run.tessera.dev/alice-invoices-page-2 configured");
    Run run =
        client.resources(Run.class).inNamespace(namespace).withName("alice-invoices-page-2").get();
    assertThat(run.getSpec().getParameters().get("page").asInt()).isEqualTo(2);
    assertThat(run.getSpec().getTtlSecondsAfterFinished()).isEqualTo(600);
    assertThat(run.getSpec().getRetry().getMaxAttempts()).isEqualTo(2);
    Secret credentials =
        client.secrets().inNamespace(namespace).withName("demo-alice-credentials").get();
    assertThat(new String(Base64.getDecoder().decode(credentials.getData().get("username"))))
        .isEqualTo("alice");

    assertThat(kubectl("delete", "-f", EXAMPLES.toString()).out())
        .contains("run.tessera.dev \"alice-invoices-page-2\" deleted")
        .contains("project.tessera.dev \"demo-site\" deleted");
    assertThat(kubectl("get", "tessera").all()).contains("No resources found");
  }

  @Test
  void printsRunsWithTheirPrinterColumns() {
    kubectl("apply", "-f", EXAMPLES.resolve("run-invoices.yaml").toString());
    Run run =
        client.resources(Run.class).inNamespace(namespace).withName("alice-invoices-page-2").get();
    RunStatus status = new RunStatus();
    status.setPhase("Running");
    status.setReason("AttemptRunning");
    status.setAttemptCount(1);
    run.setStatus(status);
    client.resources(Run.class).inNamespace(namespace).resource(run).updateStatus();

    List<String> lines = kubectl("get", "runs").lines();
    assertThat(lines.get(0).split("\\s+"))
        .containsExactly("NAME", "PROJECT", "API", "SESSION", "PHASE", "REASON", "ATTEMPTS", "AGE");
    assertThat(lines.get(1).split("\\s+"))
        .startsWith(
            "alice-invoices-page-2",
            "demo-site",
            "invoices",
            "demo-alice",
            "Running",
            "AttemptRunning",
            "1");
    assertThat(kubectl("get", "trun", "-o", "wide").lines().get(0)).contains("OPERATION");
    assertThat(kubectl("get", "tessera").out()).contains("run.tessera.dev/alice-invoices-page-2");
    assertThat(
            kubectl("get", "run", "alice-invoices-page-2", "-o", "jsonpath={.status.phase}").out())
        .isEqualTo("Running");
  }

  @Test
  void tesseraJobsAreTjobsAndSayWhenTheyRunNext() {
    kubectl("apply", "-f", EXAMPLES.resolve("job-invoices.yaml").toString());
    Job job =
        client.resources(Job.class).inNamespace(namespace).withName("alice-invoices-daily").get();
    JobStatus status = new JobStatus();
    String next =
        Instant.now().plus(Duration.ofHours(5)).truncatedTo(ChronoUnit.SECONDS).toString();
    status.setNextScheduleTime(next);
    job.setStatus(status);
    client.resources(Job.class).inNamespace(namespace).resource(job).updateStatus();

    List<String> lines = kubectl("get", "tjob").lines();
    assertThat(lines.get(0).split("\\s{2,}"))
        .containsExactly(
            "NAME",
            "PROJECT",
            "SCHEDULE",
            "SUSPEND",
            "LAST SCHEDULE",
            "NEXT SCHEDULE",
            "READY",
            "AGE");
    // a time to come, as a time: a date column would print it as <invalid>
    assertThat(lines.get(1)).startsWith("alice-invoices-daily").contains(next);
    assertThat(kubectl("get", "jobs.tessera.dev").out()).contains("alice-invoices-daily");
    // jobs are batch Jobs, as in a cluster
    assertThat(kubectl("get", "jobs").all())
        .doesNotContain("alice-invoices-daily")
        .contains("No resources found");
  }

  @Test
  void projectsSayWhetherTheyAuthenticateEvenWhenTheyDoNotSay() {
    kubectl("apply", "-f", EXAMPLES.resolve("project.yaml").toString());
    kubectl("apply", "-f", EXAMPLES.resolve("../catalog/project.yaml").toString());

    List<String> lines = kubectl("get", "tproj").lines();
    assertThat(lines.get(0).split("\\s+")).containsExactly("NAME", "AUTH", "READY", "AGE");
    assertThat(lines)
        .anySatisfy(l -> assertThat(l.split("\\s+")).startsWith("demo-catalog", "false"))
        .anySatisfy(l -> assertThat(l.split("\\s+")).startsWith("demo-site", "true"));
  }

  @Test
  void describesARunWithItsEvents() {
    kubectl("apply", "-f", EXAMPLES.resolve("run-invoices.yaml").toString());
    Run run =
        client.resources(Run.class).inNamespace(namespace).withName("alice-invoices-page-2").get();
    client
        .v1()
        .events()
        .inNamespace(namespace)
        .resource(
            new EventBuilder()
                .withNewMetadata()
                .withName("alice-invoices-page-2.attempt")
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(run.getApiVersion())
                .withKind("Run")
                .withName(run.getMetadata().getName())
                .withNamespace(namespace)
                .withUid(run.getMetadata().getUid())
                .endInvolvedObject()
                .withType("Normal")
                .withReason("AttemptStarted")
                .withMessage("Attempt 1 started")
                .withLastTimestamp(Instant.now().toString())
                .withCount(1)
                .build())
        .create();

    String described = kubectl("describe", "run", "alice-invoices-page-2").out();
    assertThat(described)
        .contains("alice-invoices-page-2")
        .contains("Kind:         Run")
        .contains("demo-site")
        .contains("AttemptStarted")
        .contains("Attempt 1 started");
    assertThat(kubectl("get", "events").out()).contains("run/alice-invoices-page-2");
  }

  @Test
  void waitsForARunPhaseAndWatchesItChange() throws Exception {
    kubectl("apply", "-f", EXAMPLES.resolve("run-invoices.yaml").toString());
    Path watched = home.resolve(namespace + "-watch.out");
    Process watch = start(watched, "get", "runs", "--watch");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Files.readString(watched).contains("alice-invoices-page-2"));
    Path waited = home.resolve(namespace + "-wait.out");
    Process wait =
        start(
            waited, "wait", "--for=condition=Ready", "run/alice-invoices-page-2", "--timeout=30s");

    Run run =
        client.resources(Run.class).inNamespace(namespace).withName("alice-invoices-page-2").get();
    RunStatus status = new RunStatus();
    status.setPhase("Succeeded");
    StatusCondition ready = new StatusCondition();
    ready.setType("Ready");
    ready.setStatus("True");
    ready.setReason("Succeeded");
    ready.setLastTransitionTime(Instant.now().toString());
    status.setConditions(java.util.List.of(ready));
    run.setStatus(status);
    client.resources(Run.class).inNamespace(namespace).resource(run).updateStatus();

    assertThat(wait.waitFor(40, TimeUnit.SECONDS)).as("kubectl wait finished").isTrue();
    assertThat(wait.exitValue()).as(Files.readString(waited)).isZero();
    assertThat(Files.readString(waited))
        .contains("run.tessera.dev/alice-invoices-page-2 condition met");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Files.readString(watched).contains("Succeeded"));
    watch.destroy();
    List<String> lines = Files.readAllLines(watched);
    assertThat(lines.get(0)).startsWith("NAME");
    assertThat(lines).filteredOn(l -> l.startsWith("alice-invoices-page-2")).hasSize(2);
  }

  @Test
  void explainsTheCrdFields() {
    assertThat(kubectl("explain", "runs.spec.authSession").out())
        .containsPattern("KIND: +Run")
        .contains("checkAttempts")
        .contains("How many times check is tried");
  }

  @Test
  void rejectsUnknownFieldsAndPatchesLikeARealServer() throws IOException {
    Path typo = home.resolve(namespace + "-typo.yaml");
    Files.writeString(
        typo,
        """
        apiVersion: tessera.dev/v1alpha1
        kind: Run
        metadata:
          name: typo
        spec:
          project: demo-site
          api: invoices
          paramters: {page: 1}
        """);
    Kubectl.Result rejected = kubectl(List.of("apply", "-f", typo.toString()), 1);
    // kubectl before 1.27 validates with OpenAPI v2 itself, later ones leave it to the server
    assertThat(rejected.err()).contains("unknown field").contains("paramters");

    kubectl("apply", "-f", EXAMPLES.resolve("run-invoices.yaml").toString());
    assertThat(
            kubectl(
                    "patch",
                    "run",
                    "alice-invoices-page-2",
                    "--type=merge",
                    "-p",
                    "{\"spec\":{\"ttlSecondsAfterFinished\":60}}")
                .out())
        .contains("patched");
    assertThat(
            kubectl(
                    List.of(
                        "patch",
                        "run",
                        "alice-invoices-page-2",
                        "--type=merge",
                        "-p",
                        "{\"spec\":{\"retry\":{\"maxAttempts\":0}}}"),
                    1)
                .err())
        .contains(
            "spec.retry.maxAttempts: Invalid value: 0: spec.retry.maxAttempts in body should be"
                + " greater than or equal to 1");
    kubectl("label", "run", "alice-invoices-page-2", "team=billing");
    Run run =
        client.resources(Run.class).inNamespace(namespace).withName("alice-invoices-page-2").get();
    assertThat(run.getSpec().getTtlSecondsAfterFinished()).isEqualTo(60);
    assertThat(run.getSpec().getRetry().getMaxAttempts()).isEqualTo(2);
    assertThat(run.getMetadata().getLabels()).containsEntry("team", "billing");
    assertThat(kubectl(List.of("get", "run", "nonexistent"), 1).err())
        .contains("runs.tessera.dev \"nonexistent\" not found");
  }

  @Test
  void createsSecretsAndNamespacesFromTheCommandLine() {
    assertThat(
            kubectl("create", "secret", "generic", "cli-credentials", "--from-literal=username=bob")
                .out())
        .contains("secret/cli-credentials created");
    Secret secret = client.secrets().inNamespace(namespace).withName("cli-credentials").get();
    assertThat(new String(Base64.getDecoder().decode(secret.getData().get("username"))))
        .isEqualTo("bob");
    assertThat(kubectl("create", "namespace", "from-kubectl").out()).contains("created");
    assertThat(client.namespaces().withName("from-kubectl").get()).isNotNull();
  }

  @Test
  void showsPodsAndLogsOfTheLocalExecutor() throws IOException {
    ImageResolver shell =
        ImageResolver.builder().map("busybox-like", LocalImage.of("/bin/sh", "-c")).build();
    try (LocalExecutor executor =
        LocalExecutor.builder(client).imageResolver(shell).namespace(namespace).start()) {
      cluster.podLogs(executor);
      Path manifest = home.resolve(namespace + "-pod.yaml");
      Files.writeString(
          manifest,
          """
          apiVersion: v1
          kind: Pod
          metadata:
            name: hello
          spec:
            restartPolicy: Never
            containers:
              - name: main
                image: busybox-like
                args: ["echo hello from a local pod"]
          """);
      kubectl("apply", "-f", manifest.toString());
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(kubectl("get", "pods").out()).contains("Completed"));
      assertThat(kubectl("get", "pods").lines().get(0).split("\\s+"))
          .containsExactly("NAME", "READY", "STATUS", "RESTARTS", "AGE");
      assertThat(kubectl("logs", "hello").out()).isEqualTo("hello from a local pod\n");
      assertThat(kubectl("delete", "pod", "hello").out()).contains("deleted");
    }
  }

  // ---- running kubectl ----

  Kubectl.Result kubectl(String... args) {
    return new Kubectl(kubeconfig, home, namespace).run(args);
  }

  Kubectl.Result kubectl(List<String> args, int expectedExitCode) {
    return new Kubectl(kubeconfig, home, namespace).run(args, expectedExitCode);
  }

  Process start(Path output, String... args) throws IOException {
    return new Kubectl(kubeconfig, home, namespace).start(output, args);
  }
}

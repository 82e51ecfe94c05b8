package dev.tessera.local;

import static dev.tessera.local.LocalCluster.awaitSession;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tessera.api.v1alpha1.AttemptStatus;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.StatusCondition;
import dev.tessera.local.cluster.Kubectl;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a GitOps tool or {@code kubectl apply -f folder/} does, with the real kubectl against local
 * mode: objects arrive in any order, Runs wait for what they need, {@code kubectl wait} tells when
 * they end, and a Run applied again under its name is a new Run with Pods of its own.
 */
class GitOpsLifecycleIT {
  private static LocalMode local;
  private static KubernetesClient client;
  private static Kubectl kubectl;

  @BeforeAll
  static void start(@TempDir Path home) throws Exception {
    local = LocalCluster.startDemo();
    client = local.client();
    Path kubeconfig = home.resolve("kubeconfig");
    local.cluster().writeKubeconfig(kubeconfig);
    kubectl = new Kubectl(kubeconfig, home, "default");
    awaitSession(client, "demo-alice", "Ready");
  }

  @AfterAll
  static void stop() {
    if (local != null) {
      local.close();
    }
  }

  private static long logins(String user) {
    return local.site().stats().loginsOf(user).succeeded();
  }

  private static Run run(String name) {
    return LocalCluster.run(client, name);
  }

  private static StatusCondition condition(Run run, String type) {
    return run.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aFolderWhoseRunsComeBeforeTheirSessionsEndsWithEveryRunSucceededAfterOneLoginEach() {
    long alice = logins("alice");
    long carol = logins("carol");
    // kubectl applies a folder's files in name order: runs.yaml, then sessions.yaml
    String applied =
        kubectl
            .run("apply", "-f", LocalCluster.ROOT.resolve("examples/multi-user").toString())
            .out();
    assertThat(applied.indexOf("run.tessera.dev/multi-alice-me created"))
        .isNotNegative()
        .isLessThan(applied.indexOf("authsession.tessera.dev/multi-alice created"));

    String waited =
        kubectl
            .run(
                "wait",
                "--for=condition=Succeeded",
                "run/multi-alice-me",
                "run/multi-carol-me",
                "--timeout=180s")
            .out();
    assertThat(waited)
        .contains("run.tessera.dev/multi-alice-me condition met")
        .contains("run.tessera.dev/multi-carol-me condition met");
    for (String name : List.of("multi-alice-me", "multi-carol-me")) {
      Run run = run(name);
      assertThat(run.getStatus().getPhase()).isEqualTo("Succeeded");
      assertThat(run.getStatus().getAttempts()).hasSize(1);
      assertThat(condition(run, "Admitted").getStatus()).isEqualTo("True");
      assertThat(condition(run, "Succeeded").getReason()).isEqualTo("Succeeded");
    }
    assertThat(logins("alice") - alice).as("logins of alice").isEqualTo(1);
    assertThat(logins("carol") - carol).as("logins of carol").isEqualTo(1);
  }

  @Test
  void aJobRunAppliedBeforeItsJobWaitsForItThenSucceeds(@TempDir Path folder) throws Exception {
    Files.writeString(
        folder.resolve("a-jobrun.yaml"),
        """
        apiVersion: tessera.dev/v1alpha1
        kind: JobRun
        metadata: {name: catalog-pages-now}
        spec: {job: catalog-pages}
        """);
    Files.writeString(
        folder.resolve("b-job.yaml"),
        """
        apiVersion: tessera.dev/v1alpha1
        kind: Job
        metadata: {name: catalog-pages}
        spec:
          project: demo-catalog
          payload:
            - {api: products, parameters: {page: 1}}
            - {api: products, parameters: {page: 2}}
        """);
    kubectl.run("apply", "-f", folder.resolve("a-jobrun.yaml").toString());
    var waiting =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    client
                        .resources(dev.tessera.api.v1alpha1.JobRun.class)
                        .inNamespace("default")
                        .withName("catalog-pages-now")
                        .get(),
                r -> r.getStatus() != null && r.getStatus().getReason() != null);
    assertThat(waiting.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(waiting.getStatus().getReason()).isEqualTo("JobNotFound");
    assertThat(waiting.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Admitted");
              assertThat(c.getStatus()).isEqualTo("False");
            });
    kubectl.run("apply", "-f", folder.toString());
    assertThat(
            kubectl
                .run(
                    "wait",
                    "--for=condition=Succeeded",
                    "jobrun/catalog-pages-now",
                    "--timeout=180s")
                .out())
        .contains("jobrun.tessera.dev/catalog-pages-now condition met");
    var jobRun =
        client
            .resources(dev.tessera.api.v1alpha1.JobRun.class)
            .inNamespace("default")
            .withName("catalog-pages-now")
            .get();
    assertThat(jobRun.getStatus().getPhase()).isEqualTo("Succeeded");
    assertThat(jobRun.getStatus().getCounts().getSucceeded()).isEqualTo(2);
  }

  @Test
  void aRunWhoseSessionNeverAppearsIsRejectedAfterItsStartTimeout() throws Exception {
    Path manifest = Files.createTempFile("never", ".yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: tessera.dev/v1alpha1
        kind: Run
        metadata: {name: for-nobody}
        spec:
          project: demo-site
          api: me
          authSession: {name: nobody}
          startTimeoutSeconds: 4
        """);
    kubectl.run("apply", "-f", manifest.toString());
    Run pending =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> run("for-nobody"), r -> r.getStatus() != null);
    assertThat(pending.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(pending.getStatus().getReason()).isEqualTo("AuthSessionNotFound");

    assertThat(
            kubectl
                .run("wait", "--for=condition=Succeeded=false", "run/for-nobody", "--timeout=60s")
                .out())
        .contains("run.tessera.dev/for-nobody condition met");
    Run rejected = run("for-nobody");
    assertThat(rejected.getStatus().getPhase()).isEqualTo("Rejected");
    assertThat(rejected.getStatus().getReason()).isEqualTo("AuthSessionNotFound");
    assertThat(rejected.getStatus().getMessage())
        .isEqualTo(
            "AuthSession \"nobody\" does not exist in the Run's namespace; the Run waited for that"
                + " for spec.startTimeoutSeconds (4 s)");
    assertThat(condition(rejected, "Admitted").getStatus()).isEqualTo("False");
    assertThat(rejected.getStatus().getAttempts()).isNullOrEmpty();
  }

  @Test
  void kubectlWaitForSucceededFalseReturnsForAFailingRun() {
    kubectl.run(
        "apply", "-f", LocalCluster.ROOT.resolve("examples/catalog/run-retries.yaml").toString());
    assertThat(
            kubectl
                .run(
                    "wait",
                    "--for=condition=Succeeded=false",
                    "run/catalog-retries",
                    "--timeout=180s")
                .out())
        .contains("run.tessera.dev/catalog-retries condition met");
    Run failed = run("catalog-retries");
    assertThat(failed.getStatus().getPhase()).isEqualTo("Failed");
    assertThat(condition(failed, "Succeeded").getReason()).isEqualTo("ApiAttemptsFailed");
    // a Run that failed never meets Succeeded=True: kubectl wait gives up at its timeout
    assertThat(
            kubectl
                .exec(
                    List.of(
                        "wait", "--for=condition=Succeeded", "run/catalog-retries", "--timeout=2s"),
                    30)
                .exitCode())
        .isNotZero();
  }

  @Test
  void aRunDeletedAndAppliedAgainTwentyTimesSucceedsAtItsFirstAttemptEachTime() {
    String manifest = LocalCluster.ROOT.resolve("examples/catalog/run-products.yaml").toString();
    List<String> pods = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      kubectl.run("delete", "run", "catalog-page-2", "--ignore-not-found");
      kubectl.run("apply", "-f", manifest);
      kubectl.run("wait", "--for=condition=Succeeded", "run/catalog-page-2", "--timeout=120s");
      Run run = run("catalog-page-2");
      AttemptStatus first = run.getStatus().getAttempts().get(0);
      assertThat(first.getPhase()).as("Attempt 1 of incarnation %d", i + 1).isEqualTo("Succeeded");
      assertThat(run.getStatus().getAttempts()).hasSize(1);
      pods.add(first.getPod());
    }
    assertThat(pods).doesNotHaveDuplicates();
  }
}

package dev.tessera.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local executor runs Pods as {@code /bin/sh -c} processes of a "busybox-like" image. */
class LocalExecutorIT {
  static final String NAMESPACE = "default";
  static final ImageResolver SHELL =
      ImageResolver.builder().map("busybox-like", LocalImage.of("/bin/sh", "-c")).build();

  static EmbeddedCluster cluster;
  static KubernetesClient client;
  LocalExecutor executor;

  @TempDir Path temp;

  @BeforeAll
  static void startCluster() {
    cluster =
        EmbeddedCluster.builder().crds(EmbeddedClusterTest.CRDS).garbageCollection(null).start();
    client = cluster.kubernetesClient();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @BeforeEach
  void startExecutor() {
    executor = LocalExecutor.builder(client).imageResolver(SHELL).label("test", "executor").start();
  }

  @AfterEach
  void stopExecutor() {
    executor.close();
    client.pods().inNamespace(NAMESPACE).withLabel("test", "executor").delete();
    client.secrets().inNamespace(NAMESPACE).withLabel("test", "executor").delete();
  }

  @Test
  void mountsSecretVolumesAndReportsTheTerminationMessage() {
    createSecret("attempt-input", "attempt.json", "{\"api\":\"invoices\"}");
    Pod pod =
        pod(
                "reads-secret",
                "cat \"$TESSERA_INPUT\" > \"$TESSERA_TERMINATION_LOG\";"
                    + " stat -c 'mode=%a' \"$TESSERA_INPUT\"; echo done")
            .editSpec()
            .editFirstContainer()
            .addNewEnv()
            .withName("TESSERA_INPUT")
            .withValue("/var/run/tessera/input/attempt.json")
            .endEnv()
            .addNewVolumeMount()
            .withName("input")
            .withMountPath("/var/run/tessera/input")
            .withReadOnly(true)
            .endVolumeMount()
            .endContainer()
            .addNewVolume()
            .withName("input")
            .withNewSecret()
            .withSecretName("attempt-input")
            .withDefaultMode(0440)
            .endSecret()
            .endVolume()
            .endSpec()
            .build();
    client.pods().inNamespace(NAMESPACE).resource(pod).create();

    Pod done = awaitPhase("reads-secret", "Succeeded");
    ContainerStateTerminated terminated = terminated(done);
    assertThat(terminated.getExitCode()).isZero();
    assertThat(terminated.getReason()).isEqualTo("Completed");
    assertThat(terminated.getMessage()).isEqualTo("{\"api\":\"invoices\"}");
    assertThat(terminated.getStartedAt()).isNotNull();
    assertThat(terminated.getFinishedAt()).isNotNull();
    assertThat(done.getStatus().getStartTime()).isNotNull();
    // defaultMode 0440: the owner's bits, as the process runs as the current user
    assertThat(executor.logs(NAMESPACE, "reads-secret")).contains("mode=400\ndone\n");
  }

  @Test
  void aNonZeroExitFailsThePodWithTheExitCodeAndTheLogAsMessage() {
    client
        .pods()
        .inNamespace(NAMESPACE)
        .resource(pod("exits-3", "echo 'something broke'; exit 3").build())
        .create();

    Pod failed = awaitPhase("exits-3", "Failed");
    ContainerStateTerminated terminated = terminated(failed);
    assertThat(terminated.getExitCode()).isEqualTo(3);
    assertThat(terminated.getReason()).isEqualTo("Error");
    assertThat(terminated.getMessage()).isEqualTo("something broke\n");
  }

  @Test
  void thePodDeadlineKillsTheProcess() {
    Pod pod =
        pod("too-slow", "sleep 30").editSpec().withActiveDeadlineSeconds(1L).endSpec().build();
    Instant created = Instant.now();
    client.pods().inNamespace(NAMESPACE).resource(pod).create();

    Pod failed = awaitPhase("too-slow", "Failed");
    assertThat(Duration.between(created, Instant.now())).isLessThan(Duration.ofSeconds(20));
    assertThat(failed.getStatus().getReason()).isEqualTo("DeadlineExceeded");
    assertThat(failed.getStatus().getMessage())
        .isEqualTo("Pod was active on the node longer than the specified deadline");
    assertThat(terminated(failed).getExitCode()).isNotZero();
  }

  @Test
  void deletingARunningPodKillsItsProcess() throws Exception {
    Path pidFile = temp.resolve("pid");
    Pod pod =
        pod("deleted-while-running", "echo $$$$ > \"$PID_FILE\"; exec sleep 60")
            .editSpec()
            .editFirstContainer()
            .addNewEnv()
            .withName("PID_FILE")
            .withValue(pidFile.toString())
            .endEnv()
            .endContainer()
            .endSpec()
            .build();
    client.pods().inNamespace(NAMESPACE).resource(pod).create();
    awaitPhase("deleted-while-running", "Running");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Files.exists(pidFile) && Files.size(pidFile) > 0);
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    assertThat(ProcessHandle.of(pid)).isPresent();

    client.pods().inNamespace(NAMESPACE).withName("deleted-while-running").delete();

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    await().atMost(Duration.ofSeconds(10)).until(() -> executor.runningPods() == 0);
  }

  @Test
  void resolvesEnvironmentFromSecretsAndTheDownwardApi() {
    createSecret("credentials", "username", "alice");
    Pod pod =
        pod(
                "env-pod",
                "printf '%s|%s|%s|%s' \"$USER_NAME\" \"$POD_NAME\" \"$POD_NAMESPACE\""
                    + " \"$GREETING\" > \"$TESSERA_TERMINATION_LOG\"")
            .editSpec()
            .editFirstContainer()
            .addNewEnv()
            .withName("USER_NAME")
            .withNewValueFrom()
            .withNewSecretKeyRef()
            .withName("credentials")
            .withKey("username")
            .endSecretKeyRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("POD_NAME")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("metadata.name")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("POD_NAMESPACE")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("metadata.namespace")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("GREETING")
            .withValue("hello $(USER_NAME)")
            .endEnv()
            .endContainer()
            .endSpec()
            .build();
    client.pods().inNamespace(NAMESPACE).resource(pod).create();

    Pod done = awaitPhase("env-pod", "Succeeded");
    assertThat(terminated(done).getMessage()).isEqualTo("alice|env-pod|default|hello alice");
  }

  @Test
  void aPodWaitsForItsSecretThenRuns() {
    Pod pod =
        pod("waits-for-secret", "cat \"$CONFIG\" > \"$TESSERA_TERMINATION_LOG\"")
            .editSpec()
            .editFirstContainer()
            .addNewEnv()
            .withName("CONFIG")
            .withValue("/etc/config/value")
            .endEnv()
            .addNewVolumeMount()
            .withName("config")
            .withMountPath("/etc/config")
            .endVolumeMount()
            .endContainer()
            .addNewVolume()
            .withName("config")
            .withNewSecret()
            .withSecretName("late-secret")
            .endSecret()
            .endVolume()
            .endSpec()
            .build();
    client.pods().inNamespace(NAMESPACE).resource(pod).create();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              Pod pending = get("waits-for-secret");
              assertThat(pending.getStatus().getPhase()).isEqualTo("Pending");
              assertThat(pending.getStatus().getContainerStatuses()).hasSize(1);
              var waiting =
                  pending.getStatus().getContainerStatuses().get(0).getState().getWaiting();
              assertThat(waiting).isNotNull();
              assertThat(waiting.getReason()).isEqualTo("ContainerCreating");
              assertThat(waiting.getMessage()).contains("secret \"late-secret\" not found");
            });

    createSecret("late-secret", "value", "finally");

    assertThat(terminated(awaitPhase("waits-for-secret", "Succeeded")).getMessage())
        .isEqualTo("finally");
  }

  @Test
  void anImageWithoutLocalStandInFailsThePod() {
    Pod pod =
        pod("unknown-image", "true")
            .editSpec()
            .editFirstContainer()
            .withImage("registry.example/unknown:1.0")
            .endContainer()
            .endSpec()
            .build();
    client.pods().inNamespace(NAMESPACE).resource(pod).create();

    Pod failed = awaitPhase("unknown-image", "Failed");
    assertThat(failed.getStatus().getReason()).isEqualTo("ErrImagePull");
    var waiting = failed.getStatus().getContainerStatuses().get(0).getState().getWaiting();
    assertThat(waiting.getReason()).isEqualTo("ErrImagePull");
    assertThat(waiting.getMessage()).contains("registry.example/unknown:1.0");
  }

  @Test
  void runsAtMostTheConfiguredNumberOfPodsAtOnce() {
    executor.close();
    executor =
        LocalExecutor.builder(client)
            .imageResolver(SHELL)
            .label("test", "executor")
            .maxConcurrentPods(1)
            .start();
    client.pods().inNamespace(NAMESPACE).resource(pod("first", "sleep 2").build()).create();
    awaitPhase("first", "Running");
    client.pods().inNamespace(NAMESPACE).resource(pod("second", "true").build()).create();

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              Pod second = get("second");
              assertThat(second.getStatus()).isNotNull();
              assertThat(second.getStatus().getPhase()).isEqualTo("Pending");
              assertThat(second.getStatus().getConditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("PodScheduled");
                        assertThat(c.getStatus()).isEqualTo("False");
                      });
            });
    assertThat(get("first").getStatus().getPhase()).isEqualTo("Running");

    awaitPhase("first", "Succeeded");
    awaitPhase("second", "Succeeded");
  }

  @Test
  void aRestartedExecutorNeitherRerunsFinishedPodsNorTrustsOrphanedRunningOnes() {
    client.pods().inNamespace(NAMESPACE).resource(pod("ran-before", "echo once").build()).create();
    String finishedAt = terminated(awaitPhase("ran-before", "Succeeded")).getFinishedAt();
    executor.close();

    Pod orphan =
        client.pods().inNamespace(NAMESPACE).resource(pod("orphan", "sleep 60").build()).create();
    orphan.setStatus(
        new PodStatusBuilder()
            .withPhase("Running")
            .withStartTime(Instant.now().toString())
            .build());
    client.pods().inNamespace(NAMESPACE).resource(orphan).updateStatus();

    executor = LocalExecutor.builder(client).imageResolver(SHELL).label("test", "executor").start();

    Pod lost = awaitPhase("orphan", "Failed");
    assertThat(lost.getStatus().getReason()).isEqualTo("NodeLost");
    assertThat(terminated(lost).getReason()).isEqualTo("ContainerStatusUnknown");
    Pod again = get("ran-before");
    assertThat(again.getStatus().getPhase()).isEqualTo("Succeeded");
    assertThat(terminated(again).getFinishedAt()).isEqualTo(finishedAt);
    assertThat(executor.logs(NAMESPACE, "ran-before")).isEqualTo(Optional.empty());
  }

  // ---- helpers ----

  static PodBuilder pod(String name, String script) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("test", "executor")
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withTerminationGracePeriodSeconds(2L)
        .addNewContainer()
        .withName("main")
        .withImage("busybox-like")
        .withArgs(script)
        .withTerminationMessagePath("/dev/termination-log")
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .endContainer()
        .endSpec();
  }

  static void createSecret(String name, String key, String value) {
    client
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("test", "executor")
                .endMetadata()
                .addToStringData(key, value)
                .build())
        .create();
  }

  static Pod get(String name) {
    return client.pods().inNamespace(NAMESPACE).withName(name).get();
  }

  static Pod awaitPhase(String name, String phase) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              Pod pod = get(name);
              assertThat(pod).isNotNull();
              assertThat(pod.getStatus()).isNotNull();
              assertThat(pod.getStatus().getPhase())
                  .as("phase of %s: %s", name, pod.getStatus())
                  .isEqualTo(phase);
            });
    return get(name);
  }

  static ContainerStateTerminated terminated(Pod pod) {
    return pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
  }
}

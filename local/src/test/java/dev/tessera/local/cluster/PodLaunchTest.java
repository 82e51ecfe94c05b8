package dev.tessera.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodLaunchTest {
  static final Path DIR = Path.of("/work/pods/default/attempt-1");
  static final LocalImage RUNNER = LocalImage.of("java", "-jar", "/opt/tessera-runner.jar");

  final Map<String, Secret> secrets = new HashMap<>();
  final Map<String, ConfigMap> configMaps = new HashMap<>();
  final PodLaunch.References references =
      new PodLaunch.References() {
        @Override
        public Secret secret(String namespace, String name) {
          return secrets.get(namespace + "/" + name);
        }

        @Override
        public ConfigMap configMap(String namespace, String name) {
          return configMaps.get(namespace + "/" + name);
        }
      };

  /** The shape of the operator's attempt Pods. */
  static PodBuilder attemptPod() {
    return new PodBuilder()
        .withNewMetadata()
        .withName("run-1-attempt-1")
        .withNamespace("default")
        .withUid("uid-1")
        .addToLabels("tessera.dev/run", "run-1")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("runner")
        .withImage("ghcr.io/tessera-dev/tessera-runner:0.1.0")
        .addNewEnv()
        .withName("TESSERA_INPUT")
        .withValue("/var/run/tessera/input/attempt.json")
        .endEnv()
        .addNewEnv()
        .withName("TESSERA_ARTIFACTS")
        .withValue("/tmp/artifacts")
        .endEnv()
        .addNewEnv()
        .withName("TESSERA_TERMINATION_LOG")
        .withValue("/dev/termination-log")
        .endEnv()
        .addNewEnv()
        .withName("TESSERA_ATTEMPT_POD")
        .withNewValueFrom()
        .withNewFieldRef()
        .withFieldPath("metadata.name")
        .endFieldRef()
        .endValueFrom()
        .endEnv()
        .addNewEnv()
        .withName("RUN")
        .withNewValueFrom()
        .withNewFieldRef()
        .withFieldPath("metadata.labels['tessera.dev/run']")
        .endFieldRef()
        .endValueFrom()
        .endEnv()
        .withTerminationMessagePath("/dev/termination-log")
        .addNewVolumeMount()
        .withName("input")
        .withMountPath("/var/run/tessera/input")
        .withReadOnly(true)
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("tmp")
        .withMountPath("/tmp")
        .endVolumeMount()
        .endContainer()
        .addNewVolume()
        .withName("input")
        .withNewSecret()
        .withSecretName("run-1-attempt-1-input")
        .withDefaultMode(0440)
        .endSecret()
        .endVolume()
        .addNewVolume()
        .withName("tmp")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .endSpec();
  }

  void inputSecret() {
    secrets.put(
        "default/run-1-attempt-1-input",
        new SecretBuilder()
            .addToData("attempt.json", base64("{\"api\":\"invoices\"}"))
            .addToData("token", base64("t0k3n"))
            .build());
  }

  @Test
  void rewritesMountPathsInTheEnvironmentToThePodDirectory() throws Exception {
    inputSecret();
    PodLaunch.Plan plan =
        PodLaunch.plan(
            attemptPod().build(), RUNNER, DIR, references, Map.of("PATH", "/usr/bin"), "node");

    assertThat(plan.command()).containsExactly("java", "-jar", "/opt/tessera-runner.jar");
    assertThat(plan.environment())
        .containsEntry("TESSERA_INPUT", DIR + "/volumes/input/attempt.json")
        .containsEntry("TESSERA_ARTIFACTS", DIR + "/volumes/tmp/artifacts")
        .containsEntry("TESSERA_TERMINATION_LOG", DIR + "/termination-log")
        .containsEntry("TESSERA_ATTEMPT_POD", "run-1-attempt-1")
        .containsEntry("RUN", "run-1")
        .containsEntry("PATH", "/usr/bin")
        .containsEntry("HOME", DIR + "/home")
        .containsEntry("HOSTNAME", "run-1-attempt-1");
    assertThat(plan.terminationLog()).isEqualTo(DIR.resolve("termination-log"));
    assertThat(plan.workingDirectory()).isEqualTo(DIR);
  }

  @Test
  void leavesTheImagesOwnCommandAloneEvenUnderAMountPath() throws Exception {
    inputSecret();
    LocalImage inTmp =
        LocalImage.of("java", "-jar", "/tmp/checkout/runner-image/target/tessera-runner.jar");
    PodLaunch.Plan plan =
        PodLaunch.plan(attemptPod().build(), inTmp, DIR, references, Map.of(), "node");
    assertThat(plan.command())
        .containsExactly("java", "-jar", "/tmp/checkout/runner-image/target/tessera-runner.jar");
  }

  @Test
  void writesSecretKeysAsOwnerOnlyFiles() throws Exception {
    inputSecret();
    PodLaunch.Plan plan =
        PodLaunch.plan(attemptPod().build(), RUNNER, DIR, references, Map.of(), "node");

    PodLaunch.VolumeFiles input = plan.volumes().get(0);
    assertThat(input.directory()).isEqualTo(DIR.resolve("volumes/input"));
    assertThat(input.readOnly()).isTrue();
    assertThat(input.files()).containsOnlyKeys("attempt.json", "token");
    assertThat(new String(input.files().get("token").content(), StandardCharsets.UTF_8))
        .isEqualTo("t0k3n");
    assertThat(input.files().get("token").mode()).isEqualTo(0400);
    assertThat(plan.volumes().get(1).files()).isEmpty();
  }

  @Test
  void honoursItemsAndModes() throws Exception {
    inputSecret();
    Pod pod =
        attemptPod()
            .editSpec()
            .editFirstVolume()
            .editSecret()
            .addNewItem()
            .withKey("token")
            .withPath("auth/token")
            .withMode(0600)
            .endItem()
            .endSecret()
            .endVolume()
            .endSpec()
            .build();
    PodLaunch.Plan plan = PodLaunch.plan(pod, RUNNER, DIR, references, Map.of(), "node");
    assertThat(plan.volumes().get(0).files()).containsOnlyKeys("auth/token");
    assertThat(plan.volumes().get(0).files().get("auth/token").mode()).isEqualTo(0600);
    assertThat(PodLaunch.localMode(0755)).isEqualTo(0700);
    assertThat(PodLaunch.localMode(0044)).isEqualTo(0400);
  }

  @Test
  void aMissingSecretIsWorthWaitingFor() {
    assertThatThrownBy(
            () -> PodLaunch.plan(attemptPod().build(), RUNNER, DIR, references, Map.of(), "node"))
        .isInstanceOfSatisfying(
            PodLaunch.LaunchException.class,
            e -> {
              assertThat(e.retriable()).isTrue();
              assertThat(e.reason()).isEqualTo("ContainerCreating");
              assertThat(e.getMessage()).contains("secret \"run-1-attempt-1-input\" not found");
            });
  }

  @Test
  void anUnsupportedVolumeIsNot() {
    inputSecret();
    Pod pod =
        attemptPod()
            .editSpec()
            .addNewVolume()
            .withName("data")
            .withNewPersistentVolumeClaim()
            .withClaimName("data")
            .endPersistentVolumeClaim()
            .endVolume()
            .endSpec()
            .build();
    assertThatThrownBy(() -> PodLaunch.plan(pod, RUNNER, DIR, references, Map.of(), "node"))
        .isInstanceOfSatisfying(
            PodLaunch.LaunchException.class,
            e -> {
              assertThat(e.retriable()).isFalse();
              assertThat(e.reason()).isEqualTo("CreateContainerConfigError");
            });
  }

  @Test
  void expandsVariablesInEnvCommandAndArgsAndRewritesPathArguments() throws Exception {
    inputSecret();
    configMaps.put("default/settings", new ConfigMapBuilder().addToData("LEVEL", "debug").build());
    Pod pod =
        attemptPod()
            .editSpec()
            .editFirstContainer()
            .addNewEnvFrom()
            .withPrefix("CFG_")
            .withNewConfigMapRef()
            .withName("settings")
            .endConfigMapRef()
            .endEnvFrom()
            .addNewEnv()
            .withName("MESSAGE")
            .withValue("level $(CFG_LEVEL), literal $$(CFG_LEVEL), unknown $(NOPE)")
            .endEnv()
            .withArgs("--input=/var/run/tessera/input/attempt.json", "--level", "$(CFG_LEVEL)")
            .endContainer()
            .endSpec()
            .build();
    PodLaunch.Plan plan = PodLaunch.plan(pod, RUNNER, DIR, references, Map.of(), "node");
    assertThat(plan.environment())
        .containsEntry("CFG_LEVEL", "debug")
        .containsEntry("MESSAGE", "level debug, literal $(CFG_LEVEL), unknown $(NOPE)");
    assertThat(plan.command())
        .containsExactly(
            "java",
            "-jar",
            "/opt/tessera-runner.jar",
            "--input=" + DIR + "/volumes/input/attempt.json",
            "--level",
            "debug");
  }

  @Test
  void runsOnlySingleContainerPods() {
    Pod pod =
        attemptPod()
            .editSpec()
            .addNewContainer()
            .withName("sidecar")
            .endContainer()
            .endSpec()
            .build();
    assertThatThrownBy(() -> PodLaunch.plan(pod, RUNNER, DIR, references, Map.of(), "node"))
        .isInstanceOf(PodLaunch.LaunchException.class)
        .hasMessageContaining("exactly one container");
  }

  static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}

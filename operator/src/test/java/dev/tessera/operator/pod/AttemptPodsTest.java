package dev.tessera.operator.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.RunSpec;
import dev.tessera.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttemptPodsTest {
  private static final OperatorConfig CONFIG =
      OperatorConfig.fromEnv(
          Map.of(
              "TESSERA_RUNNER_IMAGE", "example/runner:1", "TESSERA_RESULTS_URL", "http://op:8081"));

  private static Run run() throws Exception {
    Run run = new Run();
    run.setMetadata(
        new ObjectMetaBuilder()
            .withName("nightly-report")
            .withNamespace("team-a")
            .withUid("u-1")
            .build());
    run.setSpec(new YAMLMapper().readValue("{project: p, api: a}", RunSpec.class));
    return run;
  }

  private static ProjectSpec project(String yaml) throws Exception {
    return new YAMLMapper().readValue(yaml, ProjectSpec.class);
  }

  @Test
  void podMeetsTheRestrictedPodSecurityProfileAndHasNoApiCredentials() throws Exception {
    Pod pod = AttemptPods.pod(run(), 2, project("{apis: {}}").getRunner(), 120, CONFIG);
    assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSpec().getSecurityContext().getSeccompProfile().getType())
        .isEqualTo("RuntimeDefault");
    Container container = pod.getSpec().getContainers().get(0);
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(pod.getSpec().getVolumes()).noneMatch(v -> v.getHostPath() != null);
    assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
  }

  @Test
  void podIsNamedOwnedAndTimedFromTheRun() throws Exception {
    Pod pod = AttemptPods.pod(run(), 2, project("{apis: {}}").getRunner(), 120, CONFIG);
    assertThat(pod.getMetadata().getName()).isEqualTo("nightly-report-u1-a2");
    assertThat(pod.getMetadata().getNamespace()).isEqualTo("team-a");
    assertThat(pod.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("Run");
              assertThat(o.getUid()).isEqualTo("u-1");
              assertThat(o.getController()).isTrue();
            });
    assertThat(pod.getSpec().getActiveDeadlineSeconds()).isEqualTo(120L);
    assertThat(pod.getSpec().getContainers().get(0).getImage()).isEqualTo("example/runner:1");
    assertThat(pod.getSpec().getVolumes())
        .anySatisfy(
            v -> assertThat(v.getSecret().getSecretName()).isEqualTo("nightly-report-u1-a2-in"));
    assertThat(pod.getSpec().getContainers().get(0).getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("TESSERA_RESULTS_URL");
              assertThat(e.getValue()).isEqualTo("http://op:8081");
            });
  }

  @Test
  void resourcesAndImageComeFromTheProjectWhenSet() throws Exception {
    ProjectSpec project =
        project(
            "{apis: {}, runner: {image: custom/runner:2, resources: {requests: {cpu: '1'}, limits: {memory: 3Gi}}}}");
    Pod pod = AttemptPods.pod(run(), 1, project.getRunner(), 60, CONFIG);
    Container container = pod.getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("custom/runner:2");
    assertThat(container.getResources().getRequests()).containsEntry("cpu", new Quantity("1"));
    assertThat(container.getResources().getLimits()).containsEntry("memory", new Quantity("3Gi"));
  }

  @Test
  void resourcesComeFromTheOperatorsDefaultsWhenTheProjectSetsNone() throws Exception {
    OperatorConfig config =
        OperatorConfig.fromEnv(
            Map.of(
                "TESSERA_RUNNER_RESOURCES",
                "{\"requests\":{\"cpu\":\"250m\",\"memory\":\"768Mi\"}}"));
    Container container =
        AttemptPods.pod(run(), 1, null, 60, config).getSpec().getContainers().get(0);
    assertThat(container.getResources().getRequests())
        .containsEntry("cpu", new Quantity("250m"))
        .containsEntry("memory", new Quantity("768Mi"));
    // limits were not given: the built-in one stays
    assertThat(container.getResources().getLimits()).containsEntry("memory", new Quantity("2Gi"));

    ProjectSpec project = project("{apis: {}, runner: {resources: {requests: {cpu: '2'}}}}");
    assertThat(
            AttemptPods.pod(run(), 1, project.getRunner(), 60, config)
                .getSpec()
                .getContainers()
                .get(0)
                .getResources()
                .getRequests())
        .containsOnly(Map.entry("cpu", new Quantity("2")));
  }

  @Test
  void invalidRunnerResourcesStopTheOperatorWithTheReason() {
    assertThatThrownBy(
            () -> OperatorConfig.fromEnv(Map.of("TESSERA_RUNNER_RESOURCES", "{\"requests\": 5}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TESSERA_RUNNER_RESOURCES is not a resources object");
  }

  @Test
  void inputSecretHoldsOnlyTheInputAndTheToken() throws Exception {
    Secret secret =
        AttemptPods.inputSecret(run(), 1, "{\"x\":1}".getBytes(StandardCharsets.UTF_8), "tok");
    assertThat(secret.getMetadata().getName()).isEqualTo("nightly-report-u1-a1-in");
    assertThat(secret.getData()).containsOnlyKeys("attempt.json", "token");
    // the report replaces its data (ResultSecrets), which an immutable Secret would refuse
    assertThat(secret.getImmutable()).isNull();
    assertThat(secret.getMetadata().getOwnerReferences()).hasSize(1);
    assertThat(secret.getMetadata().getLabels())
        .containsEntry("tessera.dev/component", "attempt-input");
  }

  @Test
  void theOperatorsAndTheProjectsBlockedNetworksReachTheRunner() throws Exception {
    OperatorConfig config =
        OperatorConfig.fromEnv(
            Map.of(
                "TESSERA_RESULTS_URL", "http://op:8081",
                "TESSERA_RUNNER_BLOCKED_NETWORKS", "10.0.0.0/8,192.168.1.7/32"));
    Pod pod =
        AttemptPods.pod(
            run(),
            1,
            project("{apis: {}, runner: {blockedNetworks: [10.1.0.0/8, 'fd00::/8']}}").getRunner(),
            120,
            config);
    assertThat(pod.getSpec().getContainers().get(0).getEnv())
        .filteredOn(e -> e.getName().equals("TESSERA_BLOCKED_NETWORKS"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getValue())
                    .isEqualTo("10.0.0.0/8,192.168.1.7/32,fd00:0:0:0:0:0:0:0/8"));
    Pod plain = AttemptPods.pod(run(), 1, project("{apis: {}}").getRunner(), 120, CONFIG);
    assertThat(plain.getSpec().getContainers().get(0).getEnv())
        .noneMatch(e -> e.getName().equals("TESSERA_BLOCKED_NETWORKS"));
    assertThatThrownBy(
            () -> OperatorConfig.fromEnv(Map.of("TESSERA_RUNNER_BLOCKED_NETWORKS", "10.0.0.0")))
        .hasMessageContaining("TESSERA_RUNNER_BLOCKED_NETWORKS");
  }
}

package dev.tessera.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.tessera.operator.LogFormat;
import dev.tessera.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.NamedRuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Validation;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The chart as {@code helm lint} and {@code helm template} see it, with several values files. */
class ChartTest {

  @Test
  void lintStrictFindsNothing() {
    LintResult result = new Helm(RenderedChart.CHART).lint().strict().call();
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "namespaced.yaml",
        "cluster-wide-monitoring.yaml",
        "existing-service-account.yaml"
      })
  void everyValuesFileRendersIntoKnownModels(String file) {
    RenderedChart chart = RenderedChart.withValues(file);
    assertThat(chart.all(Deployment.class)).hasSize(1);
    for (Deployment deployment : chart.all(Deployment.class)) {
      assertThat(OperatorConfig.fromEnv(env(deployment))).isNotNull();
    }
  }

  @Test
  void aFieldTheModelDoesNotKnowFailsTheReading() {
    assertThatThrownBy(
            () ->
                RenderedChart.parse(
                    "apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {portz: []}\n"))
        .hasMessageContaining("Service x has a field its model does not know")
        .hasMessageContaining("portz");
  }

  @Test
  void defaultInstallIsTheOperatorWithClusterWideRbacAndALeaderLease() throws IOException {
    RenderedChart chart = RenderedChart.render(t -> t);
    assertThat(chart.kindsAndNames())
        .containsExactlyInAnyOrder(
            "ServiceAccount/tessera-system/tessera",
            "Service/tessera-system/tessera",
            "Deployment/tessera-system/tessera",
            "ClusterRole/tessera",
            "ClusterRoleBinding/tessera",
            "Role/tessera-system/tessera-leader-election",
            "RoleBinding/tessera-system/tessera-leader-election",
            "Role/tessera-system/tessera-results-key",
            "RoleBinding/tessera-system/tessera-results-key",
            "ValidatingAdmissionPolicy/tessera-session-operations",
            "ValidatingAdmissionPolicyBinding/tessera-session-operations");
    Deployment deployment = chart.get(Deployment.class, "tessera");
    Map<String, String> env = env(deployment);
    assertThat(env)
        .containsEntry("TESSERA_RUNNER_IMAGE", OperatorConfig.DEFAULT_RUNNER_IMAGE)
        .containsEntry("TESSERA_RESULTS_URL", "http://tessera.tessera-system.svc:8081")
        .containsEntry("TESSERA_WATCH_NAMESPACES", "")
        .containsEntry("TESSERA_LEADER_ELECTION", "true")
        .containsEntry("POD_NAMESPACE", "tessera-system");
    assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo("tessera");
    assertThat(container(deployment).getImage())
        .isEqualTo("ghcr.io/tessera-dev/tessera-operator:0.1.0");

    // the operator reads every variable the chart sets, and understands each value
    Set<String> read = new HashSet<>(OperatorConfig.VARIABLES);
    read.add("JAVA_TOOL_OPTIONS"); // the JVM's
    read.add("TESSERA_LOG_LEVEL"); // the logging configuration's
    read.add(LogFormat.VARIABLE); // OperatorMain's, to choose the logging configuration
    assertThat(read).as("variables the operator reads").containsAll(env.keySet());
    assertThat(
            Files.readString(
                RenderedChart.ROOT.resolve(
                    "operator/src/main/resources/tessera-operator-loggers.xml")))
        .contains("${TESSERA_LOG_LEVEL:-INFO}");
    assertThat(env).containsEntry("TESSERA_LOG_LEVEL", "INFO");
    assertThat(LogFormat.fromEnv(env)).isEqualTo(LogFormat.JSON);
    OperatorConfig config = OperatorConfig.fromEnv(env);
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.leaderLease()).isEqualTo("tessera-leader");
    assertThat(config.namespaces()).isEmpty();
    assertThat(config.resultsPort()).isEqualTo(8081);
    assertThat(config.runnerResources().getRequests())
        .containsEntry("memory", new Quantity("1Gi"))
        .containsEntry("cpu", new Quantity("500m"));

    // the Service carries the results endpoint the runner Pods are told about, and metrics
    Service service = chart.get(Service.class, "tessera");
    assertThat(service.getSpec().getPorts())
        .extracting(p -> p.getName() + ":" + p.getPort())
        .containsExactlyInAnyOrder("results:8081", "ops:8080");
    assertThat(service.getSpec().getSelector())
        .isEqualTo(deployment.getSpec().getTemplate().getMetadata().getLabels());
  }

  @Test
  void anArtifactStoreReachesTheOperatorAndItsKeysOnlyFromTheSecret() {
    assertThat(env(RenderedChart.render(t -> t).get(Deployment.class, "tessera")))
        .doesNotContainKey("TESSERA_ARTIFACTS_BUCKET");
    RenderedChart chart =
        RenderedChart.render(
            t ->
                t.set("artifacts.bucket", "tessera-artifacts")
                    .set("artifacts.endpoint", "http://minio.minio:9000")
                    .set("artifacts.credentialsSecret", "tessera-store"));
    Deployment deployment = chart.get(Deployment.class, "tessera");
    Map<String, String> env = env(deployment);
    OperatorConfig config = OperatorConfig.fromEnv(env);
    assertThat(config.artifactStore().bucket()).isEqualTo("tessera-artifacts");
    assertThat(config.artifactStore().endpoint()).hasToString("http://minio.minio:9000");
    assertThat(config.artifactStore().pathStyle()).isTrue();
    assertThat(config.artifactStore().sweepInterval()).hasSeconds(300);
    assertThat(container(deployment).getEnv())
        .filteredOn(
            e -> e.getName().startsWith("TESSERA_ARTIFACTS_") && e.getName().contains("KEY"))
        .hasSize(2)
        .allSatisfy(
            e -> {
              assertThat(e.getValue()).isNull();
              assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("tessera-store");
            });
  }

  @Test
  void logsAreJsonUnlessTextIsAskedFor() {
    assertThat(env(RenderedChart.render(t -> t).get(Deployment.class, "tessera")))
        .containsEntry(LogFormat.VARIABLE, "json");
    Map<String, String> text =
        env(RenderedChart.render(t -> t.set("logFormat", "text")).get(Deployment.class, "tessera"));
    assertThat(text).containsEntry(LogFormat.VARIABLE, "text");
    assertThat(LogFormat.fromEnv(text)).isEqualTo(LogFormat.TEXT);
    assertThatThrownBy(() -> RenderedChart.render(t -> t.set("logFormat", "yaml")))
        .hasMessageContaining("logFormat");
  }

  @Test
  void anAdmissionPolicyKeepsSessionOperationsToTheOperator() throws IOException {
    RenderedChart chart = RenderedChart.render(t -> t);
    ValidatingAdmissionPolicy policy =
        chart.get(ValidatingAdmissionPolicy.class, "tessera-session-operations");
    assertThat(policy.getSpec().getFailurePolicy()).isEqualTo("Fail");
    assertThat(policy.getSpec().getParamKind()).isNull();
    assertThat(policy.getSpec().getMatchConstraints().getNamespaceSelector()).isNull();

    // Runs, in every version the chart's CRD serves, on create and update; not their status
    JsonNode crd =
        new YAMLMapper()
            .readTree(RenderedChart.CHART.resolve("crds/runs.tessera.dev.yaml").toFile());
    List<String> served = new ArrayList<>();
    for (JsonNode version : crd.path("spec").path("versions")) {
      if (version.path("served").asBoolean()) {
        served.add(version.path("name").asText());
        assertThat(
                version
                    .path("schema")
                    .path("openAPIV3Schema")
                    .path("properties")
                    .path("spec")
                    .path("properties")
                    .has("operation"))
            .as("the Run CRD's spec.operation")
            .isTrue();
      }
    }
    NamedRuleWithOperations rule = policy.getSpec().getMatchConstraints().getResourceRules().get(0);
    assertThat(policy.getSpec().getMatchConstraints().getResourceRules()).hasSize(1);
    assertThat(rule.getApiGroups()).containsExactly(crd.path("spec").path("group").asText());
    assertThat(rule.getResources())
        .containsExactly(crd.path("spec").path("names").path("plural").asText());
    assertThat(rule.getApiVersions()).containsExactlyInAnyOrderElementsOf(served);
    assertThat(rule.getApiVersions()).containsExactly("v1alpha1");
    assertThat(rule.getOperations()).containsExactlyInAnyOrder("CREATE", "UPDATE");
    assertThat(rule.getResourceNames()).isEmpty();

    // the user it lets through is the ServiceAccount the Deployment runs as
    String serviceAccount =
        chart
            .get(Deployment.class, "tessera")
            .getSpec()
            .getTemplate()
            .getSpec()
            .getServiceAccountName();
    assertThat(serviceAccount).isEqualTo("tessera");
    Validation validation = policy.getSpec().getValidations().get(0);
    assertThat(policy.getSpec().getValidations()).hasSize(1);
    assertThat(validation.getExpression())
        .contains("object.spec.operation")
        .contains(
            "request.userInfo.username == \"system:serviceaccount:tessera-system:"
                + serviceAccount
                + "\"");
    assertThat(validation.getMessage())
        .startsWith("spec.operation is set only by the Tessera operator")
        .contains("tessera.dev/update")
        .doesNotContain("\n");
    assertThat(validation.getReason()).isEqualTo("Forbidden");

    ValidatingAdmissionPolicyBinding binding =
        chart.get(ValidatingAdmissionPolicyBinding.class, "tessera-session-operations");
    assertThat(binding.getSpec().getPolicyName()).isEqualTo(policy.getMetadata().getName());
    assertThat(binding.getSpec().getValidationActions()).containsExactly("Deny");
    assertThat(binding.getSpec().getParamRef()).isNull();
    assertThat(binding.getSpec().getMatchResources()).as("every namespace").isNull();
    assertThat(binding.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/instance", "tessera");

    // another release, namespace and ServiceAccount: each name follows
    RenderedChart existing = RenderedChart.withValues("existing-service-account.yaml");
    assertThat(
            existing
                .get(ValidatingAdmissionPolicy.class, "automation-session-operations")
                .getSpec()
                .getValidations()
                .get(0)
                .getExpression())
        .contains("\"system:serviceaccount:tessera-system:platform-tessera\"");
    assertThat(
            existing
                .get(ValidatingAdmissionPolicyBinding.class, "automation-session-operations")
                .getSpec()
                .getPolicyName())
        .isEqualTo("automation-session-operations");
  }

  @Test
  void theAdmissionPolicyCanBeTurnedOff() {
    RenderedChart chart = RenderedChart.render(t -> t.set("admissionPolicy.enabled", "false"));
    assertThat(chart.all(ValidatingAdmissionPolicy.class)).isEmpty();
    assertThat(chart.all(ValidatingAdmissionPolicyBinding.class)).isEmpty();
    assertThat(chart.all(Deployment.class)).hasSize(1);
    assertThatThrownBy(() -> RenderedChart.render(t -> t.set("admissionPolicy.enabled", "no")))
        .hasMessageContaining("/admissionPolicy/enabled");
    assertThatThrownBy(() -> RenderedChart.render(t -> t.set("admissionPolicy.enable", "false")))
        .hasMessageContaining("additional properties 'enable' not allowed");
  }

  @Test
  void withWatchNamespacesThePolicyIsBoundInThoseOnly() {
    RenderedChart chart = RenderedChart.withValues("namespaced.yaml");
    ValidatingAdmissionPolicyBinding binding =
        chart.get(ValidatingAdmissionPolicyBinding.class, "tessera-session-operations");
    assertThat(binding.getSpec().getMatchResources().getResourceRules()).isEmpty();
    assertThat(binding.getSpec().getMatchResources().getNamespaceSelector().getMatchLabels())
        .isNullOrEmpty();
    assertThat(binding.getSpec().getMatchResources().getNamespaceSelector().getMatchExpressions())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getKey()).isEqualTo("kubernetes.io/metadata.name");
              assertThat(e.getOperator()).isEqualTo("In");
              assertThat(e.getValues()).containsExactly("team-a", "team-b");
            });
    assertThat(
            chart
                .get(ValidatingAdmissionPolicy.class, "tessera-session-operations")
                .getSpec()
                .getMatchConstraints()
                .getNamespaceSelector())
        .isNull();
  }

  @Test
  void operatorPodMeetsTheRestrictedPodSecurityStandard() {
    Deployment deployment = RenderedChart.render(t -> t).get(Deployment.class, "tessera");
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    Container container = container(deployment);
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getResources().getLimits()).containsKey("memory");
    // the only writable place is an emptyDir on /tmp
    assertThat(container.getVolumeMounts())
        .singleElement()
        .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    assertThat(pod.getVolumes())
        .singleElement()
        .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
  }

  @Test
  void aListOfNamespacesGetsRolesThereAndNothingClusterWide() {
    RenderedChart chart = RenderedChart.withValues("namespaced.yaml");
    assertThat(chart.all(ClusterRole.class)).isEmpty();
    assertThat(chart.all(ClusterRoleBinding.class)).isEmpty();
    assertThat(chart.all(Role.class))
        .extracting(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "team-a/tessera",
            "team-b/tessera",
            "tessera-system/tessera-leader-election",
            "tessera-system/tessera-results-key");
    assertThat(chart.all(RoleBinding.class))
        .allSatisfy(
            b ->
                assertThat(b.getSubjects())
                    .singleElement()
                    .satisfies(
                        s -> {
                          assertThat(s.getName()).isEqualTo("tessera");
                          assertThat(s.getNamespace()).isEqualTo("tessera-system");
                        }));
    assertThat(env(chart.get(Deployment.class, "tessera")))
        .containsEntry("TESSERA_WATCH_NAMESPACES", "team-a,team-b");
    assertThat(OperatorConfig.fromEnv(env(chart.get(Deployment.class, "tessera"))).namespaces())
        .containsExactlyInAnyOrder("team-a", "team-b");

    // runner Pods of both namespaces: no ingress, egress to DNS, the operator and the internet
    // except the Kubernetes API
    List<NetworkPolicy> runners =
        chart.all(NetworkPolicy.class).stream()
            .filter(p -> p.getMetadata().getName().equals("tessera-runners"))
            .toList();
    assertThat(runners)
        .extracting(p -> p.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("team-a", "team-b");
    NetworkPolicy runner = runners.get(0);
    assertThat(runner.getSpec().getPodSelector().getMatchLabels())
        .containsEntry("tessera.dev/component", "attempt");
    assertThat(runner.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
    assertThat(runner.getSpec().getIngress()).isEmpty();
    assertThat(runner.getSpec().getEgress())
        .anySatisfy(
            rule ->
                assertThat(rule.getTo())
                    .filteredOn(peer -> peer.getIpBlock() != null)
                    .anySatisfy(
                        peer -> {
                          assertThat(peer.getIpBlock().getCidr()).isEqualTo("0.0.0.0/0");
                          assertThat(peer.getIpBlock().getExcept())
                              .containsExactly("10.0.0.1/32", "10.0.0.2/32", "169.254.169.254/32");
                        }))
        .anySatisfy(
            rule ->
                assertThat(rule.getPorts())
                    .anySatisfy(p -> assertThat(p.getPort().getIntVal()).isEqualTo(8081)));
  }

  @Test
  void monitoringAndRunnerDefaultsReachTheOperator() {
    RenderedChart chart = RenderedChart.withValues("cluster-wide-monitoring.yaml");
    ServiceMonitor monitor = chart.get(ServiceMonitor.class, "tessera");
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
    assertThat(monitor.getSpec().getEndpoints())
        .singleElement()
        .satisfies(e -> assertThat(e.getPort()).isEqualTo("ops"));
    Deployment deployment = chart.get(Deployment.class, "tessera");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    OperatorConfig config = OperatorConfig.fromEnv(env(deployment));
    assertThat(config.runnerImage())
        .isEqualTo("registry.example.com/tessera-runner-with-plugins:2024.1");
    assertThat(config.runnerImagePullPolicy()).isEqualTo("Always");
    assertThat(config.runnerResources().getRequests()).containsEntry("cpu", new Quantity("1"));
    assertThat(config.runnerResources().getLimits()).containsEntry("memory", new Quantity("3Gi"));
    assertThat(chart.all(NetworkPolicy.class))
        .extracting(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName())
        .containsExactlyInAnyOrder("tessera-system/tessera", "automation/tessera-runners");
  }

  @Test
  void withReplicasADisruptionBudgetKeepsOneRunning() {
    assertThat(RenderedChart.render(t -> t).all(PodDisruptionBudget.class)).isEmpty();

    RenderedChart chart = RenderedChart.render(t -> t.set("replicaCount", "3"));
    PodDisruptionBudget budget = chart.get(PodDisruptionBudget.class, "tessera");
    Deployment deployment = chart.get(Deployment.class, "tessera");
    assertThat(budget.getMetadata().getNamespace()).isEqualTo("tessera-system");
    assertThat(budget.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
    assertThat(budget.getSpec().getMaxUnavailable()).isNull();
    assertThat(budget.getSpec().getSelector().getMatchLabels())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
    assertThat(
            RenderedChart.withValues("cluster-wide-monitoring.yaml").all(PodDisruptionBudget.class))
        .hasSize(1);
  }

  @Test
  void anExistingServiceAccountIsBoundAndNotCreated() {
    RenderedChart chart = RenderedChart.withValues("existing-service-account.yaml");
    assertThat(chart.all(ServiceAccount.class)).isEmpty();
    assertThat(chart.get(ClusterRoleBinding.class, "automation").getSubjects())
        .singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo("platform-tessera"));
    Deployment deployment = chart.get(Deployment.class, "automation");
    assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo("platform-tessera");
    assertThat(OperatorConfig.fromEnv(env(deployment)).leaderElection()).isFalse();
    // one operator at a time: the old Pod stops before the new one starts
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    // the key of report tokens is the only thing of the release namespace it may touch
    assertThat(chart.all(Role.class))
        .extracting(r -> r.getMetadata().getName())
        .containsExactly("automation-results-key");
    assertThat(env(deployment))
        .containsEntry("TESSERA_RESULTS_URL", "http://automation.tessera-system.svc:8081")
        .containsEntry("TESSERA_RESULTS_KEY_SECRET", "automation-results-key");
  }

  @Test
  void valuesOfTheWrongTypeAreRejectedByTheSchema() {
    assertThatThrownBy(() -> RenderedChart.render(t -> t.set("replicaCount", "two")))
        .hasMessageContaining("replicaCount")
        .hasMessageContaining("schema");
    assertThatThrownBy(() -> RenderedChart.render(t -> t.set("watchNamespaces", "team-a")))
        .hasMessageContaining("watchNamespaces");
    assertThatThrownBy(() -> RenderedChart.render(t -> t.set("logLevel", "verbose")))
        .hasMessageContaining("logLevel");
    assertThatThrownBy(() -> RenderedChart.render(t -> t.set("leaderElection.enabled", "yes")))
        .hasMessageContaining("leaderElection");
    assertThatThrownBy(
            () -> RenderedChart.render(t -> t.set("runner.image.pullPolicy", "Sometimes")))
        .hasMessageContaining("pullPolicy");
    // a misspelt key is an error, not silently ignored
    assertThatThrownBy(() -> RenderedChart.render(t -> t.set("watchNamespace[0]", "team-a")))
        .hasMessageContaining("watchNamespace");
  }

  @Test
  void replicasWithoutLeaderElectionAreRefused() {
    assertThatThrownBy(
            () ->
                RenderedChart.render(
                    t -> t.set("replicaCount", "2").set("leaderElection.enabled", "false")))
        .hasMessageContaining("replicaCount above 1 needs leaderElection.enabled");
  }

  @Test
  void networkPoliciesWithoutTheApiAddressesFailWithWhatToSet() {
    assertThatThrownBy(
            () ->
                RenderedChart.render(
                    t -> t.set("networkPolicy.enabled", "true").set("watchNamespaces[0]", "a")))
        .hasMessageContaining("set networkPolicy.kubernetesApiCIDRs");
    // with the addresses it renders
    assertThat(
            RenderedChart.render(
                    t ->
                        t.set("networkPolicy.enabled", "true")
                            .set("watchNamespaces[0]", "a")
                            .set("networkPolicy.kubernetesApiCIDRs[0]", "10.1.0.1/32"))
                .all(NetworkPolicy.class))
        .hasSize(2);
    assertThatThrownBy(() -> RenderedChart.render(t -> t.set("networkPolicy.enabled", "true")))
        .hasMessageContaining("set watchNamespaces or networkPolicy.runnerNamespaces");
  }

  @Test
  void chartCrdsAreTheGeneratedOnes() throws IOException {
    Path generated = RenderedChart.ROOT.resolve("crds");
    Path chart = RenderedChart.CHART.resolve("crds");
    List<String> names;
    try (Stream<Path> files = Files.list(generated)) {
      names = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    try (Stream<Path> files = Files.list(chart)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).isEqualTo(names);
    }
    for (String name : names) {
      assertThat(Files.readString(chart.resolve(name)))
          .as("helm/tessera/crds/%s differs from crds/%s: run scripts/refresh-crds", name, name)
          .isEqualTo(Files.readString(generated.resolve(name)));
    }
  }

  @Test
  void everyKeyOfValuesYamlHasAComment() throws IOException {
    JsonNode schema =
        new ObjectMapper().readTree(RenderedChart.CHART.resolve("values.schema.json").toFile());
    List<String> lines = Files.readAllLines(RenderedChart.CHART.resolve("values.yaml"));
    List<String> undocumented = new ArrayList<>();
    List<String> documented = new ArrayList<>();
    // the keys above the current line: indent, key, and whether a comment covers its value
    Deque<Object[]> parents = new ArrayDeque<>();
    Pattern keyLine = Pattern.compile("^( *)([A-Za-z][A-Za-z0-9]*):");
    for (int i = 0; i < lines.size(); i++) {
      Matcher key = keyLine.matcher(lines.get(i));
      if (!key.find()) {
        continue;
      }
      int indent = key.group(1).length();
      while (!parents.isEmpty() && (int) parents.peek()[0] >= indent) {
        parents.pop();
      }
      boolean insideDocumentedValue = parents.stream().anyMatch(p -> (boolean) p[2]);
      List<String> path = new ArrayList<>();
      parents.descendingIterator().forEachRemaining(p -> path.add((String) p[1]));
      path.add(key.group(2));
      boolean hasComment = i > 0 && lines.get(i - 1).trim().startsWith("#");
      parents.push(new Object[] {indent, key.group(2), hasComment});
      if (insideDocumentedValue) {
        continue; // e.g. resources.requests.cpu: part of a documented value
      }
      String name = String.join(".", path);
      assertThat(node(schema, path))
          .as("values.yaml key %s is not in the schema", name)
          .isNotNull();
      if (hasComment) {
        documented.add(name);
      } else if (!node(schema, path).has("properties")) {
        undocumented.add(name); // a value, not a section of documented keys
      }
    }
    assertThat(undocumented).as("keys of values.yaml without a comment above them").isEmpty();
    assertThat(documented).contains("replicaCount", "runner.resources", "networkPolicy.enabled");
  }

  private static JsonNode node(JsonNode schema, List<String> path) {
    JsonNode current = schema;
    for (String key : path) {
      current = resolve(schema, current);
      JsonNode properties = current.path("properties");
      if (!properties.has(key)) {
        return null;
      }
      current = properties.get(key);
    }
    return resolve(schema, current);
  }

  private static JsonNode resolve(JsonNode schema, JsonNode node) {
    if (node.has("$ref")) {
      String ref = node.get("$ref").asText().substring("#/".length());
      return schema.at("/" + ref);
    }
    return node;
  }

  static Container container(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  /**
   * The operator container's environment as the Pod would see it: field references to the Pod's
   * name and namespace resolved.
   */
  static Map<String, String> env(Deployment deployment) {
    Map<String, String> env = new HashMap<>();
    for (EnvVar variable : container(deployment).getEnv()) {
      if (variable.getValueFrom() != null && variable.getValueFrom().getSecretKeyRef() != null) {
        // as the kubelet would read it from the Secret
        env.put(
            variable.getName(),
            "from-secret-" + variable.getValueFrom().getSecretKeyRef().getKey());
      } else if (variable.getValueFrom() != null) {
        String field = variable.getValueFrom().getFieldRef().getFieldPath();
        env.put(
            variable.getName(),
            switch (field) {
              case "metadata.namespace" -> deployment.getMetadata().getNamespace();
              case "metadata.name" -> deployment.getMetadata().getName() + "-7d4b9c-x2x9q";
              default -> throw new AssertionError("unexpected field reference " + field);
            });
      } else {
        env.put(variable.getName(), variable.getValue());
      }
    }
    return env;
  }

  @Test
  void runnersAreToldTheBlockedNetworksAndTheApisEndpoints() {
    assertThat(
            OperatorConfig.fromEnv(
                    env(RenderedChart.render(t -> t).get(Deployment.class, "tessera")))
                .runnerBlockedNetworks())
        .isEmpty();
    RenderedChart chart =
        RenderedChart.render(
            t ->
                t.set("runner.blockedNetworks[0]", "10.0.0.0/8")
                    .set("runner.blockedNetworks[1]", "fd00::/8")
                    .set("networkPolicy.kubernetesApiCIDRs[0]", "192.168.5.10/32"));
    assertThat(
            OperatorConfig.fromEnv(env(chart.get(Deployment.class, "tessera")))
                .runnerBlockedNetworks())
        .extracting(Object::toString)
        .containsExactly("10.0.0.0/8", "fd00:0:0:0:0:0:0:0/8", "192.168.5.10/32");
    assertThatThrownBy(
            () -> RenderedChart.render(t -> t.set("runner.blockedNetworks[0]", "10.0.0.0")))
        .hasMessageContaining("blockedNetworks");
  }
}

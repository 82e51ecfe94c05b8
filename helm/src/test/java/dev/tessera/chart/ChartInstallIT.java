package dev.tessera.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.chart.AdmissionPolicies.Request;
import dev.tessera.demosite.DemoSite;
import dev.tessera.local.LocalMode;
import dev.tessera.local.cluster.EmbeddedCluster;
import dev.tessera.local.cluster.LocalExecutor;
import dev.tessera.operator.OperatorConfig;
import dev.tessera.operator.TesseraOperator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The chart installed on local mode's embedded API: the rendered manifests (default values) are
 * applied as {@code helm install -n tessera-system} would, then the operator is started the way the
 * Deployment starts it, with the environment the chart gives its container and as the chart's
 * ServiceAccount, and it reconciles the examples. Only what cannot be the same on one machine
 * differs: the results endpoint's address (runner processes reach it on 127.0.0.1 instead of the
 * Service) and the ops port.
 */
class ChartInstallIT {
  private static final String NAMESPACE = RenderedChart.NAMESPACE;

  @Test
  void theChartsConfigurationReconcilesTheExamples() throws Exception {
    RenderedChart chart = RenderedChart.render(t -> t);
    Path root = RenderedChart.ROOT;
    Path audit = root.resolve("helm/target/chart-install-audit.jsonl");
    Files.deleteIfExists(audit);
    try (EmbeddedCluster cluster =
            EmbeddedCluster.builder()
                .crds(RenderedChart.CHART.resolve("crds"))
                .auditLog(audit)
                .start();
        DemoSite site = DemoSite.start(DemoSite.Options.defaults().withPort(0))) {
      KubernetesClient client = cluster.kubernetesClient();
      cluster.ensureNamespace(NAMESPACE); // helm install --create-namespace
      for (HasMetadata object : chart.objects()) {
        client.resource(object).create();
      }

      // what the operator's Pod is given, read back from the API
      Deployment deployment =
          client.apps().deployments().inNamespace(NAMESPACE).withName("tessera").get();
      String serviceAccountName =
          deployment.getSpec().getTemplate().getSpec().getServiceAccountName();
      ServiceAccount serviceAccount =
          client.serviceAccounts().inNamespace(NAMESPACE).withName(serviceAccountName).get();
      assertThat(serviceAccount).as("the Deployment's ServiceAccount exists").isNotNull();
      Map<String, String> env = new HashMap<>(ChartTest.env(deployment));
      env.put("TESSERA_RESULTS_HOST", "127.0.0.1");
      env.put("TESSERA_RESULTS_PORT", "0");
      env.put("TESSERA_OPS_PORT", "0");
      OperatorConfig config = OperatorConfig.fromEnv(env).withResultsUrl(null);
      String user = "system:serviceaccount:" + NAMESPACE + ":" + serviceAccountName;
      Config asServiceAccount = cluster.config();
      asServiceAccount.setImpersonateUsername(user);

      try (LocalExecutor executor = LocalMode.startExecutor(client, root);
          KubernetesClient operatorClient = TesseraOperator.client(asServiceAccount);
          TesseraOperator operator =
              TesseraOperator.start(operatorClient, config, Clock.systemUTC(), false)) {
        cluster.podLogs(executor);
        assertThat(operator.config().runnerImage()).isEqualTo(env.get("TESSERA_RUNNER_IMAGE"));
        assertThat(config.leaderLease()).isEqualTo("tessera-leader");
        for (String example :
            List.of(
                "examples/catalog/project.yaml",
                "examples/catalog/run-products.yaml",
                "examples/demo/project.yaml",
                "examples/demo/credentials-secret.yaml",
                "examples/demo/authsession.yaml")) {
          LocalMode.apply(client, root.resolve(example), site.baseUrl());
        }

        // leader election as the chart configures it: the Lease in the release's namespace,
        // held by the Pod
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () -> {
                  Lease lease =
                      client.leases().inNamespace(NAMESPACE).withName(config.leaderLease()).get();
                  assertThat(lease).isNotNull();
                  assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(env.get("POD_NAME"));
                });

        Run catalog = awaitFinished(client, "catalog-page-2");
        assertThat(catalog.getStatus().getPhase()).isEqualTo("Succeeded");
        await()
            .atMost(Duration.ofSeconds(150))
            .until(
                () -> {
                  AuthSession session =
                      client.resources(AuthSession.class).withName("demo-alice").get();
                  return session.getStatus() != null
                      && "Ready".equals(session.getStatus().getPhase());
                });
        LocalMode.apply(client, root.resolve("examples/demo/run-invoices.yaml"), site.baseUrl());
        Run invoices = awaitFinished(client, "alice-invoices-page-2");
        assertThat(invoices.getStatus().getPhase()).isEqualTo("Succeeded");

        // the runner Pods have the chart's runner image and default resources (the chart's
        // defaults equal the built-in ones; ChartTest shows that other values reach the operator)
        List<Pod> pods = client.pods().inNamespace("default").list().getItems();
        assertThat(pods).isNotEmpty();
        assertThat(pods)
            .allSatisfy(
                pod -> {
                  var container = pod.getSpec().getContainers().get(0);
                  assertThat(container.getImage())
                      .isEqualTo(env.get("TESSERA_RUNNER_IMAGE"))
                      .isEqualTo("ghcr.io/tessera-dev/tessera-runner:0.1.0");
                  assertThat(container.getResources().getRequests())
                      .containsEntry("memory", new Quantity("1Gi"));
                });
      }

      // The admission policy and its binding are stored as the chart renders them, but the
      // embedded API runs no admission (docs/decisions.md#the-admission-policy): evaluate the
      // stored policy on every Run of this install instead. The operator's session operations
      // pass as its ServiceAccount made them and would be refused from anyone else; the
      // examples' Runs pass whoever applies them.
      assertThat(client.resources(ValidatingAdmissionPolicy.class).list().getItems())
          .extracting(ValidatingAdmissionPolicy::getSpec)
          .containsExactly(
              chart.get(ValidatingAdmissionPolicy.class, "tessera-session-operations").getSpec());
      AdmissionPolicies policies =
          AdmissionPolicies.of(
              client.resources(ValidatingAdmissionPolicy.class).list().getItems(),
              client.resources(ValidatingAdmissionPolicyBinding.class).list().getItems());
      ObjectMapper json = new ObjectMapper();
      List<JsonNode> runs =
          client
              .genericKubernetesResources("tessera.dev/v1alpha1", "Run")
              .inAnyNamespace()
              .list()
              .getItems()
              .stream()
              .map(run -> json.<JsonNode>valueToTree(run))
              .toList();
      List<JsonNode> operations =
          runs.stream().filter(run -> run.path("spec").has("operation")).toList();
      assertThat(operations).as("session operations of demo-alice").isNotEmpty();
      assertThat(runs).hasSizeGreaterThan(operations.size());
      for (JsonNode run : runs) {
        String name = run.path("metadata").path("name").asText();
        if (run.path("spec").has("operation")) {
          assertThat(policies.denials(Request.createRun(user, run))).as(name).isEmpty();
          assertThat(policies.denials(Request.createRun("kubernetes-admin", run)))
              .as(name)
              .singleElement()
              .asString()
              .startsWith("spec.operation is set only by the Tessera operator");
        } else {
          assertThat(policies.denials(Request.createRun("kubernetes-admin", run)))
              .as(name)
              .isEmpty();
        }
      }

      // every request the operator made, as the chart's ServiceAccount, is one its RBAC grants
      Rbac rbac = Rbac.of(chart, NAMESPACE, serviceAccountName);
      List<ApiRequest> requests =
          ApiRequest.read(audit).stream().filter(r -> user.equals(r.user())).toList();
      assertThat(requests).hasSizeGreaterThan(50);
      TreeSet<String> denied = new TreeSet<>();
      requests.stream().filter(r -> !rbac.allows(r)).forEach(r -> denied.add(r.describe()));
      assertThat(denied).as("requests the chart's RBAC would deny").isEmpty();
    }
  }

  private static Run awaitFinished(KubernetesClient client, String name) {
    await()
        .atMost(Duration.ofSeconds(180))
        .until(
            () -> {
              Run run = client.resources(Run.class).withName(name).get();
              return run != null
                  && run.getStatus() != null
                  && List.of("Succeeded", "Failed", "Canceled", "Rejected")
                      .contains(run.getStatus().getPhase());
            });
    return client.resources(Run.class).withName(name).get();
  }
}

package dev.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tessera.api.v1alpha1.Project;
import dev.tessera.local.cluster.EmbeddedCluster;
import dev.tessera.operator.OperatorConfig;
import dev.tessera.operator.TesseraOperator;
import dev.tessera.operator.ops.Liveness;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two operator replicas with leader election: one reconciles; when it stops, the other takes over.
 */
class LeaderElectionIT {
  private static OperatorConfig replica(String name) {
    return OperatorConfig.fromEnv(
            Map.of(
                "TESSERA_LEADER_ELECTION", "true",
                "POD_NAMESPACE", "default",
                "POD_NAME", name,
                "TESSERA_OPS_PORT", "-1",
                "TESSERA_RESULTS_HOST", "127.0.0.1",
                "TESSERA_RESULTS_PORT", "0"))
        .withResultsUrl(null);
  }

  private static void createProject(KubernetesClient client, String name) throws Exception {
    client
        .resource(
            new YAMLMapper()
                .readValue(
                    "{apiVersion: tessera.dev/v1alpha1, kind: Project, metadata: {name: "
                        + name
                        + ", namespace: default}, spec: {apis: {a: {className: com.example.A}}}}",
                    Project.class))
        .create();
  }

  private static List<String> reportersOf(KubernetesClient client, String project) {
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> project.equals(e.getInvolvedObject().getName()))
        .map(Event::getReportingInstance)
        .toList();
  }

  @Test
  void onlyTheLeaderReconcilesAndTheOtherTakesOverWhenItStops() throws Exception {
    Path root = Path.of("").toAbsolutePath().getParent();
    try (EmbeddedCluster cluster =
            EmbeddedCluster.builder().crds(root.resolve("crds")).port(0).start();
        KubernetesClient clientOfA = TesseraOperator.client(cluster.config());
        KubernetesClient clientOfB = TesseraOperator.client(cluster.config())) {
      KubernetesClient client = cluster.kubernetesClient();
      TesseraOperator first =
          TesseraOperator.start(clientOfA, replica("replica-a"), Clock.systemUTC(), false);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> "replica-a".equals(LeaderLease.holder(client)));
      TesseraOperator second =
          TesseraOperator.start(clientOfB, replica("replica-b"), Clock.systemUTC(), false);
      try {
        createProject(client, "first");
        await().atMost(Duration.ofSeconds(30)).until(() -> !reportersOf(client, "first").isEmpty());
        Thread.sleep(2000); // a second reconciler, if there were one, would have reported by now
        assertThat(reportersOf(client, "first")).containsExactly("replica-a");

        first.close();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> "replica-b".equals(LeaderLease.holder(client)));
        createProject(client, "second");
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> !reportersOf(client, "second").isEmpty());
        assertThat(reportersOf(client, "second")).containsExactly("replica-b");
        assertThat(first.liveness().failure()).contains(Liveness.STOPPED);
        assertThat(second.liveness().isLive()).as("a stopped replica's successor is live").isTrue();
      } finally {
        second.close();
      }
    }
  }

  @Test
  void anEmbeddedOperatorThatLosesItsLeaseReportsItselfNotLiveAndLeavesTheJvmRunning()
      throws Exception {
    Path root = Path.of("").toAbsolutePath().getParent();
    try (EmbeddedCluster cluster =
            EmbeddedCluster.builder().crds(root.resolve("crds")).port(0).start();
        KubernetesClient clientOfA = TesseraOperator.client(cluster.config())) {
      KubernetesClient client = cluster.kubernetesClient();
      try (TesseraOperator operator =
          TesseraOperator.start(clientOfA, replica("replica-a"), Clock.systemUTC(), false)) {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> "replica-a".equals(LeaderLease.holder(client)));
        assertThat(operator.liveness().isLive()).isTrue();

        LeaderLease.takeOver(client, "another-operator");

        await().atMost(Duration.ofSeconds(15)).until(() -> !operator.liveness().isLive());
        assertThat(operator.liveness().failure()).contains(Liveness.LEADERSHIP_LOST);
      }
      // this test's JVM is still here: an embedded operator never exits it
    }
  }
}

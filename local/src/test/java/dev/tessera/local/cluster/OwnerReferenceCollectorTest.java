package dev.tessera.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tessera.api.v1alpha1.JobRun;
import dev.tessera.api.v1alpha1.JobRunSpec;
import dev.tessera.api.v1alpha1.Run;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OwnerReferenceCollectorTest {
  static EmbeddedCluster cluster;
  static KubernetesClient client;
  static OwnerReferenceCollector collector;

  @BeforeAll
  static void start() {
    cluster =
        EmbeddedCluster.builder().crds(EmbeddedClusterTest.CRDS).garbageCollection(null).start();
    client = cluster.kubernetesClient();
    collector = new OwnerReferenceCollector(client);
  }

  @AfterAll
  static void stop() {
    collector.close();
    cluster.close();
  }

  @Test
  void deletingARunCollectsItsSecretAndPod() {
    Run run = client.resources(Run.class).resource(EmbeddedClusterTest.run("owner-run")).create();
    client.secrets().resource(secret("owner-run-input", ownedBy(run))).create();
    client.pods().resource(pod("owner-run-attempt-1", ownedBy(run))).create();
    assertThat(collector.sweep()).isZero();

    client.resources(Run.class).withName("owner-run").delete();

    assertThat(collector.sweep()).isEqualTo(2);
    assertThat(client.secrets().withName("owner-run-input").get()).isNull();
    assertThat(client.pods().withName("owner-run-attempt-1").get()).isNull();
  }

  @Test
  void collectsDownAChainOfOwners() {
    JobRun jobRun = new JobRun();
    jobRun.getMetadata().setName("chain-jobrun");
    JobRunSpec spec = new JobRunSpec();
    spec.setJob("daily");
    jobRun.setSpec(spec);
    jobRun = client.resources(JobRun.class).resource(jobRun).create();
    Run run = EmbeddedClusterTest.run("chain-run");
    run.getMetadata().getOwnerReferences().add(ownedBy(jobRun));
    run = client.resources(Run.class).resource(run).create();
    client.pods().resource(pod("chain-run-attempt-1", ownedBy(run))).create();
    client
        .leases()
        .resource(
            new LeaseBuilder()
                .withNewMetadata()
                .withName("chain-lock")
                .withOwnerReferences(ownedBy(run))
                .endMetadata()
                .build())
        .create();

    client.resources(JobRun.class).withName("chain-jobrun").delete();

    assertThat(collector.sweep()).isEqualTo(3);
    assertThat(client.resources(Run.class).withName("chain-run").get()).isNull();
    assertThat(client.pods().withName("chain-run-attempt-1").get()).isNull();
    assertThat(client.leases().withName("chain-lock").get()).isNull();
  }

  @Test
  void keepsObjectsWithALiveOwnerAndCollectsThoseOfAReplacedOne() {
    Run run = client.resources(Run.class).resource(EmbeddedClusterTest.run("kept-run")).create();
    client.secrets().resource(secret("kept-secret", ownedBy(run))).create();
    OwnerReference stale = ownedBy(run);
    stale.setUid("00000000-0000-0000-0000-00000000dead");
    client.secrets().resource(secret("stale-secret", stale)).create();

    collector.sweep();

    assertThat(client.secrets().withName("kept-secret").get()).isNotNull();
    assertThat(client.secrets().withName("stale-secret").get()).isNull();
  }

  @Test
  void deletingANamespaceDeletesWhatIsInIt() {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("doomed").endMetadata().build())
        .create();
    client.secrets().inNamespace("doomed").resource(secret("inside", null)).create();
    collector.sweep();

    client.namespaces().withName("doomed").delete();
    collector.sweep();

    assertThat(client.secrets().inNamespace("doomed").withName("inside").get()).isNull();
  }

  @Test
  void theClusterCollectsPeriodicallyByDefault() {
    try (EmbeddedCluster periodic =
        EmbeddedCluster.builder()
            .crds(EmbeddedClusterTest.CRDS)
            .garbageCollection(Duration.ofMillis(200))
            .start()) {
      KubernetesClient c = periodic.kubernetesClient();
      Run run = c.resources(Run.class).resource(EmbeddedClusterTest.run("periodic")).create();
      c.secrets().resource(secret("periodic-input", ownedBy(run))).create();
      c.resources(Run.class).withName("periodic").delete();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> c.secrets().withName("periodic-input").get() == null);
    }
  }

  static OwnerReference ownedBy(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  static Secret secret(String name, OwnerReference owner) {
    SecretBuilder secret = new SecretBuilder().withNewMetadata().withName(name).endMetadata();
    if (owner != null) {
      secret.editMetadata().withOwnerReferences(owner).endMetadata();
    }
    return secret.addToStringData("k", "v").build();
  }

  static Pod pod(String name, OwnerReference owner) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withOwnerReferences(owner)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("main")
        .withImage("busybox-like")
        .endContainer()
        .endSpec()
        .build();
  }
}

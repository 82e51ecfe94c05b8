package dev.tessera.operator.job;

import static dev.tessera.operator.MockCluster.create;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tessera.api.v1alpha1.Job;
import dev.tessera.api.v1alpha1.JobRun;
import dev.tessera.api.v1alpha1.Project;
import dev.tessera.operator.MockCluster;
import dev.tessera.operator.naming.Owners;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A JobRun a user creates by hand is owned by its Job as a scheduled one is, so that deleting the
 * Job deletes it (the mock API has no garbage collector: the owner reference is what a cluster's
 * collector follows).
 */
@EnableKubernetesMockClient(crud = true)
class ManualJobRunIT {
  KubernetesClient client;
  private MockCluster cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = MockCluster.start(client);
    create(
        client,
        """
        apiVersion: tessera.dev/v1alpha1
        kind: Project
        metadata: {name: catalog, namespace: test}
        spec:
          apis: {list: {steps: [{goto: "http://site/catalog"}]}}
        """,
        Project.class);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private static String job(String name, String schedule) {
    return "{apiVersion: tessera.dev/v1alpha1, kind: Job, metadata: {name: "
        + name
        + ", namespace: test}, spec: {project: catalog, "
        + (schedule == null ? "" : "schedule: '" + schedule + "', ")
        + "payload: [{api: list}]}}";
  }

  private JobRun startByHand(String name, String job) {
    return create(
        client,
        "{apiVersion: tessera.dev/v1alpha1, kind: JobRun, metadata: {name: "
            + name
            + ", namespace: test}, spec: {job: "
            + job
            + "}}",
        JobRun.class);
  }

  private List<OwnerReference> awaitOwners(String jobRun) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client
                    .resources(JobRun.class)
                    .inNamespace("test")
                    .withName(jobRun)
                    .get()
                    .getMetadata()
                    .getOwnerReferences(),
            owners -> owners != null && !owners.isEmpty());
  }

  @Test
  void aJobRunStartedByHandIsOwnedByItsJobAsAScheduledOneIs() {
    Job job = create(client, job("daily", "0 6 * * *"), Job.class);
    startByHand("now", "daily");

    List<OwnerReference> owners = awaitOwners("now");
    assertThat(owners)
        .singleElement()
        .satisfies(
            owner -> {
              assertThat(owner.getKind()).isEqualTo("Job");
              assertThat(owner.getApiVersion()).isEqualTo("tessera.dev/v1alpha1");
              assertThat(owner.getName()).isEqualTo("daily");
              assertThat(owner.getUid()).isEqualTo(job.getMetadata().getUid());
              assertThat(owner.getController()).isTrue();
              assertThat(owner.getBlockOwnerDeletion()).isTrue();
            });
    // the reference JobReconciler gives the JobRuns the schedule creates
    assertThat(owners).containsExactly(Owners.controller(job));
  }

  @Test
  void aJobRunStartedBeforeItsJobIsOwnedOnceTheJobExists() {
    startByHand("too-early", "later");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> client.resources(JobRun.class).inNamespace("test").withName("too-early").get(),
            // it waits for its Job
            r ->
                r.getStatus() != null
                    && "Pending".equals(r.getStatus().getPhase())
                    && "JobNotFound".equals(r.getStatus().getReason()));

    Job job = create(client, job("later", null), Job.class);

    assertThat(awaitOwners("too-early"))
        .singleElement()
        .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(job.getMetadata().getUid()));
  }
}

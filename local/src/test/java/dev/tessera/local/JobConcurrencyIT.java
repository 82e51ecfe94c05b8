package dev.tessera.local;

import static dev.tessera.local.LocalCluster.create;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.v1alpha1.Job;
import dev.tessera.api.v1alpha1.JobRun;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A Job's concurrencyPolicy, between JobRuns created by hand, in local mode. */
class JobConcurrencyIT {
  private static LocalMode local;
  private static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    local = LocalCluster.startDemo();
    client = local.client();
  }

  @AfterAll
  static void stop() {
    local.close();
  }

  private static JobRun jobRun(String name) {
    return client.resources(JobRun.class).inNamespace("default").withName(name).get();
  }

  private static JobRun awaitPhase(String name, String... phases) {
    return LocalCluster.awaitJobRun(client, name, phases);
  }

  private static void job(String name, String policy) throws Exception {
    create(
        client,
        "{apiVersion: tessera.dev/v1alpha1, kind: Job, metadata: {name: "
            + name
            + ", namespace: default}, spec: {project: demo-catalog, concurrencyPolicy: "
            + policy
            + ", maxConcurrentRuns: 1, payload: [{api: products, parameters: {page: 1}}, {api: products, parameters: {page: 1}}, {api:"
            + " products, parameters: {page: 1}}, {api: products, parameters: {page: 1}}, {api: products, parameters: {page: 1}}, {api: products, parameters: {page: 1}}]}}",
        Job.class);
  }

  private static void jobRun(String name, String job) throws Exception {
    create(
        client,
        "{apiVersion: tessera.dev/v1alpha1, kind: JobRun, metadata: {name: "
            + name
            + ", namespace: default}, spec: {job: "
            + job
            + "}}",
        JobRun.class);
  }

  @Test
  void forbidCancelsTheNewcomerAndReplaceCancelsTheOneRunning() throws Exception {
    job("forbidding", "Forbid");
    jobRun("forbidding-a", "forbidding");
    awaitPhase("forbidding-a", "Running");
    jobRun("forbidding-b", "forbidding");
    JobRun refused = awaitPhase("forbidding-b", "Canceled", "Running", "Succeeded");
    assertThat(refused.getStatus().getPhase()).isEqualTo("Canceled");
    assertThat(refused.getStatus().getReason()).isEqualTo("AnotherJobRunActive");
    assertThat(refused.getStatus().getMessage()).contains("forbidding-a");
    assertThat(jobRun("forbidding-a").getStatus().getPhase()).isIn("Running", "Succeeded");

    job("replacing", "Replace");
    jobRun("replacing-a", "replacing");
    awaitPhase("replacing-a", "Running");
    jobRun("replacing-b", "replacing");
    JobRun replaced = awaitPhase("replacing-a", "Canceled", "Succeeded");
    assertThat(replaced.getStatus().getPhase()).isEqualTo("Canceled");
    assertThat(replaced.getStatus().getReason()).isEqualTo("ReplacedByNewerJobRun");
    assertThat(replaced.getStatus().getMessage()).contains("replacing-b");
    JobRun newer = awaitPhase("replacing-b", "Succeeded", "Failed", "Canceled");
    assertThat(newer.getStatus().getPhase())
        .as(newer.getStatus().getMessage())
        .isEqualTo("Succeeded");
  }
}

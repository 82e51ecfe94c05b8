package dev.tessera.operator.naming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.v1alpha1.Job;
import dev.tessera.api.v1alpha1.JobRun;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class OwnersTest {
  private static final Job JOB = job("daily", "uid-daily");

  private static Job job(String name, String uid) {
    Job job = new Job();
    job.setMetadata(new ObjectMetaBuilder().withName(name).withUid(uid).build());
    return job;
  }

  private static JobRun jobRun(OwnerReference... references) {
    JobRun jobRun = new JobRun();
    jobRun.setMetadata(
        new ObjectMetaBuilder().withName("now").withOwnerReferences(references).build());
    return jobRun;
  }

  @Test
  void aJobRunWithoutOwnersGetsTheControllerReferenceScheduledOnesHave() {
    assertThat(Owners.adopted(jobRun(), JOB)).contains(List.of(Owners.controller(JOB)));
    OwnerReference reference = Owners.controller(JOB);
    assertThat(reference.getKind()).isEqualTo("Job");
    assertThat(reference.getApiVersion()).isEqualTo("tessera.dev/v1alpha1");
    assertThat(reference.getUid()).isEqualTo("uid-daily");
    assertThat(reference.getController()).isTrue();
    assertThat(reference.getBlockOwnerDeletion()).isTrue();
  }

  @Test
  void otherOwnersAreKeptBesideIt() {
    OwnerReference other =
        new OwnerReferenceBuilder()
            .withApiVersion("v1")
            .withKind("ConfigMap")
            .withName("release")
            .withUid("uid-cm")
            .build();
    assertThat(Owners.adopted(jobRun(other), JOB)).contains(List.of(other, Owners.controller(JOB)));
  }

  @Test
  void nothingChangesWhenItIsOwnedAlreadyOrGoing() {
    assertThat(Owners.adopted(jobRun(Owners.controller(JOB)), JOB)).isEmpty();
    // another controller is not ours to replace
    assertThat(Owners.adopted(jobRun(Owners.controller(job("other", "uid-other"))), JOB)).isEmpty();
    // a reference to this Job that someone made without controller
    OwnerReference plain =
        new OwnerReferenceBuilder(Owners.controller(JOB)).withController(false).build();
    assertThat(Owners.adopted(jobRun(plain), JOB)).isEmpty();
    JobRun deleted = jobRun();
    deleted.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
    assertThat(Owners.adopted(deleted, JOB)).isEmpty();
    assertThat(Owners.adopted(jobRun(), job("daily", null))).isEmpty();
  }
}

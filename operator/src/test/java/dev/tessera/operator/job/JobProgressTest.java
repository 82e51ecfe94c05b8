package dev.tessera.operator.job;

import static dev.tessera.operator.TestYaml.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.v1alpha1.Job;
import dev.tessera.api.v1alpha1.JobRun;
import dev.tessera.api.v1alpha1.JobRunSpec;
import dev.tessera.api.v1alpha1.JobRunStatus;
import dev.tessera.api.v1alpha1.JobSpec;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.api.v1alpha1.Reason;
import dev.tessera.api.webhook.WebhookSigner;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Schedules, missed schedules and history, with the clock in the test's hands. */
class JobProgressTest {
  private static final Instant CREATED = Instant.parse("2026-01-01T10:00:30Z");
  private static final ProjectSpec PROJECT =
      read(
          """
          apis: {me: {className: Me}}
          authentication: {enabled: true, create: {className: L}, check: {className: C}}
          """,
          ProjectSpec.class);

  private static Job job(String extra) {
    Job job = new Job();
    job.setMetadata(
        new ObjectMetaBuilder()
            .withName("daily")
            .withNamespace("ns")
            .withGeneration(1L)
            .withCreationTimestamp(CREATED.toString())
            .build());
    job.setSpec(
        read(
            "{project: p, authSession: {name: alice}, payload: [{api: me}]" + extra + "}",
            JobSpec.class));
    return job;
  }

  private static JobProgress.Decision decide(Job job, List<JobRun> runs, Instant now) {
    JobProgress.Decision d =
        JobProgress.decide(new JobProgress.Observation(job, PROJECT, runs, now));
    job.setStatus(d.status());
    return d;
  }

  private static JobRun finished(String name, String phase, String completed) {
    JobRun run = new JobRun();
    run.setMetadata(new ObjectMetaBuilder().withName(name).build());
    run.setSpec(read("{job: daily}", JobRunSpec.class));
    run.setStatus(new JobRunStatus());
    run.getStatus().setPhase(phase);
    run.getStatus().setCompletionTime(completed);
    return run;
  }

  @Test
  void aScheduleCreatesOneJobRunWhenDueAndWaitsForTheNext() {
    Job job = job(", schedule: '*/5 * * * *'");
    JobProgress.Decision early = decide(job, List.of(), Instant.parse("2026-01-01T10:03:00Z"));
    assertThat(early.effects()).isEmpty();
    assertThat(early.status().getNextScheduleTime()).isEqualTo("2026-01-01T10:05:00Z");
    assertThat(early.requeueAfter())
        .isBetween(Duration.ofMinutes(2), Duration.ofMinutes(2).plusSeconds(1));

    JobProgress.Decision due = decide(job, List.of(), Instant.parse("2026-01-01T10:05:01Z"));
    Instant at = Instant.parse("2026-01-01T10:05:00Z");
    assertThat(due.effects())
        .containsExactly(new JobProgress.CreateJobRun(JobProgress.scheduledName("daily", at), at));
    assertThat(due.status().getLastScheduleTime()).isEqualTo(at.toString());
    assertThat(due.status().getNextScheduleTime()).isEqualTo("2026-01-01T10:10:00Z");
    assertThat(decide(job, List.of(), Instant.parse("2026-01-01T10:05:30Z")).effects()).isEmpty();
  }

  @Test
  void afterDowntimeOnlyTheLatestMissedScheduleRunsAndNoneBeyondTheDeadline() {
    Job job = job(", schedule: '*/5 * * * *'");
    JobProgress.Decision late = decide(job, List.of(), Instant.parse("2026-01-01T12:01:00Z"));
    Instant latest = Instant.parse("2026-01-01T12:00:00Z");
    assertThat(late.effects())
        .containsExactly(
            new JobProgress.CreateJobRun(JobProgress.scheduledName("daily", latest), latest));

    Job strict = job(", schedule: '*/5 * * * *', startingDeadlineSeconds: 30");
    JobProgress.Decision missed = decide(strict, List.of(), Instant.parse("2026-01-01T12:01:00Z"));
    assertThat(missed.effects()).isEmpty();
    assertThat(missed.notes()).extracting(n -> n.reason().name()).contains("MissedSchedule");
    assertThat(missed.status().getLastScheduleTime()).isEqualTo(latest.toString());
  }

  @Test
  void timeZonesSuspensionAndBadSchedulesAreHonoured() {
    Job paris = job(", schedule: '0 6 * * *', timeZone: Europe/Paris");
    assertThat(decide(paris, List.of(), CREATED).status().getNextScheduleTime())
        .isEqualTo("2026-01-02T05:00:00Z");

    Job suspended = job(", schedule: '* * * * *', suspend: true");
    JobProgress.Decision d = decide(suspended, List.of(), CREATED.plusSeconds(600));
    assertThat(d.effects()).isEmpty();
    assertThat(d.status().getNextScheduleTime()).isNull();

    Job bad = job(", schedule: 'every morning'");
    JobProgress.Decision invalid = decide(bad, List.of(), CREATED);
    assertThat(invalid.status().getConditions().get(0).getReason()).isEqualTo("JobInvalid");
    assertThat(invalid.status().getConditions().get(0).getMessage()).contains("every morning");
    Job zone = job(", schedule: '* * * * *', timeZone: Mars/Olympus");
    assertThat(decide(zone, List.of(), CREATED).status().getConditions().get(0).getMessage())
        .contains("Mars/Olympus");
  }

  @Test
  void finishedJobRunsBeyondTheHistoryLimitsAreDeletedOldestFirst() {
    Job job = job(", successfulJobRunsHistoryLimit: 2, failedJobRunsHistoryLimit: 1");
    List<JobRun> runs = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      runs.add(finished("ok-" + i, "Succeeded", "2026-01-01T1" + i + ":00:00Z"));
    }
    runs.add(finished("bad-1", "Failed", "2026-01-01T10:30:00Z"));
    runs.add(finished("bad-2", "Canceled", "2026-01-01T11:30:00Z"));
    JobProgress.Decision d = decide(job, runs, CREATED);
    assertThat(d.effects())
        .containsExactlyInAnyOrder(
            new JobProgress.DeleteJobRun("ok-1"),
            new JobProgress.DeleteJobRun("ok-2"),
            new JobProgress.DeleteJobRun("bad-1"));
    assertThat(d.status().getLastSuccessfulTime()).isEqualTo("2026-01-01T14:00:00Z");
  }

  @Test
  void aNegativeHistoryLimitStoredBeforeTheBoundKeepsNone() {
    Job job = job(", successfulJobRunsHistoryLimit: -2, failedJobRunsHistoryLimit: -1");
    List<JobRun> runs =
        List.of(
            finished("ok-1", "Succeeded", "2026-01-01T11:00:00Z"),
            finished("bad-1", "Failed", "2026-01-01T10:30:00Z"));
    assertThat(decide(job, runs, CREATED).effects())
        .containsExactlyInAnyOrder(
            new JobProgress.DeleteJobRun("ok-1"), new JobProgress.DeleteJobRun("bad-1"));
  }

  @Test
  void aJobWithoutTheSessionItsProjectNeedsIsInvalid() {
    Job job = job("");
    job.getSpec().setAuthSession(null);
    JobProgress.Decision d = decide(job, List.of(), CREATED);
    assertThat(d.status().getConditions().get(0).getStatus()).isEqualTo("False");
    assertThat(d.status().getConditions().get(0).getMessage()).contains("AuthSessionRequired");
  }

  private static JobProgress.Decision decideSigned(Job job, Secret secret) {
    return JobProgress.decide(
        new JobProgress.Observation(
            job, PROJECT, List.of(), CREATED, secret, Duration.ofSeconds(7)));
  }

  private static Secret signingSecret(Map<String, String> data) {
    Map<String, String> encoded = new java.util.HashMap<>();
    data.forEach(
        (k, v) ->
            encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return new SecretBuilder()
        .withNewMetadata()
        .withName("hook")
        .endMetadata()
        .withData(encoded)
        .build();
  }

  @Test
  void aSigningSecretThatIsMissingOrNotAKeyMakesTheJobInvalidUntilItIsFixed() {
    Job job =
        job(
            ", schedule: '*/5 * * * *', sink: {url: 'https://hooks.example/t', signingSecretRef: {name: hook}}");
    JobProgress.Decision missing = decideSigned(job, null);
    assertThat(missing.status().getConditions().get(0).getStatus()).isEqualTo("False");
    assertThat(missing.status().getConditions().get(0).getReason())
        .isEqualTo("SigningSecretNotFound");
    assertThat(missing.status().getConditions().get(0).getMessage())
        .contains("Secret \"hook\"", "does not exist", "\"signing-secret\"");
    assertThat(missing.effects()).isEmpty();
    assertThat(missing.requeueAfter()).isEqualTo(Duration.ofSeconds(7));
    assertThat(missing.notes())
        .extracting(JobProgress.Note::reason)
        .containsExactly(Reason.SigningSecretNotFound);

    JobProgress.Decision noKey = decideSigned(job, signingSecret(Map.of("other", "x")));
    assertThat(noKey.status().getConditions().get(0).getReason())
        .isEqualTo("SigningSecretNotFound");
    assertThat(noKey.status().getConditions().get(0).getMessage()).contains("has no key");

    for (String notAKey : List.of("hunter2-hunter2", "whsec_c2hvcnQ=")) {
      JobProgress.Decision invalid =
          decideSigned(job, signingSecret(Map.of("signing-secret", notAKey)));
      assertThat(invalid.status().getConditions().get(0).getReason())
          .isEqualTo("SigningSecretInvalid");
      assertThat(invalid.status().getConditions().get(0).getMessage())
          .contains("is not a signing secret")
          .doesNotContain(notAKey);
    }

    JobProgress.Decision fixed =
        decideSigned(job, signingSecret(Map.of("signing-secret", WebhookSigner.generateSecret())));
    assertThat(fixed.status().getConditions().get(0).getReason()).isEqualTo("JobValid");

    Job otherKey =
        job(", sink: {url: 'https://hooks.example/t', signingSecretRef: {name: hook, key: k}}");
    assertThat(
            decideSigned(otherKey, signingSecret(Map.of("k", WebhookSigner.generateSecret())))
                .status()
                .getConditions()
                .get(0)
                .getReason())
        .isEqualTo("JobValid");
  }
}

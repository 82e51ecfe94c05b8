package dev.tessera.operator.job;

import static dev.tessera.operator.TestYaml.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.v1alpha1.AttemptError;
import dev.tessera.api.v1alpha1.AttemptStatus;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.AuthSessionSpec;
import dev.tessera.api.v1alpha1.AuthSessionStatus;
import dev.tessera.api.v1alpha1.JobRun;
import dev.tessera.api.v1alpha1.JobRunSpec;
import dev.tessera.api.v1alpha1.JobSpec;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.RunSpec;
import dev.tessera.api.v1alpha1.RunStatus;
import dev.tessera.api.v1alpha1.ValidationStatus;
import dev.tessera.api.v1alpha1.WebhookSink;
import dev.tessera.api.v1alpha1.WhenLocked;
import dev.tessera.api.webhook.WebhookSigner;
import dev.tessera.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobRunProgressTest {
  private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
  private static final ProjectSpec PROJECT =
      read(
          """
          apis: {me: {className: Me}}
          authentication: {enabled: true, create: {className: L}, check: {className: C}}
          """,
          ProjectSpec.class);

  private static JobSpec job(int items, int concurrent, boolean autoRecreate) {
    StringBuilder payload = new StringBuilder("[");
    for (int i = 0; i < items; i++) {
      payload.append(i == 0 ? "" : ", ").append("{api: me}");
    }
    return read(
        "{project: p, maxConcurrentRuns: "
            + concurrent
            + ", authSession: {name: alice, autoRecreate: "
            + autoRecreate
            + "}, payload: "
            + payload
            + "]}",
        JobSpec.class);
  }

  private static JobRun jobRun() {
    JobRun jobRun = new JobRun();
    jobRun.setMetadata(
        new ObjectMetaBuilder().withName("jr").withNamespace("ns").withGeneration(1L).build());
    jobRun.setSpec(read("{job: j}", JobRunSpec.class));
    return jobRun;
  }

  private static AuthSession session() {
    AuthSession session = new AuthSession();
    session.setMetadata(new ObjectMetaBuilder().withName("alice").withNamespace("ns").build());
    session.setSpec(read("{project: p, type: Credentials}", AuthSessionSpec.class));
    session.setStatus(new AuthSessionStatus());
    session.getStatus().setPhase("Ready");
    return session;
  }

  private static Run run(String name, String phase) {
    Run run = new Run();
    run.setMetadata(new ObjectMetaBuilder().withName(name).build());
    run.setSpec(read("{project: p, api: me}", RunSpec.class));
    if (phase != null) {
      run.setStatus(new RunStatus());
      run.getStatus().setPhase(phase);
      run.getStatus().setMessage(phase);
    }
    return run;
  }

  private static Run waiting(String name, int generation) {
    Run run = run(name, "Running");
    AttemptStatus attempt = new AttemptStatus();
    attempt.setNumber(1);
    attempt.setPhase("Running");
    attempt.setWaitingFor("AuthSession/alice");
    ValidationStatus validation = new ValidationStatus();
    validation.setStateGeneration(generation);
    attempt.setValidation(validation);
    run.getStatus().setAttempts(List.of(attempt));
    return run;
  }

  private static JobRunProgress.Decision decide(
      JobRun jobRun, JobSpec job, List<Run> runs, Map<String, Run> ops, String lock, int gen) {
    return decide(jobRun, job, session(), runs, ops, lock, gen);
  }

  private static JobRunProgress.Decision decide(
      JobRun jobRun,
      JobSpec job,
      AuthSession session,
      List<Run> runs,
      Map<String, Run> ops,
      String lock,
      int gen) {
    JobRunProgress.Decision d =
        JobRunProgress.decide(
            new JobRunProgress.Observation(
                jobRun, job, PROJECT, session, runs, ops, lock, gen, NOW));
    jobRun.setStatus(d.status());
    return d;
  }

  /** A JobRun whose start check passed: Running, its first Runs asked for. */
  private static JobRun running(JobSpec job) {
    JobRun jobRun = jobRun();
    decide(jobRun, job, List.of(), Map.of(), null, 1);
    decide(jobRun, job, List.of(), Map.of("jr-check", run("jr-check", "Succeeded")), null, 1);
    return jobRun;
  }

  private static Run failedCheck(int generation) {
    Run check = run("jr-check", "Canceled");
    AttemptStatus attempt = new AttemptStatus();
    attempt.setError(new AttemptError());
    attempt.getError().setCode("CheckAttemptsFailed");
    attempt.setValidation(new ValidationStatus());
    attempt.getValidation().setStateGeneration(generation);
    check.getStatus().setAttempts(List.of(attempt));
    return check;
  }

  @Test
  void aJobRunChecksItsSessionThenStartsAtMostMaxConcurrentRuns() {
    JobSpec job = job(10, 4, true);
    JobRun jobRun = jobRun();
    JobRunProgress.Decision start = decide(jobRun, job, List.of(), Map.of(), null, 1);
    assertThat(start.status().getPhase()).isEqualTo("Validating");
    assertThat(start.effects()).containsExactly(new JobRunProgress.StartCheck("jr-check"));
    assertThat(start.status().getJobSnapshot().getPayload()).hasSize(10);

    JobRunProgress.Decision first =
        decide(jobRun, job, List.of(), Map.of("jr-check", run("jr-check", "Succeeded")), null, 1);
    assertThat(first.status().getPhase()).isEqualTo("Running");
    assertThat(first.effects())
        .containsExactly(
            new JobRunProgress.CreateRun(0),
            new JobRunProgress.CreateRun(1),
            new JobRunProgress.CreateRun(2),
            new JobRunProgress.CreateRun(3));

    List<Run> runs =
        List.of(
            run("jr-0", "Succeeded"),
            run("jr-1", "Running"),
            run("jr-2", "Running"),
            run("jr-3", "Running"));
    JobRunProgress.Decision more = decide(jobRun, job, runs, Map.of(), null, 1);
    assertThat(more.effects()).containsExactly(new JobRunProgress.CreateRun(4));
    assertThat(more.status().getCounts().getSucceeded()).isEqualTo(1);
    assertThat(more.status().getCounts().getRunning()).isEqualTo(3);
    assertThat(more.status().getCounts().getPending()).isEqualTo(6);
  }

  @Test
  void aJobRunWaitsForItsLockedOrMissingSessionUntilItsStartTimeout() {
    JobRun jobRun = jobRun();
    jobRun.getMetadata().setCreationTimestamp(NOW.toString());
    JobRunProgress.Decision locked =
        decide(jobRun, job(3, 1, true), List.of(), Map.of(), "AuthSession:Update/x", 1);
    assertThat(locked.status().getPhase()).isEqualTo("Pending");
    assertThat(locked.status().getReason()).isEqualTo("AuthSessionLocked");
    assertThat(Conditions.find(locked.status().getConditions(), "Admitted").getStatus())
        .isEqualTo("False");
    assertThat(Conditions.find(locked.status().getConditions(), "Succeeded").getStatus())
        .isEqualTo("Unknown");
    assertThat(locked.effects()).isEmpty();
    assertThat(locked.requeueAfter()).isEqualTo(JobRunProgress.POLL);

    JobRunProgress.Decision released =
        decide(jobRun, job(3, 1, true), List.of(), Map.of(), null, 1);
    assertThat(released.status().getPhase()).isEqualTo("Validating");
    assertThat(released.effects()).containsExactly(new JobRunProgress.StartCheck("jr-check"));
    assertThat(Conditions.find(released.status().getConditions(), "Admitted").getStatus())
        .isEqualTo("True");

    JobRun late = jobRun();
    late.getMetadata().setCreationTimestamp(NOW.minusSeconds(600).toString());
    JobRunProgress.Decision missing =
        decide(late, job(3, 1, true), null, List.of(), Map.of(), null, 0);
    assertThat(missing.status().getPhase()).isEqualTo("Canceled");
    assertThat(missing.status().getReason()).isEqualTo("AuthSessionNotFound");
    assertThat(missing.status().getMessage()).contains("spec.startTimeoutSeconds (600 s)");
    assertThat(Conditions.find(missing.status().getConditions(), "Succeeded").getStatus())
        .isEqualTo("False");
  }

  @Test
  void aSessionThatExpiredBetweenRunsIsRecreatedByTheNextRunOrPausesTheJobRun() {
    AuthSession expired = session();
    expired.getStatus().setPhase("Expired");
    expired.getStatus().setMessage("the health check found the state invalid");

    // the Job may recreate: the next Run starts, finds the state invalid and has it recreated
    JobSpec recreating = job(2, 1, true);
    JobRun jobRun = running(recreating);
    JobRunProgress.Decision next =
        decide(jobRun, recreating, expired, List.of(run("jr-0", "Succeeded")), Map.of(), null, 1);
    assertThat(next.status().getPhase()).isEqualTo("Running");
    assertThat(next.effects()).containsExactly(new JobRunProgress.CreateRun(1));

    // it may not: the JobRun says so, Paused, instead of looking Running for ever
    JobSpec notRecreating = job(2, 1, false);
    JobRun other = running(notRecreating);
    JobRunProgress.Decision paused =
        decide(other, notRecreating, expired, List.of(run("jr-0", "Succeeded")), Map.of(), null, 1);
    assertThat(paused.status().getPhase()).isEqualTo("Paused");
    assertThat(paused.status().getReason()).isEqualTo("AuthSessionInvalidMidJob");
    assertThat(paused.status().getMessage()).contains("autoRecreate: false");
    assertThat(paused.effects()).isEmpty();
  }

  @Test
  void withWhenLockedRejectALockedSessionCancelsTheJobRunAtOnce() {
    JobSpec job = job(3, 1, true);
    job.getAuthSession().setWhenLocked(WhenLocked.Reject);
    JobRunProgress.Decision locked =
        decide(jobRun(), job, List.of(), Map.of(), "AuthSession:Update/x", 1);
    assertThat(locked.status().getPhase()).isEqualTo("Canceled");
    assertThat(locked.status().getReason()).isEqualTo("AuthSessionLocked");
    assertThat(locked.status().getMessage()).contains("whenLocked is Reject");
  }

  @Test
  void aJobRunWaitsForASessionThatIsNotReadyYet() {
    AuthSession creating = session();
    creating.getStatus().setPhase("Creating");
    JobRun jobRun = jobRun();
    jobRun.getMetadata().setCreationTimestamp(NOW.toString());
    JobRunProgress.Decision waiting =
        decide(jobRun, job(1, 1, true), creating, List.of(), Map.of(), null, 0);
    assertThat(waiting.status().getPhase()).isEqualTo("Pending");
    assertThat(waiting.status().getReason()).isEqualTo("AuthSessionNotReady");
    assertThat(waiting.effects()).isEmpty();
    JobRunProgress.Decision ready =
        decide(jobRun, job(1, 1, true), session(), List.of(), Map.of(), null, 1);
    assertThat(ready.status().getPhase()).isEqualTo("Validating");
  }

  @Test
  void aJobRunWhoseSigningSecretIsMissingFailsBeforeAnyRunOrCheck() {
    JobSpec job = job(3, 1, true);
    job.setSink(
        read(
            "{url: 'https://hooks.example/t', signingSecretRef: {name: hook}}", WebhookSink.class));
    JobRunProgress.Decision missing =
        JobRunProgress.decide(
            new JobRunProgress.Observation(
                jobRun(), job, PROJECT, session(), List.of(), Map.of(), null, 1, NOW, List.of(),
                null));
    assertThat(missing.status().getPhase()).isEqualTo("Failed");
    assertThat(missing.status().getReason()).isEqualTo("SigningSecretNotFound");
    assertThat(missing.status().getMessage()).contains("\"hook\"", "no Run was started");
    assertThat(missing.effects()).isEmpty();

    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName("hook")
            .endMetadata()
            .withStringData(Map.of("signing-secret", WebhookSigner.generateSecret()))
            .build();
    JobRunProgress.Decision signed =
        JobRunProgress.decide(
            new JobRunProgress.Observation(
                jobRun(), job, PROJECT, session(), List.of(), Map.of(), null, 1, NOW, List.of(),
                secret));
    assertThat(signed.status().getPhase()).isEqualTo("Validating");
  }

  @Test
  void aCheckThatCouldNotValidateCancelsWithoutRunsAndARecreatedOneIsCounted() {
    JobRun canceledRun = jobRun();
    decide(canceledRun, job(3, 1, false), List.of(), Map.of(), null, 3);
    JobRunProgress.Decision canceled =
        decide(
            canceledRun, job(3, 1, false), List.of(), Map.of("jr-check", failedCheck(3)), null, 3);
    assertThat(canceled.status().getPhase()).isEqualTo("Canceled");
    assertThat(canceled.status().getReason()).isEqualTo("AuthSessionValidateDependencyFailed");
    assertThat(canceled.effects()).isEmpty();

    JobRun recreated = jobRun();
    decide(recreated, job(3, 1, true), List.of(), Map.of(), null, 3);
    Run check = run("jr-check", "Succeeded");
    AttemptStatus attempt = new AttemptStatus();
    attempt.setValidation(new ValidationStatus());
    attempt.getValidation().setOperation("alice-validate-2");
    check.getStatus().setAttempts(List.of(attempt));
    JobRunProgress.Decision running =
        decide(recreated, job(3, 1, true), List.of(), Map.of("jr-check", check), null, 4);
    assertThat(running.status().getPhase()).isEqualTo("Running");
    assertThat(running.status().getRecreations()).isEqualTo(1);
  }

  @Test
  void runsWaitingOnAnExpiredSessionPauseTheJobRunAndARecreationIsCountedOnce() {
    JobSpec noRecreate = job(4, 2, false);
    JobRun paused = running(noRecreate);
    List<Run> runs = List.of(waiting("jr-0", 1), waiting("jr-1", 1));
    AuthSession expired = session();
    expired.getStatus().setPhase("Expired");
    expired.getStatus().setMessage("Run jr-0 found the state invalid");
    JobRunProgress.Decision pause = decide(paused, noRecreate, expired, runs, Map.of(), null, 1);
    assertThat(pause.status().getPhase()).isEqualTo("Paused");
    assertThat(pause.status().getReason()).isEqualTo("AuthSessionInvalidMidJob");
    assertThat(pause.status().getMessage()).contains("autoRecreate: false");
    assertThat(pause.effects()).isEmpty();
    List<Run> recreated =
        List.of(recreatedFor("jr-0", "alice-validate-1"), recreatedFor("jr-1", "alice-validate-1"));
    JobRunProgress.Decision resumed = decide(paused, noRecreate, recreated, Map.of(), null, 2);
    assertThat(resumed.status().getPhase()).isEqualTo("Running");
    assertThat(resumed.status().getRecreations()).isEqualTo(1);
    assertThat(decide(paused, noRecreate, recreated, Map.of(), null, 2).status().getRecreations())
        .isEqualTo(1);
  }

  private static Run recreatedFor(String name, String operation) {
    Run run = run(name, "Running");
    AttemptStatus attempt = new AttemptStatus();
    attempt.setNumber(1);
    attempt.setPhase("Running");
    attempt.setPod(name + "-a1-r2");
    attempt.setValidation(new ValidationStatus());
    attempt.getValidation().setOperation(operation);
    run.getStatus().setAttempts(List.of(attempt));
    return run;
  }

  @Test
  void theJobRunEndsWithItsRunsAndACancelReachesThem() {
    JobSpec job = job(2, 2, true);
    JobRun jobRun = running(job);
    JobRunProgress.Decision failed =
        decide(
            jobRun,
            job,
            List.of(run("jr-0", "Succeeded"), run("jr-1", "Failed")),
            Map.of(),
            null,
            1);
    assertThat(failed.status().getPhase()).isEqualTo("Failed");
    assertThat(failed.status().getReason()).isEqualTo("RunsFailed");

    JobRun canceled = running(job);
    canceled.getSpec().setCancel(true);
    JobRunProgress.Decision cancel =
        decide(canceled, job, List.of(run("jr-0", "Running")), Map.of(), null, 1);
    assertThat(cancel.status().getPhase()).isEqualTo("Canceled");
    assertThat(cancel.effects()).containsExactly(new JobRunProgress.CancelRun("jr-0"));
  }

  @Test
  void forbidCancelsANewJobRunWhileAnotherRunsAndReplaceCancelsTheOther() {
    JobSpec forbid = job(2, 1, true);
    forbid.setConcurrencyPolicy("Forbid");
    JobRunProgress.Decision d =
        JobRunProgress.decide(
            new JobRunProgress.Observation(
                jobRun(),
                forbid,
                PROJECT,
                session(),
                List.of(),
                Map.of(),
                null,
                1,
                NOW,
                List.of("older")));
    assertThat(d.status().getPhase()).isEqualTo("Canceled");
    assertThat(d.status().getReason()).isEqualTo("AnotherJobRunActive");
    assertThat(d.status().getMessage()).contains("older", "Forbid");

    JobSpec replace = job(2, 1, true);
    replace.setConcurrencyPolicy("Replace");
    JobRunProgress.Decision r =
        JobRunProgress.decide(
            new JobRunProgress.Observation(
                jobRun(),
                replace,
                PROJECT,
                session(),
                List.of(),
                Map.of(),
                null,
                1,
                NOW,
                List.of("older")));
    assertThat(r.effects()).contains(new JobRunProgress.CancelJobRun("older"));
    assertThat(r.status().getPhase()).isEqualTo("Validating");
  }

  @Test
  void aPausedJobRunStartsNoRunUntilResumed() {
    JobSpec job = job(4, 2, true);
    JobRun jobRun = running(job);
    jobRun.getSpec().setPaused(true);
    List<Run> runs = List.of(run("jr-0", "Succeeded"), run("jr-1", "Succeeded"));
    JobRunProgress.Decision paused = decide(jobRun, job, runs, Map.of(), null, 1);
    assertThat(paused.status().getPhase()).isEqualTo("Paused");
    assertThat(paused.status().getReason()).isEqualTo("PausedByUser");
    assertThat(paused.effects()).isEmpty();

    jobRun.getSpec().setPaused(false);
    JobRunProgress.Decision resumed = decide(jobRun, job, runs, Map.of(), null, 1);
    assertThat(resumed.status().getPhase()).isEqualTo("Running");
    assertThat(resumed.effects())
        .containsExactly(new JobRunProgress.CreateRun(2), new JobRunProgress.CreateRun(3));
  }
}

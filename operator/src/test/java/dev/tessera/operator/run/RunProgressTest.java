package dev.tessera.operator.run;

import static dev.tessera.operator.run.Runs.catalogProject;
import static dev.tessera.operator.run.Runs.failed;
import static dev.tessera.operator.run.Runs.pod;
import static dev.tessera.operator.run.Runs.project;
import static dev.tessera.operator.run.Runs.run;
import static dev.tessera.operator.run.Runs.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.protocol.AttemptResult;
import dev.tessera.api.protocol.ErrorCode;
import dev.tessera.api.protocol.Outcome;
import dev.tessera.api.protocol.RunnerError;
import dev.tessera.api.protocol.Validation;
import dev.tessera.api.protocol.ValidationOutcome;
import dev.tessera.api.v1alpha1.AttemptStatus;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.AuthSessionSpec;
import dev.tessera.api.v1alpha1.AuthSessionStatus;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.api.v1alpha1.Reason;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RunProgressTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  private static final String SPEC = "{project: catalog, api: list, parameters: {page: 2}}";

  private static RunProgress.Decision decide(
      Run run, ProjectSpec project, Pod pod, boolean gone, AttemptResult reported, Instant now) {
    RunProgress.Decision decision =
        RunProgress.decide(
            new RunProgress.Observation(run, project, null, pod, gone, reported, now));
    run.setStatus(decision.status());
    return decision;
  }

  private static Run started() {
    Run run = run(SPEC);
    decide(run, catalogProject(), null, false, null, T0);
    return run;
  }

  @Test
  void admittedRunStartsItsFirstAttemptInADeterministicPod() {
    Run run = run(SPEC);
    RunProgress.Decision d = decide(run, catalogProject(), null, false, null, T0);
    assertThat(d.effects()).containsExactly(new RunProgress.CreateAttempt(1, "r1-uid1-a1"));
    assertThat(d.status().getPhase()).isEqualTo("Running");
    assertThat(d.status().getAttempts())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getPod()).isEqualTo("r1-uid1-a1");
              assertThat(a.getPhase()).isEqualTo("Running");
            });
    assertThat(Conditions.find(d.status().getConditions(), "Admitted").getStatus())
        .isEqualTo("True");
    // the expected course: the status and conditions say it, no Event
    assertThat(d.notes()).isEmpty();
  }

  @Test
  void aRunWaitsForItsMissingProjectThenIsRejectedAfterItsStartTimeout() {
    Run run = run(SPEC);
    run.getMetadata().setCreationTimestamp(T0.toString());
    RunProgress.Decision d = decide(run, null, null, false, null, T0);
    assertThat(d.status().getPhase()).isEqualTo("Pending");
    assertThat(d.status().getReason()).isEqualTo("ProjectNotFound");
    assertThat(d.status().getMessage())
        .contains("\"catalog\"", "namespace ns", "Rejected if it has not by 2026-01-01T10:10:00Z");
    assertThat(Conditions.find(d.status().getConditions(), "Admitted").getStatus())
        .isEqualTo("False");
    assertThat(Conditions.find(d.status().getConditions(), "Succeeded").getStatus())
        .isEqualTo("Unknown");
    assertThat(d.notes())
        .extracting(RunProgress.Note::reason)
        .containsExactly(Reason.ProjectNotFound);
    assertThat(d.effects()).isEmpty();
    assertThat(d.requeueAfter()).isEqualTo(RunProgress.ADMISSION_POLL);

    RunProgress.Decision again = decide(run, null, null, false, null, T0.plusSeconds(30));
    assertThat(again.notes()).as("said once, not at every look").isEmpty();

    RunProgress.Decision late = decide(run, null, null, false, null, T0.plusSeconds(600));
    assertThat(late.status().getPhase()).isEqualTo("Rejected");
    assertThat(late.status().getReason()).isEqualTo("ProjectNotFound");
    assertThat(late.status().getMessage()).contains("spec.startTimeoutSeconds (600 s)");
    assertThat(Conditions.find(late.status().getConditions(), "Admitted").getReason())
        .isEqualTo("ProjectNotFound");
    assertThat(Conditions.find(late.status().getConditions(), "Succeeded"))
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("ProjectNotFound");
            });
    assertThat(late.notes())
        .extracting(RunProgress.Note::reason)
        .containsExactly(Reason.ProjectNotFound);
  }

  @Test
  void aWaitingRunStartsOnceWhatItWaitedForIsThere() {
    Run run = run(SPEC);
    run.getMetadata().setCreationTimestamp(T0.toString());
    decide(run, null, null, false, null, T0);
    RunProgress.Decision d = decide(run, catalogProject(), null, false, null, T0.plusSeconds(5));
    assertThat(d.status().getPhase()).isEqualTo("Running");
    assertThat(d.effects()).containsExactly(new RunProgress.CreateAttempt(1, "r1-uid1-a1"));
    assertThat(Conditions.find(d.status().getConditions(), "Admitted").getStatus())
        .isEqualTo("True");
  }

  @Test
  void aRunWithAShorterStartTimeoutIsRejectedSooner() {
    Run run = run("{project: catalog, api: list, startTimeoutSeconds: 0}");
    RunProgress.Decision d = decide(run, null, null, false, null, T0);
    assertThat(d.status().getPhase()).isEqualTo("Rejected");
    assertThat(d.status().getMessage()).contains("spec.startTimeoutSeconds (0 s)");
  }

  @Test
  void theSucceededConditionIsUnknownWhileRunningThenTrue() {
    Run run = started();
    assertThat(Conditions.find(run.getStatus().getConditions(), "Succeeded"))
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("Unknown");
              assertThat(c.getReason()).isEqualTo("AttemptStarted");
            });
    RunProgress.Decision d =
        decide(
            run,
            catalogProject(),
            pod("Running", null, null, null),
            false,
            succeeded("{}"),
            T0.plusSeconds(3));
    assertThat(Conditions.find(d.status().getConditions(), "Succeeded"))
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo("Succeeded");
            });
  }

  @Test
  void runningPodMeansWaiting() {
    Run run = started();
    RunProgress.Decision d =
        decide(
            run,
            catalogProject(),
            pod("Running", null, null, null),
            false,
            null,
            T0.plusSeconds(1));
    assertThat(d.effects()).isEmpty();
    assertThat(d.status().getPhase()).isEqualTo("Running");
  }

  @Test
  void reportedSuccessEndsTheRunWithItsResultAndKeepsTheReportWithoutAnEvent() {
    Run run = started();
    RunProgress.Decision d =
        decide(
            run,
            catalogProject(),
            pod("Running", null, null, null),
            false,
            succeeded("{\"items\":[1,2]}"),
            T0.plusSeconds(3));
    assertThat(d.status().getPhase()).isEqualTo("Succeeded");
    assertThat(d.status().getResult().toString()).isEqualTo("{\"items\":[1,2]}");
    assertThat(d.status().getAttempts().get(0).getPhase()).isEqualTo("Succeeded");
    assertThat(d.status().getCompletionTime()).isEqualTo(T0.plusSeconds(3).toString());
    // the report took the place of the input and token in the Attempt's Secret: nothing to delete
    assertThat(d.effects()).isEmpty();
    assertThat(d.notes()).isEmpty();
    assertThat(d.ended())
        .singleElement()
        .satisfies(e -> assertThat(e.duration()).isEqualTo(Duration.ofSeconds(3)));
    assertThat(Conditions.find(d.status().getConditions(), "Ready").getStatus()).isEqualTo("True");
  }

  @Test
  void aReportThatCarriesABrowserStateIsDeletedOnceTheStatusHoldsIt() throws Exception {
    Run run = started();
    AttemptResult withState =
        AttemptResult.of(
            Outcome.SUCCEEDED,
            Validation.notRequired(),
            null,
            new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"cookies\":[]}"),
            null,
            null,
            null);
    RunProgress.Decision d =
        decide(
            run,
            catalogProject(),
            pod("Running", null, null, null),
            false,
            withState,
            T0.plusSeconds(3));
    assertThat(d.effects()).containsExactly(new RunProgress.DeleteResult("r1-uid1-a1-in"));
  }

  @Test
  void anAttemptThatEndsWithoutAReportHasItsInputDeleted() {
    Run run = started();
    RunProgress.Decision d =
        decide(
            run, catalogProject(), pod("Failed", null, 1, "Error"), false, null, T0.plusSeconds(3));
    assertThat(d.effects()).contains(new RunProgress.DeleteSecret("r1-uid1-a1-in"));
  }

  @Test
  void failedAttemptIsFollowedByAnotherUntilMaxAttemptsThenApiAttemptsFailed() {
    Run run = started();
    decide(
        run, catalogProject(), null, false, failed(ErrorCode.SelectorNotFound), T0.plusSeconds(5));
    assertThat(run.getStatus().getAttempts())
        .extracting(AttemptStatus::getPhase)
        .containsExactly("Failed", "Running");
    decide(
        run, catalogProject(), null, false, failed(ErrorCode.SelectorNotFound), T0.plusSeconds(10));
    RunProgress.Decision last =
        decide(
            run,
            catalogProject(),
            null,
            false,
            failed(ErrorCode.SelectorNotFound),
            T0.plusSeconds(15));
    assertThat(run.getStatus().getAttempts())
        .hasSize(3)
        .allSatisfy(
            a -> {
              assertThat(a.getPhase()).isEqualTo("Failed");
              assertThat(a.getError().getCode()).isEqualTo("SelectorNotFound");
              assertThat(a.getError().getStep()).isEqualTo("step 2 (click #missing)");
            });
    assertThat(run.getStatus().getPhase()).isEqualTo("Failed");
    assertThat(run.getStatus().getReason()).isEqualTo("ApiAttemptsFailed");
    assertThat(run.getStatus().getAttemptCount()).isEqualTo(3);
    assertThat(last.effects()).doesNotContain(new RunProgress.CreateAttempt(4, "r1-uid1-a4"));
  }

  @Test
  void aRetryAndASuccessAfterItAreEvents() {
    Run run = started();
    RunProgress.Decision retry =
        decide(
            run,
            catalogProject(),
            null,
            false,
            failed(ErrorCode.SelectorNotFound),
            T0.plusSeconds(5));
    assertThat(retry.notes()).extracting(RunProgress.Note::reason).contains(Reason.AttemptStarted);
    RunProgress.Decision done =
        decide(run, catalogProject(), null, false, succeeded("{}"), T0.plusSeconds(10));
    assertThat(done.status().getPhase()).isEqualTo("Succeeded");
    assertThat(done.notes())
        .singleElement()
        .satisfies(n -> assertThat(n.reason()).isEqualTo(Reason.Succeeded));
  }

  @Test
  void runRetryOverridesTheProjectsMaxAttempts() {
    Run run = run("{project: catalog, api: list, retry: {maxAttempts: 1}}");
    decide(run, catalogProject(), null, false, null, T0);
    decide(run, catalogProject(), null, false, failed(ErrorCode.StepTimeout), T0.plusSeconds(1));
    assertThat(run.getStatus().getPhase()).isEqualTo("Failed");
    assertThat(run.getStatus().getAttempts()).hasSize(1);
  }

  @Test
  void nonRetriableErrorEndsTheRunAtOnce() {
    Run run = started();
    decide(run, catalogProject(), null, false, failed(ErrorCode.TemplateError), T0.plusSeconds(1));
    assertThat(run.getStatus().getPhase()).isEqualTo("Failed");
    assertThat(run.getStatus().getAttempts()).hasSize(1);
    assertThat(run.getStatus().getMessage()).contains("TemplateError");
  }

  @Test
  void podThatRanOutOfTimeFailsTheAttemptWithTimeout() {
    Run run = started();
    decide(
        run,
        catalogProject(),
        pod("Failed", "DeadlineExceeded", null, null),
        false,
        null,
        T0.plusSeconds(61));
    AttemptStatus first = run.getStatus().getAttempts().get(0);
    assertThat(first.getError().getCode()).isEqualTo("Timeout");
    assertThat(first.getError().getMessage()).contains("60 s");
    // an Attempt that broke for the infrastructure is followed after a backoff
    assertThat(run.getStatus().getAttempts()).hasSize(1);
    decide(run, catalogProject(), null, false, null, T0.plusSeconds(65));
    assertThat(run.getStatus().getAttempts()).hasSize(1);
    decide(run, catalogProject(), null, false, null, T0.plusSeconds(66));
    assertThat(run.getStatus().getAttempts()).hasSize(2);
  }

  @Test
  void crashedRunnerFailsTheAttemptWithRunnerCrashed() {
    for (Pod pod :
        new Pod[] {
          pod("Failed", null, 137, "OOMKilled"),
          pod("Failed", null, 1, "Error"),
          pod("Failed", "Evicted", null, null),
          pod("Succeeded", null, 0, "Completed")
        }) {
      Run run = started();
      decide(run, catalogProject(), pod, false, null, T0.plusSeconds(2));
      assertThat(run.getStatus().getAttempts().get(0).getError().getCode())
          .as("%s", pod.getStatus())
          .isEqualTo("RunnerCrashed");
      assertThat(run.getStatus().getAttempts()).hasSize(1);
      decide(run, catalogProject(), null, false, null, T0.plusSeconds(7));
      assertThat(run.getStatus().getAttempts()).hasSize(2);
    }
    Run run = started();
    decide(
        run,
        catalogProject(),
        pod("Failed", null, 137, "OOMKilled"),
        false,
        null,
        T0.plusSeconds(2));
    assertThat(run.getStatus().getAttempts().get(0).getError().getMessage())
        .contains("OOMKilled", "limits.memory");
  }

  @Test
  void vanishedPodFailsTheAttempt() {
    Run run = started();
    decide(run, catalogProject(), null, true, null, T0.plusSeconds(2));
    assertThat(run.getStatus().getAttempts().get(0).getError().getMessage()).contains("deleted");
  }

  @Test
  void podNotYetSeenIsNotTakenForGone() {
    Run run = started();
    RunProgress.Decision d = decide(run, catalogProject(), null, false, null, T0.plusSeconds(1));
    assertThat(d.effects()).isEmpty();
    assertThat(run.getStatus().getAttempts())
        .singleElement()
        .extracting(AttemptStatus::getPhase)
        .isEqualTo("Running");
  }

  @Test
  void unmetDependencyCancelsTheRunWithNoFurtherAttempt() {
    Run run = started();
    AttemptResult canceled =
        AttemptResult.of(
            Outcome.DEPENDENCY_FAILED,
            new Validation(3, 0, ValidationOutcome.Invalid),
            null,
            null,
            RunnerError.of(ErrorCode.CheckAttemptsFailed, "every check failed"),
            null,
            null);
    decide(run, catalogProject(), null, false, canceled, T0.plusSeconds(2));
    assertThat(run.getStatus().getPhase()).isEqualTo("Canceled");
    assertThat(run.getStatus().getReason()).isEqualTo("AuthSessionValidateDependencyFailed");
    assertThat(run.getStatus().getAttempts())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getPhase()).isEqualTo("Canceled");
              assertThat(a.getValidation().getChecks()).isEqualTo(3);
            });
  }

  @Test
  void cancelRemovesTheRunningPodAndCancelsTheRun() {
    Run run = started();
    run.getSpec().setCancel(true);
    RunProgress.Decision d =
        decide(
            run,
            catalogProject(),
            pod("Running", null, null, null),
            false,
            null,
            T0.plusSeconds(2));
    assertThat(d.status().getPhase()).isEqualTo("Canceled");
    assertThat(d.status().getReason()).isEqualTo("CanceledByUser");
    assertThat(d.effects()).contains(new RunProgress.DeletePod("r1-uid1-a1"));
    assertThat(d.status().getAttempts().get(0).getPhase()).isEqualTo("Canceled");
  }

  @Test
  void finishedRunIsDeletedAfterItsTtlAndKeptBefore() {
    Run run = run("{project: catalog, api: list, ttlSecondsAfterFinished: 30}");
    decide(run, catalogProject(), null, false, null, T0);
    decide(run, catalogProject(), null, false, succeeded("{}"), T0.plusSeconds(1));
    RunProgress.Decision early =
        decide(run, catalogProject(), null, false, null, T0.plusSeconds(11));
    assertThat(early.effects()).isEmpty();
    assertThat(early.requeueAfter()).isEqualTo(Duration.ofSeconds(20));
    RunProgress.Decision late =
        decide(run, catalogProject(), null, false, null, T0.plusSeconds(31));
    assertThat(late.effects()).containsExactly(new RunProgress.DeleteRun());
  }

  @Test
  void finishedRunWithoutTtlIsLeftAlone() {
    Run run = started();
    decide(run, catalogProject(), null, false, succeeded("{}"), T0.plusSeconds(1));
    RunProgress.Decision d = decide(run, catalogProject(), null, false, null, T0.plusSeconds(100));
    assertThat(d.effects()).isEmpty();
    assertThat(d.notes()).isEmpty();
    assertThat(d.requeueAfter()).isNull();
  }

  private static final String AUTH_PROJECT =
      """
      apis: {list: {steps: [{goto: "http://site/list"}]}}
      authentication:
        enabled: true
        create: {steps: [{goto: "http://site/login"}]}
        check: {steps: [{goto: "http://site/me"}]}
      """;

  private static AuthSession aliceSession(String phase) {
    AuthSession session = new AuthSession();
    session.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName("alice")
            .withNamespace("ns")
            .build());
    session.setSpec(new AuthSessionSpec());
    session.getSpec().setProject("catalog");
    session.getSpec().setType("Credentials");
    session.setStatus(new AuthSessionStatus());
    session.getStatus().setPhase(phase);
    return session;
  }

  private static RunProgress.Decision decideLocked(
      Run run, AuthSession session, String lockHolder, Instant now) {
    RunProgress.Decision d =
        RunProgress.decide(
            new RunProgress.Observation(
                run,
                project(AUTH_PROJECT),
                session,
                null,
                false,
                null,
                now,
                new RunProgress.SessionView(lockHolder, 1)));
    run.setStatus(d.status());
    return d;
  }

  @Test
  void aRunOnALockedSessionWaitsAndStartsWhenTheLockIsReleased() {
    Run run = run("{project: catalog, api: list, authSession: {name: alice}}");
    run.getMetadata().setCreationTimestamp(T0.toString());
    RunProgress.Decision locked =
        decideLocked(run, aliceSession("Creating"), "AuthSession:Create/alice-create-1", T0);
    assertThat(locked.status().getPhase()).isEqualTo("Pending");
    assertThat(locked.status().getReason()).isEqualTo("AuthSessionLocked");
    assertThat(locked.status().getMessage())
        .startsWith(
            "AuthSession \"alice\" is locked by AuthSession:Create/alice-create-1, which is"
                + " changing its state; the Run starts as soon as that changes");
    assertThat(locked.requeueAfter()).isEqualTo(RunProgress.LOCK_POLL);

    RunProgress.Decision notReady =
        decideLocked(run, aliceSession("Creating"), null, T0.plusSeconds(2));
    assertThat(notReady.status().getPhase()).isEqualTo("Pending");
    assertThat(notReady.status().getReason()).isEqualTo("AuthSessionNotReady");

    RunProgress.Decision ready = decideLocked(run, aliceSession("Ready"), null, T0.plusSeconds(4));
    assertThat(ready.status().getPhase()).isEqualTo("Running");
    assertThat(ready.effects()).containsExactly(new RunProgress.CreateAttempt(1, "r1-uid1-a1"));
  }

  @Test
  void withWhenLockedRejectARunOnALockedSessionIsRejectedAtOnce() {
    Run run = run("{project: catalog, api: list, authSession: {name: alice, whenLocked: Reject}}");
    RunProgress.Decision d =
        decideLocked(run, aliceSession("Ready"), "AuthSession:Update/alice-update-1", T0);
    assertThat(d.status().getPhase()).isEqualTo("Rejected");
    assertThat(d.status().getReason()).isEqualTo("AuthSessionLocked");
    assertThat(d.status().getMessage()).contains("whenLocked is Reject");
    assertThat(d.effects()).isEmpty();
  }

  @Test
  void anAttemptThatGoesOnAfterARecreationForgetsTheOutcomeOfTheStateItFoundInvalid() {
    ProjectSpec project =
        project(
            """
            apis: {list: {steps: [{goto: "http://site/list"}]}}
            authentication:
              enabled: true
              create: {steps: [{goto: "http://site/login"}]}
              check: {steps: [{goto: "http://site/me"}]}
            runner: {maxAttempts: 3, timeoutSeconds: 60}
            """);
    AuthSession session = new AuthSession();
    session.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName("alice")
            .withNamespace("ns")
            .build());
    try {
      session.setSpec(
          new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
              .readValue(
                  "{project: catalog, type: Credentials, credentialsSecretRef: {name: c}}",
                  AuthSessionSpec.class));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    AuthSessionStatus ready = new AuthSessionStatus();
    ready.setPhase("Ready");
    session.setStatus(ready);
    Run run = run("{project: catalog, api: list, authSession: {name: alice}}");

    RunProgress.Decision admitted =
        RunProgress.decide(
            new RunProgress.Observation(
                run,
                project,
                session,
                null,
                false,
                null,
                T0,
                new RunProgress.SessionView(null, 1)));
    run.setStatus(admitted.status());
    assertThat(admitted.effects()).containsExactly(new RunProgress.CreateAttempt(1, "r1-uid1-a1"));

    // every check of state 1 failed: the Attempt asks for a recreation and waits
    AttemptResult invalid =
        AttemptResult.of(
            Outcome.DEPENDENCY_FAILED,
            new Validation(3, 0, ValidationOutcome.Invalid),
            null,
            null,
            RunnerError.of(ErrorCode.CheckAttemptsFailed, "every check failed"),
            null,
            null);
    RunProgress.Decision waiting =
        RunProgress.decide(
            new RunProgress.Observation(
                run,
                project,
                session,
                null,
                false,
                invalid,
                T0.plusSeconds(5),
                new RunProgress.SessionView(null, 1)));
    run.setStatus(waiting.status());
    assertThat(waiting.status().getAttempts().get(0).getValidation().getOutcome())
        .isEqualTo("Invalid");
    assertThat(waiting.status().getAttempts().get(0).getValidation().getRecreationRequested())
        .isTrue();

    // state 2 is made: the Attempt goes on in a second Pod, with nothing said of state 2 yet
    RunProgress.Decision resumed =
        RunProgress.decide(
            new RunProgress.Observation(
                run,
                project,
                session,
                null,
                false,
                null,
                T0.plusSeconds(30),
                new RunProgress.SessionView(null, 2)));
    assertThat(resumed.effects())
        .containsExactly(new RunProgress.CreateAttempt(1, "r1-uid1-a1-r2"));
    var validation = resumed.status().getAttempts().get(0).getValidation();
    assertThat(validation.getStateGeneration()).isEqualTo(2);
    assertThat(validation.getOutcome())
        .as("the outcome of state 1, which a session would take as state 2's")
        .isNull();
    assertThat(validation.getChecks()).isEqualTo(3);
  }
}

package dev.tessera.operator.run;

import static dev.tessera.operator.run.Runs.project;
import static dev.tessera.operator.run.Runs.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tessera.api.protocol.AttemptResult;
import dev.tessera.api.protocol.ErrorCode;
import dev.tessera.api.protocol.Outcome;
import dev.tessera.api.protocol.RunnerError;
import dev.tessera.api.protocol.Validation;
import dev.tessera.api.protocol.ValidationOutcome;
import dev.tessera.api.v1alpha1.AttemptError;
import dev.tessera.api.v1alpha1.AttemptStatus;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.AuthSessionSpec;
import dev.tessera.api.v1alpha1.AuthSessionStatus;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.RunStatus;
import dev.tessera.api.v1alpha1.ValidationStatus;
import dev.tessera.operator.status.Reason;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Run state machine with an AuthSession: the lock at admission and between Attempts, and the
 * recreation an Attempt waits for when every check failed.
 */
class SessionRunProgressTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  private static final ProjectSpec PROJECT =
      project(
          """
          apis: {me: {className: com.example.Me}}
          authentication: {enabled: true, check: {className: com.example.Check}, create: {className: com.example.Login}}
          runner: {maxAttempts: 2}
          """);
  private static final String SPEC = "{project: p, api: me, authSession: {name: alice}}";
  private static final String HOLDER = "AuthSession:Validate/alice-validate-1";

  private static AuthSession session(String phase) {
    try {
      AuthSession session = new AuthSession();
      session.setMetadata(new ObjectMetaBuilder().withName("alice").withNamespace("ns").build());
      session.setSpec(
          new YAMLMapper()
              .readValue(
                  "{project: p, type: Credentials, credentialsSecretRef: {name: c}}",
                  AuthSessionSpec.class));
      AuthSessionStatus status = new AuthSessionStatus();
      status.setPhase(phase);
      session.setStatus(status);
      return session;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static RunProgress.Decision decide(
      Run run,
      AuthSession session,
      AttemptResult reported,
      RunProgress.SessionView view,
      Instant now) {
    RunProgress.Decision decision =
        RunProgress.decide(
            new RunProgress.Observation(run, PROJECT, session, null, false, reported, now, view));
    run.setStatus(decision.status());
    return decision;
  }

  private static RunProgress.SessionView free(int generation) {
    return new RunProgress.SessionView(null, false, generation, null);
  }

  private static AttemptResult report(
      Outcome outcome,
      Validation validation,
      com.fasterxml.jackson.databind.JsonNode result,
      com.fasterxml.jackson.databind.JsonNode state,
      RunnerError error) {
    return AttemptResult.of(outcome, validation, result, state, error, null, null);
  }

  private static AttemptResult checksFailed(int checks) {
    return report(
        Outcome.DEPENDENCY_FAILED,
        new Validation(checks, 0, ValidationOutcome.Invalid),
        null,
        null,
        RunnerError.of(ErrorCode.CheckAttemptsFailed, "every check failed"));
  }

  private static AttemptResult valid(int checks) {
    return AttemptResult.of(
        Outcome.SUCCEEDED,
        new Validation(checks, 0, ValidationOutcome.Valid),
        Runs.JSON.createObjectNode().put("name", "Alice"),
        null,
        null,
        null,
        null);
  }

  private static Run operation(String phase, int creates, String errorCode) {
    Run op = run("{project: p, operation: 'AuthSession:Validate', authSession: {name: alice}}");
    op.getMetadata().setName("alice-validate-1");
    RunStatus status = new RunStatus();
    status.setPhase(phase);
    AttemptStatus attempt = new AttemptStatus();
    attempt.setNumber(1);
    attempt.setPhase(phase);
    ValidationStatus validation = new ValidationStatus();
    validation.setCreates(creates);
    attempt.setValidation(validation);
    if (errorCode != null) {
      AttemptError error = new AttemptError();
      error.setCode(errorCode);
      error.setMessage("3 logins failed: the page says the password is wrong");
      attempt.setError(error);
    }
    status.setAttempts(List.of(attempt));
    op.setStatus(status);
    return op;
  }

  /** A Run whose first Attempt checked state generation 1 and found every check failing. */
  private static Run waitingForRecreation() {
    Run run = run(SPEC);
    decide(run, session("Ready"), null, free(1), T0);
    decide(run, session("Ready"), checksFailed(3), free(1), T0.plusSeconds(5));
    return run;
  }

  @Test
  void aRunStartedWhileItsSessionIsLockedIsRejectedNamingTheHolder() {
    Run run = run(SPEC);
    RunProgress.Decision d =
        decide(
            run, session("Ready"), null, new RunProgress.SessionView(HOLDER, false, 1, null), T0);
    assertThat(d.status().getPhase()).isEqualTo("Rejected");
    assertThat(d.status().getReason()).isEqualTo("AuthSessionLocked");
    assertThat(d.status().getMessage()).contains(HOLDER);
    assertThat(d.effects()).isEmpty();
  }

  @Test
  void anExpiredSessionAdmitsRunsThatMayRecreateItOnly() {
    assertThat(decide(run(SPEC), session("Expired"), null, free(1), T0).status().getPhase())
        .isEqualTo("Running");
    Run noRecreate = run("{project: p, api: me, authSession: {name: alice, autoRecreate: false}}");
    RunProgress.Decision d = decide(noRecreate, session("Expired"), null, free(1), T0);
    assertThat(d.status().getReason()).isEqualTo("AuthSessionNotReady");
  }

  @Test
  void everyCheckFailingMakesTheAttemptWaitForOneRecreationOfThatState() {
    Run run = run(SPEC);
    decide(run, session("Ready"), null, free(1), T0);
    RunProgress.Decision d =
        decide(run, session("Ready"), checksFailed(3), free(1), T0.plusSeconds(5));

    assertThat(d.status().getPhase()).isEqualTo("Running");
    assertThat(d.status().getReason()).isEqualTo("WaitingForSession");
    assertThat(d.effects())
        .contains(new RunProgress.StartRecreation("alice", "alice-validate-1"))
        .noneMatch(e -> e instanceof RunProgress.MarkSessionExpired)
        .noneMatch(e -> e instanceof RunProgress.CreateAttempt);
    assertThat(d.ended()).isEmpty();
    assertThat(d.requeueAfter()).isEqualTo(RunProgress.LOCK_POLL);
    AttemptStatus attempt = d.status().getAttempts().get(0);
    assertThat(attempt.getPhase()).isEqualTo("Running");
    assertThat(attempt.getWaitingFor()).isEqualTo("alice-validate-1");
    assertThat(attempt.getError()).isNull();
    assertThat(attempt.getValidation().getChecks()).isEqualTo(3);
    assertThat(attempt.getValidation().getStateGeneration()).isEqualTo(1);
    assertThat(attempt.getValidation().getOperation()).isEqualTo("alice-validate-1");
  }

  @Test
  void theAttemptWaitsWhileTheRecreationHoldsTheLockThenValidatesAgainAndSucceeds() {
    Run run = waitingForRecreation();
    RunProgress.Decision locked =
        decide(
            run,
            session("Creating"),
            null,
            new RunProgress.SessionView(HOLDER, false, 1, operation("Running", 0, null)),
            T0.plusSeconds(6));
    assertThat(locked.effects()).isEmpty();
    assertThat(locked.requeueAfter()).isEqualTo(RunProgress.LOCK_POLL);

    RunProgress.Decision resumed =
        decide(
            run,
            session("Ready"),
            null,
            new RunProgress.SessionView(null, false, 2, operation("Succeeded", 1, null)),
            T0.plusSeconds(20));
    assertThat(resumed.effects()).containsExactly(new RunProgress.CreateAttempt(1, "r1-a1-r2"));
    assertThat(resumed.status().getAttempts()).hasSize(1);

    RunProgress.Decision done =
        decide(run, session("Ready"), valid(1), free(2), T0.plusSeconds(25));
    assertThat(done.status().getPhase()).isEqualTo("Succeeded");
    assertThat(done.status().getAttempts())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getPod()).isEqualTo("r1-a1-r2");
              assertThat(a.getValidation().getChecks()).isEqualTo(4);
              assertThat(a.getValidation().getCreates()).isEqualTo(1);
              assertThat(a.getValidation().getOutcome()).isEqualTo("Recreated");
              assertThat(a.getValidation().getStateGeneration()).isEqualTo(2);
              assertThat(a.getValidation().getOperation()).isEqualTo("alice-validate-1");
            });
  }

  @Test
  void aStateRenewedMeanwhileIsValidatedAgainWithoutAnotherRecreation() {
    Run run = run(SPEC);
    decide(run, session("Ready"), null, free(1), T0);
    RunProgress.Decision d =
        decide(run, session("Ready"), checksFailed(3), free(2), T0.plusSeconds(5));
    assertThat(d.effects()).noneMatch(e -> e instanceof RunProgress.StartRecreation);
    RunProgress.Decision resumed = decide(run, session("Ready"), null, free(2), T0.plusSeconds(7));
    assertThat(resumed.effects()).containsExactly(new RunProgress.CreateAttempt(1, "r1-a1-r2"));
  }

  @Test
  void aRecreationThatCannotLogInCancelsTheRunWithItsErrorAndNoFurtherAttempt() {
    Run run = waitingForRecreation();
    RunProgress.Decision d =
        decide(
            run,
            session("Failed"),
            null,
            new RunProgress.SessionView(
                null, false, 1, operation("Canceled", 3, "CreateAttemptsFailed")),
            T0.plusSeconds(30));
    assertThat(d.status().getPhase()).isEqualTo("Canceled");
    assertThat(d.status().getReason()).isEqualTo("AuthSessionValidateDependencyFailed");
    assertThat(d.effects()).noneMatch(e -> e instanceof RunProgress.CreateAttempt);
    assertThat(d.status().getAttempts())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getPhase()).isEqualTo("Canceled");
              assertThat(a.getWaitingFor()).isNull();
              assertThat(a.getError().getCode()).isEqualTo("CreateAttemptsFailed");
              assertThat(a.getError().getMessage()).contains("alice-validate-1");
              assertThat(a.getValidation().getCreates()).isEqualTo(3);
            });
  }

  @Test
  void checksFailingAgainAfterTheRecreationCancelAndExpireTheSession() {
    Run run = waitingForRecreation();
    decide(
        run,
        session("Ready"),
        null,
        new RunProgress.SessionView(null, false, 2, operation("Succeeded", 1, null)),
        T0.plusSeconds(20));
    RunProgress.Decision d =
        decide(run, session("Ready"), checksFailed(3), free(2), T0.plusSeconds(30));
    assertCanceledAndExpiredWithoutRecreation(d);
  }

  private static void assertCanceledAndExpiredWithoutRecreation(RunProgress.Decision d) {
    assertThat(d.status().getPhase()).isEqualTo("Canceled");
    assertThat(d.effects())
        .noneMatch(e -> e instanceof RunProgress.StartRecreation)
        .anyMatch(e -> e instanceof RunProgress.MarkSessionExpired);
  }

  @Test
  void withoutAutoRecreateEveryCheckFailingCancelsAndExpiresTheSession() {
    Run run = run("{project: p, api: me, authSession: {name: alice, autoRecreate: false}}");
    decide(run, session("Ready"), null, free(1), T0);
    RunProgress.Decision d =
        decide(run, session("Ready"), checksFailed(3), free(1), T0.plusSeconds(5));
    assertCanceledAndExpiredWithoutRecreation(d);
  }

  @Test
  void aRetryThatMeetsTheLockWaitsForTheHolderBeforeItsPod() {
    Run run = run(SPEC);
    decide(run, session("Ready"), null, free(1), T0);
    AttemptResult apiFailed =
        report(
            Outcome.FAILED,
            new Validation(1, 0, ValidationOutcome.Valid),
            null,
            null,
            RunnerError.of(ErrorCode.ApiError, "the API threw"));
    RunProgress.Decision retry =
        decide(
            run,
            session("Ready"),
            apiFailed,
            new RunProgress.SessionView(HOLDER, false, 1, null),
            T0.plusSeconds(5));
    assertThat(retry.effects()).noneMatch(e -> e instanceof RunProgress.CreateAttempt);
    assertThat(retry.notes())
        .extracting(RunProgress.Note::reason)
        .contains(Reason.WaitingForSession);
    AttemptStatus second = retry.status().getAttempts().get(1);
    assertThat(second.getWaitingFor()).isEqualTo("alice-validate-1");
    assertThat(second.getPod()).isNull();

    RunProgress.Decision started = decide(run, session("Ready"), null, free(2), T0.plusSeconds(9));
    assertThat(started.effects()).containsExactly(new RunProgress.CreateAttempt(2, "r1-a2"));
  }

  @Test
  void anOperationStartsOnlyWithTheLockAndGivesItUpWhenItEnds() {
    Run op = run("{project: p, operation: 'AuthSession:Validate', authSession: {name: alice}}");
    RunProgress.Decision waiting =
        decide(
            op,
            session("Ready"),
            null,
            new RunProgress.SessionView("AuthSession:Create/alice-create-2", false, 1, null),
            T0);
    assertThat(waiting.status().getPhase()).isEqualTo("Pending");
    assertThat(waiting.status().getReason()).isEqualTo("WaitingForLock");
    assertThat(waiting.effects()).isEmpty();

    RunProgress.SessionView holding = new RunProgress.SessionView(HOLDER, true, 1, null);
    RunProgress.Decision started = decide(op, session("Ready"), null, holding, T0.plusSeconds(2));
    assertThat(started.effects()).containsExactly(new RunProgress.CreateAttempt(1, "r1-a1"));

    AttemptResult recreated =
        report(
            Outcome.SUCCEEDED,
            new Validation(4, 1, ValidationOutcome.Created),
            null,
            Runs.JSON.createObjectNode(),
            null);
    RunProgress.Decision done = decide(op, session("Ready"), recreated, holding, T0.plusSeconds(9));
    assertThat(done.status().getPhase()).isEqualTo("Succeeded");
    assertThat(done.effects())
        .contains(new RunProgress.StoreSessionState("alice"), new RunProgress.ReleaseLock("alice"));
    assertThat(done.effects().indexOf(new RunProgress.StoreSessionState("alice")))
        .isLessThan(done.effects().indexOf(new RunProgress.ReleaseLock("alice")));
  }

  private static AuthSession runtime(String phase) {
    AuthSession session = session(phase);
    session.getSpec().setType("Runtime");
    session.getSpec().setCredentialsSecretRef(null);
    return session;
  }

  @Test
  void theFirstRunOfARuntimeSessionAsksForTheCreationWithoutACheckPod() {
    Run run =
        run(
            "{project: p, api: me, authSession: {name: alice, runtimeCredentialsSecretRef: {name:"
                + " mine}}}");
    RunProgress.Decision d =
        decide(
            run,
            runtime("Pending"),
            null,
            new RunProgress.SessionView(null, false, 0, null, true),
            T0);
    assertThat(d.status().getPhase()).isEqualTo("Running");
    assertThat(d.effects())
        .containsExactly(new RunProgress.StartRecreation("alice", "alice-validate-0"));
    assertThat(d.requeueAfter()).isEqualTo(RunProgress.LOCK_POLL);
    AttemptStatus attempt = d.status().getAttempts().get(0);
    assertThat(attempt.getPod()).isNull();
    assertThat(attempt.getWaitingFor()).isEqualTo("alice-validate-0");

    RunProgress.Decision resumed =
        decide(
            run,
            runtime("Ready"),
            null,
            new RunProgress.SessionView(null, false, 1, operation("Succeeded", 1, null)),
            T0.plusSeconds(10));
    assertThat(resumed.effects()).containsExactly(new RunProgress.CreateAttempt(1, "r1-a1"));
  }

  @Test
  void runsOnARuntimeSessionMustBringCredentialsAndMayRecreate() {
    RunProgress.SessionView found = new RunProgress.SessionView(null, false, 1, null, true);
    assertThat(decide(run(SPEC), runtime("Ready"), null, found, T0).status().getReason())
        .isEqualTo("RuntimeCredentialsRequired");
    assertThat(
            decide(
                    run(
                        "{project: p, api: me, authSession: {name: alice, autoRecreate: false,"
                            + " runtimeCredentialsSecretRef: {name: mine}}}"),
                    runtime("Ready"),
                    null,
                    found,
                    T0)
                .status()
                .getReason())
        .isEqualTo("AutoRecreateRequired");
    String bringing =
        "{project: p, api: me, authSession: {name: alice, runtimeCredentialsSecretRef: {name:"
            + " mine}}}";
    assertThat(
            decide(
                    run(bringing),
                    runtime("Ready"),
                    null,
                    new RunProgress.SessionView(null, false, 1, null, false),
                    T0)
                .status()
                .getMessage())
        .contains("\"mine\"", "missing");
    assertThat(decide(run(bringing), session("Ready"), null, found, T0).status().getReason())
        .isEqualTo("RuntimeCredentialsNotAllowed");
    assertThat(decide(run(bringing), runtime("Failed"), null, found, T0).status().getPhase())
        .isEqualTo("Running");
  }

  @Test
  void aPlainCheckTakesNoLockAndARecreationWaitsForIt() {
    Run check =
        run(
            "{project: p, operation: 'AuthSession:Validate', authSession: {name: alice,"
                + " autoRecreate: false}}");
    RunProgress.Decision d =
        decide(
            check, session("Ready"), null, new RunProgress.SessionView(HOLDER, false, 1, null), T0);
    assertThat(d.effects()).containsExactly(new RunProgress.CreateAttempt(1, "r1-a1"));
  }

  @Test
  void runsOnARecorderSessionMayNotRecreateIt() {
    AuthSession recorder = session("Ready");
    recorder.getSpec().setType("Recorder");
    recorder.getSpec().setCredentialsSecretRef(null);
    assertThat(decide(run(SPEC), recorder, null, free(1), T0).status().getReason())
        .isEqualTo("AutoRecreateNotPossible");
    Run noRecreate = run("{project: p, api: me, authSession: {name: alice, autoRecreate: false}}");
    assertThat(decide(noRecreate, recorder, null, free(1), T0).status().getPhase())
        .isEqualTo("Running");
  }

  @Test
  void aRunOfAJobRunWaitsForItsJobRunAndNeverRecreatesOrFailsOnItsOwn() {
    Run run = run("{project: p, api: me, authSession: {name: alice, autoRecreate: false}}");
    run.getMetadata().setLabels(java.util.Map.of("tessera.dev/job-run", "jr"));
    decide(run, session("Ready"), null, free(1), T0);
    RunProgress.Decision d =
        decide(run, session("Ready"), checksFailed(3), free(1), T0.plusSeconds(5));
    assertThat(d.status().getPhase()).isEqualTo("Running");
    assertThat(d.status().getAttempts().get(0).getWaitingFor()).isEqualTo("alice-validate-1");
    assertThat(d.effects())
        .noneMatch(e -> e instanceof RunProgress.StartRecreation)
        .noneMatch(e -> e instanceof RunProgress.MarkSessionExpired);

    RunProgress.Decision afterFailedRecreation =
        decide(
            run,
            session("Failed"),
            null,
            new RunProgress.SessionView(
                null, false, 1, operation("Canceled", 3, "CreateAttemptsFailed")),
            T0.plusSeconds(30));
    assertThat(afterFailedRecreation.status().getPhase()).isEqualTo("Running");
    assertThat(afterFailedRecreation.effects()).isEmpty();

    RunProgress.Decision renewed = decide(run, session("Ready"), null, free(2), T0.plusSeconds(60));
    assertThat(renewed.effects()).containsExactly(new RunProgress.CreateAttempt(1, "r1-a1-r2"));
  }
}

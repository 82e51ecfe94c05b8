package dev.tessera.operator.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tessera.api.protocol.AttemptResult;
import dev.tessera.api.protocol.Outcome;
import dev.tessera.api.v1alpha1.ApiDefinition;
import dev.tessera.api.v1alpha1.AttemptError;
import dev.tessera.api.v1alpha1.AttemptStatus;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.AuthSessionSpec;
import dev.tessera.api.v1alpha1.AuthenticationSpec;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.api.v1alpha1.Reason;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.RunAuthSessionSpec;
import dev.tessera.api.v1alpha1.RunSpec;
import dev.tessera.api.v1alpha1.RunStatus;
import dev.tessera.api.v1alpha1.SecretReference;
import dev.tessera.api.v1alpha1.SessionOperation;
import dev.tessera.api.v1alpha1.SessionOperationStatus;
import dev.tessera.api.v1alpha1.ValidationStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The session's state machine as its one owner: it starts and records operations, acts once on the
 * requests Runs report, stores what operations report, and tells a refused login from an
 * infrastructure fault.
 */
class SessionProgressTest {
  private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
  private static final SessionSecrets.State STATE_1 =
      new SessionSecrets.State(1, JsonNodeFactory.instance.objectNode(), false, "alice-create-1");

  private static ProjectSpec project() {
    ProjectSpec project = new ProjectSpec();
    AuthenticationSpec auth = new AuthenticationSpec();
    auth.setEnabled(true);
    auth.setCreate(new ApiDefinition());
    auth.setCheck(new ApiDefinition());
    project.setAuthentication(auth);
    return project;
  }

  private static AuthSession session() {
    AuthSession session = new AuthSession();
    session.setMetadata(
        new ObjectMetaBuilder()
            .withName("alice")
            .withNamespace("ns")
            .withGeneration(1L)
            .withUid("session-uid")
            .build());
    AuthSessionSpec spec = new AuthSessionSpec();
    spec.setProject("p");
    spec.setType("Credentials");
    SecretReference credentials = new SecretReference();
    credentials.setName("creds");
    spec.setCredentialsSecretRef(credentials);
    session.setSpec(spec);
    return session;
  }

  private static SessionProgress.Decision decide(
      AuthSession session,
      List<Run> runs,
      SessionSecrets.State state,
      AttemptResult report,
      Instant now) {
    return decide(session, runs, state, report, now, "7");
  }

  /** As the credentials Secret is at {@code credentialsVersion}. */
  private static SessionProgress.Decision decide(
      AuthSession session,
      List<Run> runs,
      SessionSecrets.State state,
      AttemptResult report,
      Instant now,
      String credentialsVersion) {
    SessionProgress.Decision decision =
        SessionProgress.decide(
            new SessionProgress.Observation(
                session,
                project(),
                credentialsVersion,
                Set.of("username", "password"),
                null,
                null,
                runs,
                state,
                null,
                report,
                now));
    session.setStatus(decision.status());
    return decision;
  }

  /** The session's operation Run as its controller creates it, with a UID, in a phase. */
  private static Run operation(SessionProgress.Start start, String uid, String phase, String code) {
    Run run = SessionOperations.operation(session(), start);
    run.getMetadata().setUid(uid);
    run.getMetadata().setCreationTimestamp(NOW.toString());
    if (phase != null) {
      RunStatus status = new RunStatus();
      status.setPhase(phase);
      AttemptStatus attempt = new AttemptStatus();
      attempt.setNumber(1);
      attempt.setPhase(phase);
      attempt.setPod(run.getMetadata().getName() + "-a1");
      attempt.setValidation(new ValidationStatus());
      attempt.getValidation().setCreates("Succeeded".equals(phase) ? 1 : 0);
      if (code != null) {
        attempt.setError(new AttemptError());
        attempt.getError().setCode(code);
      }
      status.setAttempts(List.of(attempt));
      run.setStatus(status);
    }
    return run;
  }

  /** A user's Run whose Attempt asks for a recreation of {@code generation}. */
  private static Run asking(String name, int generation, Instant at) {
    Run run = new Run();
    run.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace("ns")
            .withCreationTimestamp(at.toString())
            .build());
    RunSpec spec = new RunSpec();
    spec.setProject("p");
    spec.setApi("me");
    RunAuthSessionSpec auth = new RunAuthSessionSpec();
    auth.setName("alice");
    spec.setAuthSession(auth);
    run.setSpec(spec);
    RunStatus status = new RunStatus();
    status.setPhase("Running");
    AttemptStatus attempt = new AttemptStatus();
    attempt.setNumber(1);
    attempt.setPhase("Running");
    attempt.setWaitingFor("AuthSession/alice");
    ValidationStatus validation = new ValidationStatus();
    validation.setStateGeneration(generation);
    validation.setOutcome("Invalid");
    validation.setRecreationRequested(true);
    validation.setRequestedAt(at.toString());
    attempt.setValidation(validation);
    status.setAttempts(List.of(attempt));
    run.setStatus(status);
    return run;
  }

  private static AttemptResult reportWithState() {
    return new AttemptResult(
        "v1",
        AttemptResult.KIND,
        Outcome.SUCCEEDED,
        null,
        null,
        JsonNodeFactory.instance.objectNode().put("cookies", "x"),
        null,
        null,
        null);
  }

  /** A Ready session whose create was stored as generation 1. */
  private static AuthSession readySession() {
    AuthSession session = session();
    SessionProgress.Decision first =
        decide(session, List.of(), SessionSecrets.State.NONE, null, NOW);
    Run create = operation(first.start(), "uid-1", "Succeeded", null);
    session.getStatus().getOperation().setUid("uid-1");
    decide(session, List.of(create), SessionSecrets.State.NONE, reportWithState(), NOW);
    return session;
  }

  @Test
  void theFirstCreateIsRecordedUnderTheLockBeforeItsRunExists() {
    AuthSession session = session();
    SessionProgress.Decision d = decide(session, List.of(), SessionSecrets.State.NONE, null, NOW);
    assertThat(d.start())
        .isEqualTo(
            new SessionProgress.Start(SessionOperation.CREATE, "alice-create-1", null, null));
    SessionOperationStatus op = d.status().getOperation();
    assertThat(op.getName()).isEqualTo("alice-create-1");
    assertThat(op.getUid()).isNull();
    assertThat(op.getOutcome()).isEqualTo(SessionOperationStatus.RUNNING);
    assertThat(d.status().getLockHolder()).isEqualTo("AuthSession:Create/alice-create-1");
    assertThat(d.status().getPhase()).isEqualTo("Creating");

    // restarted before the UID was written: find or create the recorded Run, keep the lock
    SessionProgress.Decision again =
        decide(session, List.of(), SessionSecrets.State.NONE, null, NOW);
    assertThat(again.start()).isNull();
    assertThat(again.adopt()).isEqualTo("alice-create-1");
    assertThat(again.renewLock()).isEqualTo("AuthSession:Create/alice-create-1");
  }

  @Test
  void aSucceededOperationsStateIsStoredOnceAndTheLockReleased() {
    AuthSession session = session();
    SessionProgress.Decision first =
        decide(session, List.of(), SessionSecrets.State.NONE, null, NOW);
    session.getStatus().getOperation().setUid("uid-1");
    Run create = operation(first.start(), "uid-1", "Succeeded", null);
    SessionProgress.Decision d =
        decide(session, List.of(create), SessionSecrets.State.NONE, reportWithState(), NOW);
    assertThat(d.store()).isEqualTo("alice-create-1");
    assertThat(d.releaseLock()).isTrue();
    assertThat(d.status().getPhase()).isEqualTo("Ready");
    assertThat(d.status().getStateGeneration()).isEqualTo(1);
    assertThat(d.status().getOperation().getOutcome()).isEqualTo(SessionOperationStatus.SUCCEEDED);
  }

  @Test
  void eightRequestsForTheSameStateStartOneRecreation() {
    AuthSession session = readySession();
    List<Run> runs = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      runs.add(asking("together-" + i, 1, NOW.plusSeconds(i)));
    }
    SessionProgress.Decision d = decide(session, runs, STATE_1, null, NOW.plusSeconds(10));
    assertThat(d.start())
        .isEqualTo(
            new SessionProgress.Start(SessionOperation.VALIDATE, "alice-validate-1", 1, null));
    assertThat(d.status().getReason()).isEqualTo(Reason.Recreating.name());

    Run validate = operation(d.start(), "uid-2", null, null);
    session.getStatus().getOperation().setUid("uid-2");
    List<Run> withOp = new ArrayList<>(runs);
    withOp.add(validate);
    SessionProgress.Decision running = decide(session, withOp, STATE_1, null, NOW.plusSeconds(11));
    assertThat(running.start()).isNull();
    assertThat(running.renewLock()).isEqualTo("AuthSession:Validate/alice-validate-1");
  }

  @Test
  void aRecreationInterruptedByTheInfrastructureLeavesTheSessionExpiredNotFailed() {
    AuthSession session = readySession();
    List<Run> runs = List.of(asking("r", 1, NOW.plusSeconds(1)));
    SessionProgress.Decision d = decide(session, runs, STATE_1, null, NOW.plusSeconds(2));
    session.getStatus().getOperation().setUid("uid-2");
    Run crashed = operation(d.start(), "uid-2", "Failed", "RunnerCrashed");
    SessionProgress.Decision after =
        decide(session, List.of(runs.get(0), crashed), STATE_1, null, NOW.plusSeconds(30));
    assertThat(after.status().getPhase()).isEqualTo("Expired");
    assertThat(after.status().getReason()).isEqualTo(Reason.RecreationInterrupted.name());
    assertThat(after.status().getOperation().getOutcome())
        .isEqualTo(SessionOperationStatus.INTERRUPTED);
    assertThat(after.releaseLock()).isTrue();
    // the request from before the interruption does not start another at once
    assertThat(after.start()).isNull();
    // a new request does
    SessionProgress.Decision next =
        decide(
            session,
            List.of(asking("r", 1, NOW.plusSeconds(60)), crashed),
            STATE_1,
            null,
            NOW.plusSeconds(61));
    assertThat(next.start().kind()).isEqualTo(SessionOperation.VALIDATE);
    assertThat(next.start().name()).isEqualTo("alice-validate-2");
  }

  @Test
  void aRefusedLoginFailsTheSessionSayingToFixTheCredentials() {
    AuthSession session = readySession();
    List<Run> runs = List.of(asking("r", 1, NOW.plusSeconds(1)));
    SessionProgress.Decision d = decide(session, runs, STATE_1, null, NOW.plusSeconds(2));
    session.getStatus().getOperation().setUid("uid-2");
    Run refused = operation(d.start(), "uid-2", "Canceled", "CreateAttemptsFailed");
    SessionProgress.Decision after =
        decide(session, List.of(runs.get(0), refused), STATE_1, null, NOW.plusSeconds(30));
    assertThat(after.status().getPhase()).isEqualTo("Failed");
    assertThat(after.status().getReason()).isEqualTo(Reason.RecreateFailed.name());
    assertThat(after.status().getMessage()).contains("fix the credentials Secret");
    assertThat(after.status().getOperation().getOutcome())
        .isEqualTo(SessionOperationStatus.REFUSED);
  }

  @Test
  void credentialsTheSiteRejectedAreNeverUsedAgainUntilTheSecretChanges() {
    AuthSession session = readySession();
    // the Secret changes: an update logs in with it, and the site rejects it
    SessionProgress.Decision d = decide(session, List.of(), STATE_1, null, NOW.plusSeconds(1), "8");
    assertThat(d.start().kind()).isEqualTo(SessionOperation.UPDATE);
    session.getStatus().getOperation().setUid("uid-2");
    Run rejected = operation(d.start(), "uid-2", "Canceled", "CredentialsRejected");
    rejected
        .getStatus()
        .getAttempts()
        .get(0)
        .getError()
        .setMessage("the site rejected the credentials: \"Invalid username or password\"");
    SessionProgress.Decision after =
        decide(session, List.of(rejected), STATE_1, null, NOW.plusSeconds(20), "8");
    assertThat(after.status().getPhase()).as("the previous state is kept").isEqualTo("Ready");
    assertThat(after.status().getReason()).isEqualTo(Reason.CredentialsRejected.name());
    assertThat(after.status().getMessage())
        .contains("AuthSession:Update Run alice-update-1")
        .contains("\"Invalid username or password\"")
        .contains("fix the credentials Secret creds")
        .contains("previous state is kept");
    assertThat(after.status().getRejectedCredentialsVersion()).isEqualTo("8");
    assertThat(after.start()).isNull();

    // the kept state expires: no recreation logs in with the rejected credentials
    List<Run> asking = List.of(asking("r", 1, NOW.plusSeconds(30)), rejected);
    SessionProgress.Decision expired =
        decide(session, asking, STATE_1, null, NOW.plusSeconds(31), "8");
    assertThat(expired.start()).isNull();
    assertThat(expired.status().getPhase()).isEqualTo("Failed");
    assertThat(expired.status().getReason()).isEqualTo(Reason.CredentialsRejected.name());
    assertThat(decide(session, asking, STATE_1, null, NOW.plusSeconds(60), "8").start()).isNull();

    // a new version of the Secret is tried, once
    SessionProgress.Decision fixed =
        decide(session, asking, STATE_1, null, NOW.plusSeconds(90), "9");
    assertThat(fixed.start()).isNotNull();
    assertThat(fixed.start().kind()).isEqualTo(SessionOperation.UPDATE);
  }

  @Test
  void anInterruptedCreateStartsAgainAfterABackoff() {
    AuthSession session = session();
    SessionProgress.Decision first =
        decide(session, List.of(), SessionSecrets.State.NONE, null, NOW);
    session.getStatus().getOperation().setUid("uid-1");
    Run crashed = operation(first.start(), "uid-1", "Failed", "RunnerCrashed");
    SessionProgress.Decision after =
        decide(session, List.of(crashed), SessionSecrets.State.NONE, null, NOW);
    assertThat(after.status().getPhase()).isEqualTo("Pending");
    assertThat(after.status().getReason()).isEqualTo(Reason.CreateInterrupted.name());
    assertThat(after.start()).isNull();
    assertThat(after.requeueAfter()).isEqualTo(Duration.ofSeconds(10));
    SessionProgress.Decision retried =
        decide(session, List.of(crashed), SessionSecrets.State.NONE, null, NOW.plusSeconds(10));
    assertThat(retried.start().name()).isEqualTo("alice-create-2");
    assertThat(retried.status().getOperation().getInterruptions()).isEqualTo(1);
  }

  @Test
  void anUnreadableStateExpiresTheSessionWithAWarning() {
    AuthSession session = readySession();
    SessionSecrets.State unreadable = new SessionSecrets.State(1, null, true, "alice-create-1");
    SessionProgress.Decision d = decide(session, List.of(), unreadable, null, NOW.plusSeconds(5));
    assertThat(d.status().getPhase()).isEqualTo("Expired");
    assertThat(d.status().getReason()).isEqualTo(Reason.StateUnreadable.name());
    assertThat(d.notes())
        .anySatisfy(
            note -> {
              assertThat(note.reason()).isEqualTo(Reason.StateUnreadable);
              assertThat(note.reason().type()).isEqualTo(Reason.Type.WARNING);
            });
  }

  @Test
  void backoffDoublesUpToFiveMinutes() {
    assertThat(SessionProgress.backoff(1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(SessionProgress.backoff(2)).isEqualTo(Duration.ofSeconds(20));
    assertThat(SessionProgress.backoff(9)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void onlyWhatAUsersRunReportsWakesItsSession() {
    Run run = new Run();
    run.setMetadata(new ObjectMetaBuilder().withName("r").withNamespace("ns").build());
    run.setStatus(new RunStatus());
    AttemptStatus attempt = new AttemptStatus();
    attempt.setNumber(1);
    attempt.setPhase("Running");
    ValidationStatus validation = new ValidationStatus();
    validation.setStateGeneration(3);
    attempt.setValidation(validation);
    run.getStatus().setAttempts(new ArrayList<>(List.of(attempt)));
    List<String> running = SessionProgress.reportedFacts(run);

    // the Attempt found the state valid and ended: nothing the session decides on
    validation.setOutcome("Valid");
    attempt.setPhase("Succeeded");
    assertThat(SessionProgress.reportedFacts(run)).isEqualTo(running).isEmpty();

    // it asks for a recreation and waits: the session must hear of it
    attempt.setPhase("Running");
    validation.setOutcome("Invalid");
    validation.setRecreationRequested(true);
    validation.setRequestedAt("2026-12-07T10:00:00Z");
    attempt.setWaitingFor("AuthSession/s");
    assertThat(SessionProgress.reportedFacts(run)).hasSize(1).isNotEqualTo(running);
  }
}

package dev.tessera.operator.session;

import static dev.tessera.operator.TestYaml.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.v1alpha1.AttemptError;
import dev.tessera.api.v1alpha1.AttemptStatus;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.AuthSessionSpec;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.RunSpec;
import dev.tessera.api.v1alpha1.RunStatus;
import dev.tessera.api.v1alpha1.ValidationStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Updates, Runtime sessions and health checks in the session state machine. */
class SessionOperationsProgressTest {
  private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
  private static final ProjectSpec PROJECT =
      read(
          """
          apis: {a: {className: A}}
          authentication: {enabled: true, create: {className: L}, check: {className: C}}
          """,
          ProjectSpec.class);

  private static AuthSession session(String specYaml) {
    AuthSession session = new AuthSession();
    session.setMetadata(
        new ObjectMetaBuilder()
            .withName("alice")
            .withNamespace("ns")
            .withUid("uid-1")
            .withGeneration(1L)
            .build());
    session.setSpec(read(specYaml, AuthSessionSpec.class));
    return session;
  }

  private static final String CREDENTIALS =
      "{project: p, type: Credentials, credentialsSecretRef: {name: creds}}";

  /** An operation Run; {@code errorCode} for one that did not succeed. */
  private static Run operation(
      String name, String spec, String phase, int creates, String errorCode, Instant ended) {
    Run run = new Run();
    run.setMetadata(new ObjectMetaBuilder().withName(name).build());
    run.setSpec(read(spec, RunSpec.class));
    if (phase != null) {
      RunStatus status = new RunStatus();
      status.setPhase(phase);
      status.setReason(errorCode == null ? "Succeeded" : "AuthSessionValidateDependencyFailed");
      status.setMessage(errorCode == null ? "ok" : "Attempt 1 was canceled: " + errorCode);
      status.setCompletionTime(ended.toString());
      AttemptStatus attempt = new AttemptStatus();
      attempt.setNumber(1);
      attempt.setPhase(phase);
      ValidationStatus validation = new ValidationStatus();
      validation.setCreates(creates);
      validation.setStateGeneration(4);
      attempt.setValidation(validation);
      if (errorCode != null) {
        AttemptError error = new AttemptError();
        error.setCode(errorCode);
        attempt.setError(error);
      }
      status.setAttempts(List.of(attempt));
      run.setStatus(status);
    }
    return run;
  }

  private static Run create(String phase) {
    return operation(
        "alice-create-1",
        "{project: p, operation: 'AuthSession:Create', authSession: {name: alice}}",
        phase,
        1,
        phase.equals("Succeeded") ? null : "CreateAttemptsFailed",
        NOW);
  }

  private static Run update(String phase) {
    return operation(
        "alice-update-1",
        "{project: p, operation: 'AuthSession:Update', authSession: {name: alice}}",
        phase,
        1,
        "Canceled".equals(phase) ? "CreateAttemptsFailed" : null,
        NOW.plusSeconds(60));
  }

  private static Run healthCheck(String phase, String errorCode, Instant ended) {
    return operation(
        "alice-health-1",
        "{project: p, operation: 'AuthSession:Validate', authSession: {name: alice, autoRecreate:"
            + " false}}",
        phase,
        0,
        errorCode,
        ended);
  }

  private static SessionProgress.Decision decide(
      AuthSession session, String credentials, String proxy, List<Run> operations, Instant now) {
    SessionProgress.Decision decision =
        SessionProgress.decide(
            new SessionProgress.Observation(
                session, PROJECT, credentials, null, proxy, null, operations, null, now));
    session.setStatus(decision.status());
    return decision;
  }

  /** A Credentials session made Ready by its first create, with credentials version 7. */
  private static AuthSession ready(String spec) {
    AuthSession session = session(spec);
    decide(session, "7", null, List.of(), NOW);
    decide(session, "7", null, List.of(create("Succeeded")), NOW);
    assertThat(session.getStatus().getPhase()).isEqualTo("Ready");
    return session;
  }

  @Test
  void changedCredentialsUpdateAReadySessionUnderTheSameName() {
    AuthSession session = ready(CREDENTIALS);
    SessionProgress.Decision d = decide(session, "8", null, List.of(create("Succeeded")), NOW);
    assertThat(d.start())
        .isEqualTo(new SessionProgress.Start("AuthSession:Update", "alice-update-1", false));
    assertThat(d.status().getPhase()).isEqualTo("Ready");
    assertThat(d.status().getReason()).isEqualTo("Updating");
    assertThat(d.status().getObservedCredentialsVersion()).isEqualTo("8");

    SessionProgress.Decision again =
        decide(session, "8", null, List.of(create("Succeeded"), update("Running")), NOW);
    assertThat(again.start()).isNull();

    SessionProgress.Decision done =
        decide(session, "8", null, List.of(create("Succeeded"), update("Succeeded")), NOW);
    assertThat(done.status().getPhase()).isEqualTo("Ready");
    assertThat(done.status().getMessage()).contains("updated by alice-update-1");
    assertThat(done.status().getLastCreated()).isEqualTo(NOW.plusSeconds(60).toString());
    assertThat(done.start()).isNull();
  }

  @Test
  void aFailedUpdateKeepsTheOldStateUsableAndSaysWhy() {
    AuthSession session = ready(CREDENTIALS);
    decide(session, "8", null, List.of(create("Succeeded")), NOW);
    SessionProgress.Decision d =
        decide(session, "8", null, List.of(create("Succeeded"), update("Canceled")), NOW);
    assertThat(d.status().getPhase()).isEqualTo("Ready");
    assertThat(d.status().getReason()).isEqualTo("UpdateFailed");
    assertThat(d.status().getMessage())
        .contains("alice-update-1", "CreateAttemptsFailed", "previous state is kept");
    assertThat(d.status().getLastCreated()).isEqualTo(NOW.toString());
    assertThat(d.notes()).extracting(n -> n.reason().name()).contains("UpdateFailed");
    assertThat(d.start()).isNull();
  }

  @Test
  void theUpdateAnnotationAndAProxyChangeAskForAnUpdateOnce() {
    AuthSession session = ready(CREDENTIALS);
    session.getMetadata().setAnnotations(Map.of("tessera.dev/update", "2026-01-01"));
    assertThat(decide(session, "7", null, List.of(create("Succeeded")), NOW).start()).isNotNull();
    List<Run> updated = List.of(create("Succeeded"), update("Succeeded"));
    assertThat(decide(session, "7", null, updated, NOW).start()).isNull();

    SessionProgress.Decision proxy =
        decide(session, "7", "http://proxy:3128 bypass=null", updated, NOW);
    assertThat(proxy.start())
        .isEqualTo(new SessionProgress.Start("AuthSession:Update", "alice-update-2", false));
  }

  @Test
  void aProxySecretThatCannotBeUsedKeepsTheSessionPendingSayingWhy() {
    AuthSession session = session(CREDENTIALS);
    SessionProgress.Decision d =
        SessionProgress.decide(
            new SessionProgress.Observation(
                session,
                PROJECT,
                "7",
                null,
                null,
                "proxy Secret \"px\" is missing",
                List.of(),
                null,
                NOW));
    assertThat(d.status().getReason()).isEqualTo("ProxySecretNotFound");
    assertThat(d.start()).isNull();
  }

  @Test
  void aRuntimeSessionWaitsForItsFirstRunAndIsCreatedByIt() {
    AuthSession session = session("{project: p, type: Runtime}");
    SessionProgress.Decision d = decide(session, null, null, List.of(), NOW);
    assertThat(d.status().getPhase()).isEqualTo("Pending");
    assertThat(d.status().getReason()).isEqualTo("WaitingForFirstRun");
    assertThat(d.start()).isNull();

    Run first =
        operation(
            "alice-validate-0",
            "{project: p, operation: 'AuthSession:Validate', authSession: {name: alice,"
                + " runtimeCredentialsSecretRef: {name: run-creds}}}",
            "Running",
            0,
            null,
            NOW);
    first.getStatus().setCompletionTime(null);
    SessionProgress.Decision creating = decide(session, null, null, List.of(first), NOW);
    assertThat(creating.status().getReason()).isEqualTo("Recreating");
    assertThat(creating.status().getMessage()).contains("credentials of the Run");

    first.getStatus().setPhase("Succeeded");
    first.getStatus().setCompletionTime(NOW.toString());
    first.getStatus().getAttempts().get(0).getValidation().setCreates(1);
    SessionProgress.Decision ready = decide(session, null, null, List.of(first), NOW);
    assertThat(ready.status().getPhase()).isEqualTo("Ready");
    assertThat(ready.status().getStateSecretName()).isEqualTo("alice-state");

    session.getMetadata().setAnnotations(Map.of("tessera.dev/update", "now"));
    SessionProgress.Decision update = decide(session, null, null, List.of(first), NOW);
    assertThat(update.start()).isNull();
    assertThat(update.notes()).extracting(n -> n.reason().name()).contains("UpdateNotPossible");
  }

  @Test
  void healthChecksRunOnScheduleWithJitterAndNeverWhileLocked() {
    AuthSession session = ready(CREDENTIALS + "");
    session
        .getSpec()
        .setHealthCheck(read("{interval: 30m}", dev.tessera.api.v1alpha1.HealthCheckSpec.class));
    List<Run> created = List.of(create("Succeeded"));
    SessionProgress.Decision early = decide(session, "7", null, created, NOW.plusSeconds(60));
    assertThat(early.start()).isNull();
    assertThat(early.requeueAfter())
        .isBetween(Duration.ofMinutes(29), Duration.ofMinutes(29).plusSeconds(180));

    Instant due = SessionProgress.healthCheckDue(session, session.getStatus(), created.get(0));
    SessionProgress.Decision locked =
        SessionProgress.decide(
            new SessionProgress.Observation(
                session, PROJECT, "7", null, null, null, created, "AuthSession:Update/x", due));
    assertThat(locked.start()).isNull();
    SessionProgress.Decision onTime = decide(session, "7", null, created, due);
    assertThat(onTime.start())
        .isEqualTo(new SessionProgress.Start("AuthSession:Validate", "alice-health-1", false));
  }

  @Test
  void aHealthCheckThatFindsTheStateInvalidRecreatesACredentialsSessionAtOnce() {
    AuthSession session = ready(CREDENTIALS);
    List<Run> checked =
        List.of(create("Succeeded"), healthCheck("Canceled", "CheckAttemptsFailed", NOW));
    SessionProgress.Decision d = decide(session, "7", null, checked, NOW);
    assertThat(d.start())
        .isEqualTo(new SessionProgress.Start("AuthSession:Validate", "alice-validate-4", true));
    assertThat(d.status().getReason()).isEqualTo("Recreating");
  }

  @Test
  void aHealthCheckThatPassesRecordsTheValidation() {
    AuthSession session = ready(CREDENTIALS);
    Instant later = NOW.plus(Duration.ofMinutes(31));
    SessionProgress.Decision d =
        decide(
            session,
            "7",
            null,
            new ArrayList<>(List.of(create("Succeeded"), healthCheck("Succeeded", null, later))),
            later);
    assertThat(d.status().getReason()).isEqualTo("HealthCheckPassed");
    assertThat(d.status().getLastValidated()).isEqualTo(later.toString());
    assertThat(d.status().getLastCreated()).isEqualTo(NOW.toString());
  }

  @Test
  void durationsReadHoursMinutesAndSeconds() {
    assertThat(SessionProgress.parseDuration("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(SessionProgress.parseDuration("45s")).isEqualTo(Duration.ofSeconds(45));
  }

  @Test
  void aRecorderSessionWaitsForAHumanThenCanOnlyBeRecordedAgain() {
    AuthSession session = session("{project: p, type: Recorder}");
    SessionProgress.Decision d = decide(session, null, null, List.of(), NOW);
    assertThat(d.start())
        .isEqualTo(new SessionProgress.Start("AuthSession:Create", "alice-create-1", false));
    assertThat(d.status().getPhase()).isEqualTo("AwaitingRecording");
    assertThat(d.status().getRecorderAccess())
        .contains("kubectl port-forward -n ns pod/alice-create-1-a1 8090:8090")
        .contains("alice-create-1-recorder");

    Run timedOut =
        operation(
            "alice-create-1",
            "{project: p, operation: 'AuthSession:Create', authSession: {name: alice}}",
            "Canceled",
            0,
            "RecordingTimedOut",
            NOW);
    SessionProgress.Decision failed = decide(session, null, null, List.of(timedOut), NOW);
    assertThat(failed.status().getPhase()).isEqualTo("Failed");
    assertThat(failed.status().getReason()).isEqualTo("RecordingFailed");
    assertThat(failed.status().getMessage()).contains("tessera.dev/record");
    assertThat(failed.status().getRecorderAccess()).isNull();

    session.getMetadata().setAnnotations(Map.of("tessera.dev/update", "1"));
    SessionProgress.Decision update = decide(session, null, null, List.of(timedOut), NOW);
    assertThat(update.start()).isNull();
    assertThat(update.notes()).extracting(n -> n.reason().name()).contains("UpdateNotPossible");

    session
        .getMetadata()
        .setAnnotations(Map.of("tessera.dev/update", "1", "tessera.dev/record", "2"));
    SessionProgress.Decision again = decide(session, null, null, List.of(timedOut), NOW);
    assertThat(again.start())
        .isEqualTo(new SessionProgress.Start("AuthSession:Create", "alice-create-2", false));
    assertThat(decide(session, null, null, List.of(timedOut), NOW).start()).isNull();
  }
}

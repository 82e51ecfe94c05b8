package dev.tessera.operator.session;

import static dev.tessera.operator.TestYaml.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.v1alpha1.AttemptStatus;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.AuthSessionSpec;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.RunSpec;
import dev.tessera.api.v1alpha1.RunStatus;
import dev.tessera.api.v1alpha1.ValidationStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionProgressTest {
  private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
  private static final ProjectSpec PROJECT =
      read(
          """
          apis: {a: {className: A}}
          authentication: {enabled: true, create: {className: L}, check: {className: C}}
          """,
          ProjectSpec.class);

  private static AuthSession session(String type) {
    AuthSession session = new AuthSession();
    session.setMetadata(
        new ObjectMetaBuilder().withName("alice").withNamespace("ns").withGeneration(1L).build());
    session.setSpec(
        read(
            "{project: p, type: " + type + ", credentialsSecretRef: {name: creds}}",
            AuthSessionSpec.class));
    return session;
  }

  private static Run createRun(String name, String phase) {
    return operation(name, "AuthSession:Create", phase, 1);
  }

  private static Run operation(String name, String operation, String phase, int creates) {
    Run run = new Run();
    run.setMetadata(new ObjectMetaBuilder().withName(name).build());
    run.setSpec(
        read(
            "{project: p, operation: '" + operation + "', authSession: {name: alice}}",
            RunSpec.class));
    if (phase != null) {
      RunStatus status = new RunStatus();
      status.setPhase(phase);
      status.setReason(
          phase.equals("Succeeded") ? "Succeeded" : "AuthSessionValidateDependencyFailed");
      status.setMessage("Attempt 1 was canceled: CreateAttemptsFailed: wrong password");
      status.setCompletionTime(NOW.toString());
      AttemptStatus attempt = new AttemptStatus();
      attempt.setNumber(1);
      attempt.setPhase(phase);
      ValidationStatus validation = new ValidationStatus();
      validation.setCreates(creates);
      attempt.setValidation(validation);
      status.setAttempts(List.of(attempt));
      run.setStatus(status);
    }
    return run;
  }

  private static SessionProgress.Decision decide(
      AuthSession session, String credentialsVersion, List<Run> operations) {
    return decide(session, credentialsVersion, operations, null);
  }

  private static SessionProgress.Decision decide(
      AuthSession session, String credentialsVersion, List<Run> operations, String lockHolder) {
    SessionProgress.Decision decision =
        SessionProgress.decide(
            new SessionProgress.Observation(
                session, PROJECT, credentialsVersion, null, operations, lockHolder, NOW));
    session.setStatus(decision.status());
    return decision;
  }

  @Test
  void newSessionWithCredentialsStartsItsFirstCreate() {
    SessionProgress.Decision d = decide(session("Credentials"), "7", List.of());
    assertThat(d.start())
        .isEqualTo(new SessionProgress.Start("AuthSession:Create", "alice-create-1", false));
    assertThat(d.status().getPhase()).isEqualTo("Creating");
    assertThat(d.start().name()).isEqualTo("alice-create-1");
  }

  @Test
  void missingCredentialsSecretWaitsWithAClearReasonAndLooksAgain() {
    SessionProgress.Decision d = decide(session("Credentials"), null, List.of());
    assertThat(d.start()).isNull();
    assertThat(d.status().getPhase()).isEqualTo("Pending");
    assertThat(d.status().getReason()).isEqualTo("CredentialsSecretNotFound");
    assertThat(d.status().getMessage()).contains("\"creds\"");
    assertThat(d.requeueAfter()).isEqualTo(SessionProgress.RECHECK);
  }

  @Test
  void succeededCreateMakesTheSessionReady() {
    AuthSession session = session("Credentials");
    decide(session, "7", List.of());
    SessionProgress.Decision d =
        decide(session, "7", List.of(createRun("alice-create-1", "Succeeded")));
    assertThat(d.status().getPhase()).isEqualTo("Ready");
    assertThat(d.status().getStateSecretName()).isEqualTo("alice-state");
    assertThat(d.status().getLastCreated()).isEqualTo(NOW.toString());
  }

  @Test
  void failedCreateFailsTheSessionAndFixingTheSecretStartsANewCreate() {
    AuthSession session = session("Credentials");
    decide(session, "7", List.of());
    List<Run> failed = List.of(createRun("alice-create-1", "Canceled"));
    SessionProgress.Decision d = decide(session, "7", failed);
    assertThat(d.status().getPhase()).isEqualTo("Failed");
    assertThat(d.status().getMessage())
        .contains("CreateAttemptsFailed", "fix the credentials Secret");
    assertThat(d.start()).isNull();
    SessionProgress.Decision fixed = decide(session, "8", failed);
    assertThat(fixed.start())
        .isEqualTo(new SessionProgress.Start("AuthSession:Create", "alice-create-2", false));
    assertThat(fixed.status().getPhase()).isEqualTo("Creating");
  }

  @Test
  void anUnknownTypeSaysSo() {
    SessionProgress.Decision d = decide(session("Magic"), null, List.of());
    assertThat(d.status().getReason()).isEqualTo("SessionTypeNotSupported");
    assertThat(d.start()).isNull();
  }

  @Test
  void expiredSessionStaysExpiredUntilANewCreate() {
    AuthSession session = session("Credentials");
    decide(session, "7", List.of());
    List<Run> created = List.of(createRun("alice-create-1", "Succeeded"));
    decide(session, "7", created);
    session.getStatus().setPhase("Expired");
    SessionProgress.Decision d = decide(session, "7", created);
    assertThat(d.status().getPhase()).isEqualTo("Expired");
    assertThat(d.start()).isNull();
  }

  @Test
  void aRecreationShowsAsRecreatingWithItsLockHolderThenReadyCountedOnce() {
    AuthSession session = session("Credentials");
    decide(session, "7", List.of());
    Run create = createRun("alice-create-1", "Succeeded");
    decide(session, "7", List.of(create));
    SessionProgress.Decision recreating =
        decide(
            session,
            "7",
            List.of(create, operation("alice-validate-1", "AuthSession:Validate", "Running", 0)),
            "AuthSession:Validate/alice-validate-1");
    assertThat(recreating.status().getPhase()).isEqualTo("Creating");
    assertThat(recreating.status().getReason()).isEqualTo("Recreating");
    assertThat(recreating.status().getLockHolder())
        .isEqualTo("AuthSession:Validate/alice-validate-1");
    assertThat(recreating.notes()).extracting(n -> n.reason().name()).contains("Recreating");

    List<Run> recreated =
        List.of(create, operation("alice-validate-1", "AuthSession:Validate", "Succeeded", 1));
    SessionProgress.Decision ready = decide(session, "7", recreated);
    assertThat(ready.status().getPhase()).isEqualTo("Ready");
    assertThat(ready.status().getLockHolder()).isNull();
    assertThat(ready.status().getRecreations()).isEqualTo(1);
    assertThat(ready.status().getMessage()).contains("recreated by alice-validate-1");
    assertThat(decide(session, "7", recreated).status().getRecreations()).isEqualTo(1);
  }

  /** A session made Ready by its first create, then the given validation Run. */
  private static SessionProgress.Decision afterValidation(String phase, int creates) {
    AuthSession session = session("Credentials");
    decide(session, "7", List.of());
    Run create = createRun("alice-create-1", "Succeeded");
    decide(session, "7", List.of(create));
    return decide(
        session,
        "7",
        List.of(create, operation("alice-validate-1", "AuthSession:Validate", phase, creates)));
  }

  @Test
  void aValidationThatFoundTheStateValidIsNoRecreation() {
    SessionProgress.Decision d = afterValidation("Succeeded", 0);
    assertThat(d.status().getPhase()).isEqualTo("Ready");
    assertThat(d.status().getRecreations()).isNull();
  }

  @Test
  void aRecreationThatCannotLogInFailsTheSessionSayingWhy() {
    SessionProgress.Decision d = afterValidation("Canceled", 3);
    assertThat(d.status().getPhase()).isEqualTo("Failed");
    assertThat(d.status().getReason()).isEqualTo("RecreateFailed");
    assertThat(d.status().getMessage())
        .contains("alice-validate-1", "CreateAttemptsFailed", "fix the credentials Secret");
  }

  @Test
  void historyKeepsTheNewestFinishedOperationsAndTheLatestCreate() {
    AuthSession session = session("Credentials");
    decide(session, "7", List.of());
    List<Run> operations = new java.util.ArrayList<>();
    operations.add(createRun("alice-create-1", "Succeeded"));
    for (int i = 1; i <= 7; i++) {
      operations.add(operation("alice-validate-" + i, "AuthSession:Validate", "Succeeded", 1));
    }
    SessionProgress.Decision d = decide(session, "7", operations);
    assertThat(d.prune()).containsExactly("alice-validate-1", "alice-validate-2");

    List<Run> kept = new java.util.ArrayList<>(operations);
    kept.removeIf(r -> d.prune().contains(r.getMetadata().getName()));
    SessionProgress.Decision changed = decide(session, "8", kept);
    assertThat(changed.start())
        .isEqualTo(new SessionProgress.Start("AuthSession:Update", "alice-update-1", false));
  }

  @Test
  void aCredentialsSecretWithoutAKeyTheCreateReadsWaitsNamingTheKey() {
    ProjectSpec project =
        read(
            """
            apis: {a: {className: A}}
            authentication:
              enabled: true
              check: {className: C}
              create:
                steps:
                  - fill: {selector: "#u", value: $(credentials.username)}
                  - fill: {selector: "#p", value: $(credentials.password)}
            """,
            ProjectSpec.class);
    AuthSession session = session("Credentials");
    SessionProgress.Decision d =
        SessionProgress.decide(
            new SessionProgress.Observation(
                session,
                project,
                "7",
                java.util.Set.of("username", "pasword"),
                List.of(),
                null,
                NOW));
    assertThat(d.start()).isNull();
    assertThat(d.status().getPhase()).isEqualTo("Pending");
    assertThat(d.status().getReason()).isEqualTo("CredentialsSecretInvalid");
    assertThat(d.status().getMessage()).contains("\"creds\"", "no key password");
    assertThat(d.requeueAfter()).isEqualTo(SessionProgress.RECHECK);

    SessionProgress.Decision fixed =
        SessionProgress.decide(
            new SessionProgress.Observation(
                session,
                project,
                "8",
                java.util.Set.of("username", "password"),
                List.of(),
                null,
                NOW));
    assertThat(fixed.start())
        .isEqualTo(new SessionProgress.Start("AuthSession:Create", "alice-create-1", false));
  }
}

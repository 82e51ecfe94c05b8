package dev.tessera.operator.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.AuthSessionSpec;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.RunStatus;
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

  private static <T> T read(String yaml, Class<T> type) {
    try {
      return new YAMLMapper().readValue(yaml, type);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

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
    Run run = new Run();
    run.setMetadata(new ObjectMetaBuilder().withName(name).build());
    if (phase != null) {
      RunStatus status = new RunStatus();
      status.setPhase(phase);
      status.setReason(
          phase.equals("Succeeded") ? "Succeeded" : "AuthSessionValidateDependencyFailed");
      status.setMessage("Attempt 1 was canceled: CreateAttemptsFailed: wrong password");
      status.setCompletionTime(NOW.toString());
      run.setStatus(status);
    }
    return run;
  }

  private static SessionProgress.Decision decide(
      AuthSession session, String credentialsVersion, List<Run> creates) {
    SessionProgress.Decision decision =
        SessionProgress.decide(
            new SessionProgress.Observation(session, PROJECT, credentialsVersion, creates, NOW));
    session.setStatus(decision.status());
    return decision;
  }

  @Test
  void newSessionWithCredentialsStartsItsFirstCreate() {
    SessionProgress.Decision d = decide(session("Credentials"), "7", List.of());
    assertThat(d.startCreate()).isEqualTo(1);
    assertThat(d.status().getPhase()).isEqualTo("Creating");
    assertThat(d.status().getLastOperation()).isEqualTo("alice-create-1");
  }

  @Test
  void missingCredentialsSecretWaitsWithAClearReasonAndLooksAgain() {
    SessionProgress.Decision d = decide(session("Credentials"), null, List.of());
    assertThat(d.startCreate()).isNull();
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
    assertThat(d.startCreate()).isNull();
    SessionProgress.Decision fixed = decide(session, "8", failed);
    assertThat(fixed.startCreate()).isEqualTo(2);
    assertThat(fixed.status().getPhase()).isEqualTo("Creating");
  }

  @Test
  void typesNotRunYetSaySo() {
    SessionProgress.Decision d = decide(session("Recorder"), null, List.of());
    assertThat(d.status().getReason()).isEqualTo("SessionTypeNotSupported");
    assertThat(d.startCreate()).isNull();
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
    assertThat(d.startCreate()).isNull();
  }
}

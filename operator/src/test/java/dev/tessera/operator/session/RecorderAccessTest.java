package dev.tessera.operator.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.v1alpha1.ApiDefinition;
import dev.tessera.api.v1alpha1.AttemptStatus;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.AuthSessionSpec;
import dev.tessera.api.v1alpha1.AuthenticationSpec;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.api.v1alpha1.Reason;
import dev.tessera.api.v1alpha1.RecorderSpec;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.RunStatus;
import dev.tessera.operator.naming.Names;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a Recorder session's status tells the human who records it: how to open the hosted browser,
 * once its Pod runs, in a cluster (port-forward) and in local mode (the port the local executor
 * published on the machine).
 */
class RecorderAccessTest {
  private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
  private static final String POD = Names.attemptPod("bob-create-1", "run-uid", 1);
  private static final String TOKEN =
      "$(kubectl get secret -n team-a bob-create-1-recorder -o jsonpath='{.data.token}'"
          + " | base64 -d)";

  private static ProjectSpec project() {
    AuthenticationSpec auth = new AuthenticationSpec();
    auth.setEnabled(true);
    auth.setCreate(new ApiDefinition());
    auth.setCheck(new ApiDefinition());
    RecorderSpec recorder = new RecorderSpec();
    recorder.setStartUrl("https://example.test/login");
    auth.setRecorder(recorder);
    ProjectSpec project = new ProjectSpec();
    project.setAuthentication(auth);
    return project;
  }

  private static AuthSession session() {
    AuthSession session = new AuthSession();
    session.setMetadata(
        new ObjectMetaBuilder()
            .withName("bob")
            .withNamespace("team-a")
            .withGeneration(1L)
            .withUid("session-uid")
            .build());
    AuthSessionSpec spec = new AuthSessionSpec();
    spec.setProject("p");
    spec.setType("Recorder");
    session.setSpec(spec);
    return session;
  }

  private static SessionProgress.Decision decide(
      AuthSession session, List<Run> runs, RecorderAccess.PodView recording) {
    SessionProgress.Decision decision =
        SessionProgress.decide(
            new SessionProgress.Observation(
                session,
                project(),
                null,
                null,
                null,
                null,
                runs,
                SessionSecrets.State.NONE,
                null,
                null,
                NOW,
                recording));
    session.setStatus(decision.status());
    return decision;
  }

  /** A session whose recording started, and its Run, running. */
  private static List<Run> recordingStarted(AuthSession session) {
    SessionProgress.Decision first = decide(session, List.of(), null);
    Run run = SessionOperations.operation(session, first.start());
    run.getMetadata().setUid("run-uid");
    run.getMetadata().setCreationTimestamp(NOW.toString());
    RunStatus status = new RunStatus();
    status.setPhase("Running");
    AttemptStatus attempt = new AttemptStatus();
    attempt.setNumber(1);
    attempt.setPhase("Running");
    attempt.setPod(POD);
    status.setAttempts(List.of(attempt));
    run.setStatus(status);
    session.getStatus().getOperation().setUid("run-uid");
    return List.of(run);
  }

  private static Pod pod(String name, String phase, String ports) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("team-a")
        .addToAnnotations(
            ports == null ? Map.of() : Map.of(RecorderAccess.LOCAL_PORTS_ANNOTATION, ports))
        .endMetadata()
        .withNewStatus()
        .withPhase(phase)
        .endStatus()
        .build();
  }

  @Test
  void aRecordingGivesNoAddressBeforeItsPodRunsAndLooksAgainSoon() {
    AuthSession session = session();
    SessionProgress.Decision started = decide(session, List.of(), null);
    assertThat(started.start().name()).isEqualTo("bob-create-1");
    assertThat(started.status().getPhase()).isEqualTo("AwaitingRecording");
    assertThat(started.status().getRecorderAccess()).isNull();
    assertThat(started.status().getMessage())
        .isEqualTo(
            "AuthSession:Create Run bob-create-1 serves a browser for a human to log in with,"
                + " once its Pod runs (status.recorderAccess will say how to open it)");
    assertThat(started.notes())
        .extracting(SessionProgress.Note::reason)
        .containsExactly(Reason.AwaitingRecording);
    assertThat(started.requeueAfter()).isLessThanOrEqualTo(Duration.ofSeconds(2));

    AuthSession pending = session();
    List<Run> runs = recordingStarted(pending);
    SessionProgress.Decision podPending =
        decide(pending, runs, RecorderAccess.PodView.of(pod(POD, "Pending", null)));
    assertThat(podPending.status().getRecorderAccess()).isNull();
    assertThat(podPending.requeueAfter()).isLessThanOrEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void inAClusterTheRunningPodIsReachedThroughPortForward() {
    AuthSession session = session();
    List<Run> runs = recordingStarted(session);
    SessionProgress.Decision running =
        decide(session, runs, RecorderAccess.PodView.of(pod(POD, "Running", null)));
    String access =
        "kubectl port-forward -n team-a pod/"
            + POD
            + " 8090:8090, then open"
            + " http://localhost:8090/?token="
            + TOKEN;
    assertThat(running.status().getRecorderAccess()).isEqualTo(access);
    assertThat(running.status().getMessage())
        .isEqualTo(
            "AuthSession:Create Run bob-create-1 serves a browser for a human to log in with: "
                + access);
    assertThat(running.notes()).isEmpty();
  }

  @Test
  void inLocalModeTheRunningPodIsReachedAtThePortItsExecutorPublished() {
    AuthSession session = session();
    List<Run> runs = recordingStarted(session);
    SessionProgress.Decision running =
        decide(session, runs, RecorderAccess.PodView.of(pod(POD, "Running", "recorder=41234")));
    assertThat(running.status().getRecorderAccess())
        .isEqualTo("open http://127.0.0.1:41234/?token=" + TOKEN);
  }

  @Test
  void aPodOfAnotherRecordingGivesNoAddress() {
    assertThat(
            RecorderAccess.instructions(
                "team-a",
                "bob-create-2",
                "other-uid",
                RecorderAccess.PodView.of(pod(POD, "Running", "recorder=41234"))))
        .isNull();
    // nor one seen before the recording's Run was created
    assertThat(
            RecorderAccess.instructions(
                "team-a",
                "bob-create-1",
                null,
                RecorderAccess.PodView.of(pod(POD, "Running", "recorder=41234"))))
        .isNull();
  }

  @Test
  void onlyTheRecorderPortOfTheAnnotationCounts() {
    assertThat(RecorderAccess.localPort("metrics=9000,recorder=41234")).isEqualTo(41234);
    assertThat(RecorderAccess.localPort("metrics=9000")).isNull();
    assertThat(RecorderAccess.localPort("recorder=http")).isNull();
    assertThat(RecorderAccess.localPort("recorder=70000")).isNull();
    assertThat(RecorderAccess.localPort("")).isNull();
    assertThat(RecorderAccess.localPort(null)).isNull();
  }
}

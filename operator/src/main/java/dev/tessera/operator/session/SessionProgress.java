package dev.tessera.operator.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.AuthSessionStatus;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.operator.naming.Names;
import dev.tessera.operator.run.RunProgress;
import dev.tessera.operator.status.Conditions;
import dev.tessera.operator.status.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The state machine of an AuthSession, from what was observed to the next status and whether to
 * start an {@code AuthSession:Create} Run. Pure.
 *
 * <p>Pending (waiting for its project or credentials) → Creating (a create Run is running) → Ready
 * (the state Secret holds a state whose check passed) or Failed (the create Run did not succeed);
 * Ready becomes Expired when a Run finds every check failing, and stays so until a new create. A
 * change of the credentials Secret starts a new create, so fixing the Secret recovers a Failed
 * session without deleting anything.
 */
public final class SessionProgress {
  public static final String PENDING = "Pending";
  public static final String CREATING = "Creating";
  public static final String READY = "Ready";
  public static final String FAILED = "Failed";
  public static final String EXPIRED = "Expired";

  /** How often a session waiting for something it cannot watch looks again. */
  public static final Duration RECHECK = Duration.ofSeconds(30);

  private static final ObjectMapper JSON = new ObjectMapper();

  private SessionProgress() {}

  /**
   * What the reconciler saw.
   *
   * @param session the AuthSession
   * @param project its project's spec, or null when it does not exist
   * @param credentialsVersion the credentials Secret's resourceVersion, or null when it is missing
   *     or has no keys
   * @param createRuns the session's create Runs, oldest first
   * @param now the time of the decision
   */
  public record Observation(
      AuthSession session,
      ProjectSpec project,
      String credentialsVersion,
      List<Run> createRuns,
      Instant now) {}

  /**
   * The decision.
   *
   * @param status the new status
   * @param startCreate the number of the create Run to start, or null
   * @param notes Events to record
   * @param requeueAfter when to look again, or null
   */
  public record Decision(
      AuthSessionStatus status, Integer startCreate, List<Note> notes, Duration requeueAfter) {}

  /** An Event to record. */
  public record Note(Reason reason, String message) {}

  public static Decision decide(Observation in) {
    AuthSession session = in.session();
    AuthSessionStatus status =
        session.getStatus() == null
            ? new AuthSessionStatus()
            : JSON.convertValue(session.getStatus(), AuthSessionStatus.class);
    if (status.getConditions() == null) {
      status.setConditions(new ArrayList<>());
    }
    status.setObservedGeneration(session.getMetadata().getGeneration());
    List<Note> notes = new ArrayList<>();
    String name = session.getMetadata().getName();

    if (in.project() == null) {
      return waiting(
          status,
          Reason.ProjectNotFound,
          "Project \"" + session.getSpec().getProject() + "\" does not exist; create it",
          in,
          notes);
    }
    if (in.project().getAuthentication() == null
        || !Boolean.TRUE.equals(in.project().getAuthentication().getEnabled())
        || in.project().getAuthentication().getCreate() == null) {
      return waiting(
          status,
          Reason.AuthenticationDisabled,
          "Project \""
              + session.getSpec().getProject()
              + "\" does not enable authentication with a create API",
          in,
          notes);
    }
    if (!"Credentials".equals(session.getSpec().getType())) {
      return new Decision(
          set(
              status,
              PENDING,
              Reason.SessionTypeNotSupported,
              "sessions of type "
                  + session.getSpec().getType()
                  + " are not run by this version of the operator",
              in,
              notes),
          null,
          notes,
          null);
    }
    if (in.credentialsVersion() == null) {
      return waiting(
          status,
          Reason.CredentialsSecretNotFound,
          "Secret \""
              + session.getSpec().getCredentialsSecretRef().getName()
              + "\" is missing or has no keys; create it with the keys the project's create API reads",
          in,
          notes);
    }

    Run last = in.createRuns().isEmpty() ? null : in.createRuns().get(in.createRuns().size() - 1);
    boolean credentialsChanged =
        status.getObservedCredentialsVersion() != null
            && !Objects.equals(status.getObservedCredentialsVersion(), in.credentialsVersion());
    if (last == null || (credentialsChanged && isFinished(last))) {
      int next = in.createRuns().size() + 1;
      status.setObservedCredentialsVersion(in.credentialsVersion());
      status.setLastOperation(Names.sessionCreateRun(name, next));
      set(
          status,
          CREATING,
          Reason.Creating,
          "logging in with AuthSession:Create Run " + status.getLastOperation(),
          in,
          notes);
      return new Decision(status, next, notes, null);
    }
    String phase = last.getStatus() == null ? null : last.getStatus().getPhase();
    if (!isFinished(last)) {
      set(
          status,
          CREATING,
          Reason.Creating,
          "logging in with AuthSession:Create Run " + last.getMetadata().getName(),
          in,
          notes);
      return new Decision(status, null, notes, null);
    }
    if (RunProgress.SUCCEEDED.equals(phase)
        && EXPIRED.equals(status.getPhase())
        && Objects.equals(status.getLastOperation(), last.getMetadata().getName())) {
      return new Decision(status, null, notes, null);
    }
    if (RunProgress.SUCCEEDED.equals(phase)) {
      if (!READY.equals(status.getPhase())) {
        status.setLastCreated(last.getStatus().getCompletionTime());
        status.setLastValidated(last.getStatus().getCompletionTime());
      }
      status.setStateSecretName(Names.sessionState(name));
      set(
          status,
          READY,
          Reason.SessionReady,
          "logged in by " + last.getMetadata().getName() + "; the state passed its check",
          in,
          notes);
      return new Decision(status, null, notes, null);
    }
    String why = last.getStatus().getReason() + ": " + last.getStatus().getMessage();
    set(
        status,
        FAILED,
        Reason.CreateFailed,
        "AuthSession:Create Run "
            + last.getMetadata().getName()
            + " did not succeed ("
            + why
            + "); fix the credentials Secret to try again",
        in,
        notes);
    return new Decision(status, null, notes, RECHECK);
  }

  private static Decision waiting(
      AuthSessionStatus status, Reason reason, String message, Observation in, List<Note> notes) {
    return new Decision(set(status, PENDING, reason, message, in, notes), null, notes, RECHECK);
  }

  private static AuthSessionStatus set(
      AuthSessionStatus status,
      String phase,
      Reason reason,
      String message,
      Observation in,
      List<Note> notes) {
    boolean changed =
        !Objects.equals(status.getPhase(), phase)
            || !Objects.equals(status.getReason(), reason.name());
    status.setPhase(phase);
    status.setReason(reason.name());
    status.setMessage(message);
    Conditions.set(
        status.getConditions(),
        Conditions.READY,
        READY.equals(phase) ? Conditions.TRUE : Conditions.FALSE,
        reason.name(),
        message,
        status.getObservedGeneration(),
        in.now());
    if (changed) {
      notes.add(new Note(reason, message));
    }
    return status;
  }

  private static boolean isFinished(Run run) {
    return run.getStatus() != null && RunProgress.isFinished(run.getStatus().getPhase());
  }
}

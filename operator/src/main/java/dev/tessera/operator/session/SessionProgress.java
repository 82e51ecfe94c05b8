package dev.tessera.operator.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.api.v1alpha1.AttemptStatus;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.AuthSessionStatus;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.operator.naming.Names;
import dev.tessera.operator.project.ProjectValidation;
import dev.tessera.operator.run.RunAdmission;
import dev.tessera.operator.run.RunProgress;
import dev.tessera.operator.status.Conditions;
import dev.tessera.operator.status.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The state machine of an AuthSession, from what was observed to the next status and whether to
 * start an {@code AuthSession:Create} Run. Pure.
 *
 * <p>Pending (waiting for its project or credentials) → Creating (a create Run is running) → Ready
 * (the state Secret holds a state whose check passed) or Failed (the create Run did not succeed);
 * Ready becomes Expired when a Run that may not recreate finds every check failing. A Run that may
 * recreate starts an {@code AuthSession:Validate} Run instead: the session is Creating (reason
 * Recreating) while it runs, then Ready again, or Failed when it could not log in. A change of the
 * credentials Secret starts a new create, so fixing the Secret recovers a Failed session without
 * deleting anything. The last few finished operation Runs are kept, older ones deleted.
 */
public final class SessionProgress {
  public static final String PENDING = "Pending";
  public static final String CREATING = "Creating";
  public static final String READY = "Ready";
  public static final String FAILED = "Failed";
  public static final String EXPIRED = "Expired";

  /** How often a session waiting for something it cannot watch looks again. */
  public static final Duration RECHECK = Duration.ofSeconds(30);

  /** How many finished operation Runs of a session are kept (the latest create always is). */
  public static final int HISTORY = 5;

  private static final Pattern CREATE_NUMBER = Pattern.compile("-create-(\\d+)$");

  private static final ObjectMapper JSON = new ObjectMapper();

  private SessionProgress() {}

  /**
   * What the reconciler saw.
   *
   * @param session the AuthSession
   * @param project its project's spec, or null when it does not exist
   * @param credentialsVersion the credentials Secret's resourceVersion, or null when it is missing
   *     or has no keys
   * @param credentialKeys the credentials Secret's keys, or null when unknown
   * @param operations the session's operation Runs (create and validate), oldest first
   * @param lockHolder the holder identity of the session's lock, or null when it is free
   * @param now the time of the decision
   */
  public record Observation(
      AuthSession session,
      ProjectSpec project,
      String credentialsVersion,
      Set<String> credentialKeys,
      List<Run> operations,
      String lockHolder,
      Instant now) {}

  /**
   * The decision.
   *
   * @param status the new status
   * @param startCreate the number of the create Run to start, or null
   * @param notes Events to record
   * @param requeueAfter when to look again, or null
   * @param prune finished operation Runs to delete (beyond the history kept)
   */
  public record Decision(
      AuthSessionStatus status,
      Integer startCreate,
      List<Note> notes,
      Duration requeueAfter,
      List<String> prune) {

    Decision(AuthSessionStatus status, Integer startCreate, List<Note> notes, Duration requeue) {
      this(status, startCreate, notes, requeue, List.of());
    }
  }

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
    status.setLockHolder(in.lockHolder());
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

    if (in.credentialKeys() != null) {
      Set<String> missing =
          new TreeSet<>(
              ProjectValidation.credentialKeys(in.project().getAuthentication().getCreate()));
      missing.removeAll(in.credentialKeys());
      if (!missing.isEmpty()) {
        return waiting(
            status,
            Reason.CredentialsSecretInvalid,
            "Secret \""
                + session.getSpec().getCredentialsSecretRef().getName()
                + "\" has no key "
                + String.join(", ", missing)
                + ", which the project's create API reads as $(credentials."
                + missing.iterator().next()
                + "); add it",
            in,
            notes);
      }
    }
    List<Run> creates =
        in.operations().stream()
            .filter(r -> RunAdmission.CREATE.equals(r.getSpec().getOperation()))
            .toList();
    Run lastCreate = creates.isEmpty() ? null : creates.get(creates.size() - 1);
    boolean credentialsChanged =
        status.getObservedCredentialsVersion() != null
            && !Objects.equals(status.getObservedCredentialsVersion(), in.credentialsVersion());
    if (lastCreate == null || (credentialsChanged && isFinished(lastCreate))) {
      int next = nextCreateNumber(creates);
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
    List<String> prune = prune(in.operations(), lastCreate);
    Run latest = in.operations().get(in.operations().size() - 1);
    String operation = latest.getMetadata().getName();
    boolean create = RunAdmission.CREATE.equals(latest.getSpec().getOperation());
    if (!isFinished(latest)) {
      status.setLastOperation(operation);
      if (create) {
        set(
            status,
            CREATING,
            Reason.Creating,
            "logging in with AuthSession:Create Run " + operation,
            in,
            notes);
      } else {
        set(
            status,
            CREATING,
            Reason.Recreating,
            "a Run found every check failing; AuthSession:Validate Run "
                + operation
                + " checks the state again and logs in if it must",
            in,
            notes);
      }
      return new Decision(status, null, notes, null, prune);
    }
    boolean accounted =
        Objects.equals(status.getLastOperation(), operation)
            && List.of(READY, EXPIRED, FAILED).contains(status.getPhase());
    if (accounted) {
      return new Decision(
          status, null, notes, FAILED.equals(status.getPhase()) ? RECHECK : null, prune);
    }
    boolean firstLook =
        !Objects.equals(status.getLastOperation(), operation) || CREATING.equals(status.getPhase());
    status.setLastOperation(operation);
    String phase = latest.getStatus().getPhase();
    if (RunProgress.SUCCEEDED.equals(phase)) {
      AttemptStatus attempt = RunProgress.current(latest.getStatus());
      int logins =
          attempt == null
                  || attempt.getValidation() == null
                  || attempt.getValidation().getCreates() == null
              ? 0
              : attempt.getValidation().getCreates();
      String when = latest.getStatus().getCompletionTime();
      if (firstLook) {
        status.setLastValidated(when);
        if (create || logins > 0) {
          status.setLastCreated(when);
        }
        if (!create && logins > 0) {
          status.setRecreations(
              (status.getRecreations() == null ? 0 : status.getRecreations()) + 1);
        }
      }
      status.setStateSecretName(Names.sessionState(name));
      String message =
          create
              ? "logged in by " + operation + "; the state passed its check"
              : logins > 0
                  ? "recreated by "
                      + operation
                      + " after its state expired; the new state passed"
                      + " its check"
                  : operation + " found the state valid";
      set(status, READY, Reason.SessionReady, message, in, notes);
      return new Decision(status, null, notes, null, prune);
    }
    String why = latest.getStatus().getReason() + ": " + latest.getStatus().getMessage();
    set(
        status,
        FAILED,
        create ? Reason.CreateFailed : Reason.RecreateFailed,
        (create ? "AuthSession:Create Run " : "AuthSession:Validate Run ")
            + operation
            + " did not succeed ("
            + why
            + "); fix the credentials Secret to try again",
        in,
        notes);
    return new Decision(status, null, notes, RECHECK, prune);
  }

  /** The number of the next create Run: one more than the highest kept. */
  private static int nextCreateNumber(List<Run> creates) {
    int highest = creates.size();
    for (Run run : creates) {
      Matcher matcher = CREATE_NUMBER.matcher(run.getMetadata().getName());
      if (matcher.find()) {
        highest = Math.max(highest, Integer.parseInt(matcher.group(1)));
      }
    }
    return highest + 1;
  }

  /**
   * Finished operation Runs beyond the newest {@link #HISTORY}, except the latest create (its
   * number is the base of the next one).
   */
  private static List<String> prune(List<Run> operations, Run lastCreate) {
    List<Run> finished = operations.stream().filter(SessionProgress::isFinished).toList();
    List<String> prune = new ArrayList<>();
    for (int i = 0; i < finished.size() - HISTORY; i++) {
      if (finished.get(i) != lastCreate) {
        prune.add(finished.get(i).getMetadata().getName());
      }
    }
    return prune;
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

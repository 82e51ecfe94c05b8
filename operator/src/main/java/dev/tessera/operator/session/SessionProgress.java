package dev.tessera.operator.session;

import dev.tessera.api.protocol.AttemptResult;
import dev.tessera.api.protocol.ErrorCode;
import dev.tessera.api.v1alpha1.AttemptStatus;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.AuthSessionStatus;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.api.v1alpha1.Reason;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.RunPhase;
import dev.tessera.api.v1alpha1.SecretReference;
import dev.tessera.api.v1alpha1.SessionOperation;
import dev.tessera.api.v1alpha1.SessionOperationStatus;
import dev.tessera.api.v1alpha1.SessionPhase;
import dev.tessera.api.v1alpha1.ValidationStatus;
import dev.tessera.operator.naming.Names;
import dev.tessera.operator.project.ProjectValidation;
import dev.tessera.operator.status.Conditions;
import dev.tessera.operator.status.StatusWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The state machine of an AuthSession, the only owner of a session's status, state Secret and lock:
 * from what was observed (the session, its state, its lock, its operation Runs and the facts other
 * Runs report in their own status) to the next status and what to do. Pure.
 *
 * <p>Pending (waiting for its project, credentials or proxy Secret; a Runtime session waits for its
 * first Run) → Creating (an {@code AuthSession:Create} Run logs in) → Ready (the state Secret holds
 * a state whose check passed) or Failed (the site refused the login). Ready becomes Expired when a
 * Run that may not recreate it found every check failing, or when its state cannot be read; when a
 * Run asks for a recreation (its checks failed and it may recreate), one {@code
 * AuthSession:Validate} Run logs in again, however many Runs asked. A change of the credentials
 * Secret, of the proxy, or a new {@code tessera.dev/update} annotation starts an {@code
 * AuthSession:Update}: the state is replaced only when it succeeds.
 *
 * <p>Only this controller starts operation Runs, and it records each one's UID in {@code
 * status.operation}: that record is what admits an operation Run. It holds the session's lock for
 * the operation's whole life and stores the state the operation reported. An operation that ends
 * before the site answered (runner crashed, Pod deleted, timeout) is Interrupted, never counted as
 * the site refusing the credentials.
 */
public final class SessionProgress {
  /** The annotation that asks for an update when set to a new value (like a force-sync). */
  public static final String UPDATE_ANNOTATION = "tessera.dev/update";

  /** The annotation that starts a new recording of a Recorder session when set to a new value. */
  public static final String RECORD_ANNOTATION = "tessera.dev/record";

  /** How often a session waiting for something it cannot watch looks again. */
  public static final Duration RECHECK = Duration.ofSeconds(30);

  /** How often a session looks again while it waits for its lock. */
  public static final Duration LOCK_POLL = Duration.ofSeconds(2);

  /** How many finished operation and health-check Runs of a session are kept. */
  public static final int HISTORY = 5;

  /** The wait before an interrupted create or update is started again, doubled each time. */
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(10);

  /** The longest wait before an interrupted create or update is started again. */
  static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  /** The share of a health-check interval by which sessions spread their checks. */
  static final double JITTER = 0.1;

  /** The least health-check interval, as the CRD requires: every check starts a browser. */
  static final Duration MIN_HEALTH_CHECK_INTERVAL = Duration.ofMinutes(1);

  private static final Pattern DURATION_PART = Pattern.compile("([0-9]+)([smh])");

  private SessionProgress() {}

  /**
   * What the reconciler saw.
   *
   * @param session the AuthSession
   * @param project its project's spec, or null when it does not exist
   * @param credentialsVersion the credentials Secret's resourceVersion, or null when it is missing
   *     or has no keys
   * @param credentialKeys the credentials Secret's keys, or null when unknown
   * @param proxy the proxy's fingerprint, or null without a proxy
   * @param proxyProblem why the proxy cannot be used, or null
   * @param runs every Run that names the session: its operations, health checks and users' Runs
   * @param state the stored state
   * @param lockHolder the holder identity of the session's lock, or null when it is free
   * @param report what the operation in flight reported, once it finished (null otherwise)
   * @param now the time of the decision
   * @param recording the Pod of the recording in flight, or null (none, or not created yet)
   */
  public record Observation(
      AuthSession session,
      ProjectSpec project,
      String credentialsVersion,
      Set<String> credentialKeys,
      String proxy,
      String proxyProblem,
      List<Run> runs,
      SessionSecrets.State state,
      String lockHolder,
      AttemptResult report,
      Instant now,
      RecorderAccess.PodView recording) {

    /** What the reconciler saw when no recording is in flight. */
    public Observation(
        AuthSession session,
        ProjectSpec project,
        String credentialsVersion,
        Set<String> credentialKeys,
        String proxy,
        String proxyProblem,
        List<Run> runs,
        SessionSecrets.State state,
        String lockHolder,
        AttemptResult report,
        Instant now) {
      this(
          session,
          project,
          credentialsVersion,
          credentialKeys,
          proxy,
          proxyProblem,
          runs,
          state,
          lockHolder,
          report,
          now,
          null);
    }
  }

  /**
   * An operation Run to start (under the lock, recorded in the status before it is created).
   *
   * @param kind what it does
   * @param name the Run's name
   * @param replacesGeneration for a recreation, the generation found invalid
   * @param runtimeCredentials for a Runtime session, the Secret of the Run that asked
   */
  public record Start(
      SessionOperation kind,
      String name,
      Integer replacesGeneration,
      SecretReference runtimeCredentials) {}

  /**
   * The decision.
   *
   * @param status the new status
   * @param start the operation Run to start, or null
   * @param adopt the operation Run recorded without its UID yet (to find or create), or null
   * @param healthCheck the health-check Run to create, or null
   * @param store the operation whose reported state to store now, or null
   * @param releaseLock whether to give up the lock (the operation holding it ended)
   * @param renewLock the lock identity to renew (an operation runs), or null
   * @param notes Events to record
   * @param requeueAfter when to look again, or null
   * @param prune finished operation and health-check Runs to delete
   */
  public record Decision(
      AuthSessionStatus status,
      Start start,
      String adopt,
      String healthCheck,
      String store,
      boolean releaseLock,
      String renewLock,
      List<Note> notes,
      Duration requeueAfter,
      List<String> prune) {}

  /** An Event to record. */
  public record Note(Reason reason, String message) {}

  /** The lock identity of an operation: {@code AuthSession:Validate/demo-alice-validate-3}. */
  public static String lockIdentity(SessionOperation kind, String name) {
    return kind.value() + "/" + name;
  }

  /** Whether a Run is one of the session's operations. */
  public static boolean isOperation(Run run) {
    return run.getSpec().getOperation() != null;
  }

  /** Whether a Run is one of the session's health checks. */
  public static boolean isHealthCheck(Run run) {
    return run.getMetadata().getLabels() != null
        && dev.tessera.operator.naming.Labels.SESSION_HEALTH.equals(
            run.getMetadata().getLabels().get(dev.tessera.operator.naming.Labels.COMPONENT));
  }

  /**
   * What a users' Run tells its session, the only part of it the session decides on: per Attempt,
   * whether it waits, asked for a recreation (and when, of which generation) or found a state
   * invalid. A change elsewhere in the Run (its phase, a Pod, a result) is not the session's
   * concern, and does not wake it.
   */
  public static List<String> reportedFacts(Run run) {
    if (run.getStatus() == null || run.getStatus().getAttempts() == null) {
      return List.of();
    }
    List<String> facts = new ArrayList<>();
    for (AttemptStatus attempt : run.getStatus().getAttempts()) {
      ValidationStatus v = attempt.getValidation();
      boolean invalid = v != null && "Invalid".equals(v.getOutcome());
      boolean asked = v != null && Boolean.TRUE.equals(v.getRecreationRequested());
      if (attempt.getWaitingFor() == null && !invalid && !asked) {
        continue;
      }
      facts.add(
          attempt.getNumber()
              + "|"
              + attempt.getWaitingFor()
              + "|"
              + (invalid ? "invalid" : "")
              + "|"
              + (asked ? "asked " + v.getRequestedAt() : "")
              + "|"
              + (v == null ? null : v.getStateGeneration())
              + "|"
              + attempt.getPhase());
    }
    return facts;
  }

  /** Whether a Run is the session's own: one of its operations or health checks. */
  public static boolean isOwn(Run run) {
    return isOperation(run) || isHealthCheck(run);
  }

  public static Decision decide(Observation in) {
    return new Decider(in).decide();
  }

  /** One decision's working state. */
  private static final class Decider {
    private final Observation in;
    private final AuthSession session;
    private final AuthSessionStatus status;
    private final List<Note> notes = new ArrayList<>();
    private final String type;
    private final boolean runtime;
    private final boolean recorder;
    private Start start;
    private String adopt;
    private String healthCheck;
    private String store;
    private boolean releaseLock;
    private String renewLock;
    private Duration requeue;

    Decider(Observation in) {
      this.in = in;
      this.session = in.session();
      this.status =
          StatusWriter.workingCopy(
              session.getStatus(),
              AuthSessionStatus.class,
              AuthSessionStatus::new,
              session.getMetadata().getGeneration());
      this.type = session.getSpec().getType();
      this.runtime = "Runtime".equals(type);
      this.recorder = "Recorder".equals(type);
    }

    Decision decide() {
      status.setLockHolder(in.lockHolder());
      if (!recorder) {
        status.setRecorderAccess(null);
      }
      List<Run> operations = in.runs().stream().filter(SessionProgress::isOperation).toList();
      List<String> prune = prune(in.runs());
      SessionOperationStatus op = status.getOperation();
      boolean inFlight = op != null && SessionOperationStatus.RUNNING.equals(op.getOutcome());
      if (inFlight) {
        followOperation(op, operations);
        if (SessionOperationStatus.RUNNING.equals(op.getOutcome())) {
          return decision(prune);
        }
      }
      observeState();
      Unmet unmet = unmet(in, runtime);
      if (unmet != null) {
        set(status, SessionPhase.Pending, unmet.reason(), unmet.message(), in, notes);
        requeue(RECHECK);
        return decision(prune);
      }
      if (!runtime && !recorder && !"Credentials".equals(type)) {
        set(
            status,
            SessionPhase.Pending,
            Reason.SessionTypeNotSupported,
            "sessions of type " + type + " are not run by this version of the operator",
            in,
            notes);
        return decision(prune);
      }
      if (nextOperation(operations)) {
        return decision(prune);
      }
      scheduleHealthCheck();
      if (SessionPhase.Failed.is(status.getPhase())) {
        requeue(RECHECK);
      }
      return decision(prune);
    }

    private Decision decision(List<String> prune) {
      return new Decision(
          status, start, adopt, healthCheck, store, releaseLock, renewLock, notes, requeue, prune);
    }

    private void requeue(Duration after) {
      if (after != null && (requeue == null || after.compareTo(requeue) < 0)) {
        requeue = after.isNegative() ? Duration.ZERO : after;
      }
    }

    /** An operation runs: keep its lock, show it, and apply its outcome once it ends. */
    private void followOperation(SessionOperationStatus op, List<Run> operations) {
      Run run =
          operations.stream()
              .filter(r -> r.getMetadata().getName().equals(op.getName()))
              .findFirst()
              .orElse(null);
      if (op.getUid() == null) {
        adopt = op.getName();
        renewLock = lockIdentity(op.getKind(), op.getName());
        running(op);
        requeue(LOCK_POLL);
        return;
      }
      if (run == null || !op.getUid().equals(run.getMetadata().getUid())) {
        // deleted (by a user, or with its history) before it ended
        ended(op, SessionOperationStatus.INTERRUPTED, ErrorCode.RunnerCrashed.name(), null);
        return;
      }
      if (!RunPhase.isFinished(run.getStatus() == null ? null : run.getStatus().getPhase())) {
        renewLock = lockIdentity(op.getKind(), op.getName());
        running(op);
        return;
      }
      AttemptStatus attempt = current(run);
      String code =
          attempt == null || attempt.getError() == null ? null : attempt.getError().getCode();
      if (RunPhase.Succeeded.is(run.getStatus().getPhase())) {
        ended(op, SessionOperationStatus.SUCCEEDED, null, attempt);
      } else if (refused(run, code)) {
        ended(op, SessionOperationStatus.REFUSED, code, attempt);
      } else {
        ended(
            op,
            SessionOperationStatus.INTERRUPTED,
            code == null ? ErrorCode.RunnerCrashed.name() : code,
            attempt);
      }
    }

    /**
     * Whether the site refused an operation's login: its create, or the check after it, ran and
     * failed (a recording that no human finished counts too: a human must act).
     */
    private boolean refused(Run run, String code) {
      if (recorder) {
        return true;
      }
      return RunPhase.Canceled.is(run.getStatus().getPhase())
          && (ErrorCode.CreateAttemptsFailed.name().equals(code)
              || ErrorCode.CredentialsRejected.name().equals(code)
              || ErrorCode.PostCreateCheckAttemptsFailed.name().equals(code));
    }

    private void ended(
        SessionOperationStatus op, String outcome, String code, AttemptStatus attempt) {
      op.setOutcome(outcome);
      op.setCode(code);
      op.setCompletionTime(in.now().toString());
      releaseLock = true;
      status.setLockHolder(null);
      status.setRecorderAccess(null);
      status.setLastOperation(op.getName());
      String name = op.getName();
      String sessionName = session.getMetadata().getName();
      switch (outcome) {
        case SessionOperationStatus.SUCCEEDED -> {
          op.setInterruptions(0);
          int logins =
              attempt == null
                      || attempt.getValidation() == null
                      || attempt.getValidation().getCreates() == null
                  ? 0
                  : attempt.getValidation().getCreates();
          status.setLastValidated(in.now().toString());
          status.setRejectedCredentialsVersion(null);
          boolean stored =
              in.report() != null
                  && in.report().storageState() != null
                  && !name.equals(in.state().createdBy());
          if (stored) {
            store = name;
            status.setStateGeneration(in.state().generation() + 1);
            status.setStateCreatedBy(name);
          }
          if (logins > 0 || stored) {
            status.setLastCreated(in.now().toString());
            status.setStateSecretName(Names.sessionState(sessionName));
          }
          if (op.getKind() == SessionOperation.VALIDATE && logins > 0) {
            status.setRecreations(
                (status.getRecreations() == null ? 0 : status.getRecreations()) + 1);
          }
          String message =
              switch (op.getKind()) {
                case CREATE -> "logged in by " + name + "; the state passed its check";
                case UPDATE -> "updated by " + name + "; the new state passed its check";
                case VALIDATE ->
                    logins > 0
                        ? "recreated by "
                            + name
                            + " after its state expired; the new state passed its check"
                        : name + " found the state valid";
              };
          set(status, SessionPhase.Ready, Reason.SessionReady, message, in, notes);
        }
        case SessionOperationStatus.REFUSED -> {
          op.setInterruptions(0);
          if (ErrorCode.CredentialsRejected.name().equals(code) && !runtime) {
            rejected(op, attempt);
            return;
          }
          switch (op.getKind()) {
            case CREATE ->
                set(
                    status,
                    SessionPhase.Failed,
                    recorder ? Reason.RecordingFailed : Reason.CreateFailed,
                    "AuthSession:Create Run "
                        + name
                        + " did not succeed ("
                        + code
                        + (recorder
                            ? "); record again: kubectl annotate authsession "
                                + sessionName
                                + " "
                                + RECORD_ANNOTATION
                                + "=\"$(date +%s)\" --overwrite"
                            : "); the site refused the login: fix the credentials Secret to try"
                                + " again"),
                    in,
                    notes);
            case UPDATE ->
                set(
                    status,
                    hasState() ? SessionPhase.Ready : SessionPhase.Failed,
                    Reason.UpdateFailed,
                    "AuthSession:Update Run "
                        + name
                        + " did not succeed ("
                        + code
                        + ")"
                        + (hasState() ? "; the previous state is kept and still used" : ""),
                    in,
                    notes);
            case VALIDATE ->
                set(
                    status,
                    SessionPhase.Failed,
                    Reason.RecreateFailed,
                    "AuthSession:Validate Run "
                        + name
                        + " did not succeed ("
                        + code
                        + "): the site refused the login"
                        + (runtime
                            ? "; the next Run brings credentials and tries again"
                            : "; fix the credentials Secret to try again"),
                    in,
                    notes);
          }
        }
        default -> {
          int interruptions = (op.getInterruptions() == null ? 0 : op.getInterruptions()) + 1;
          op.setInterruptions(interruptions);
          String why =
              op.getKind().value()
                  + " Run "
                  + name
                  + " ended before the site answered ("
                  + code
                  + "); the credentials are not in question";
          switch (op.getKind()) {
            case CREATE ->
                set(
                    status,
                    recorder ? SessionPhase.Failed : SessionPhase.Pending,
                    recorder ? Reason.RecordingFailed : Reason.CreateInterrupted,
                    why + "; it starts again in " + backoff(interruptions).toSeconds() + " s",
                    in,
                    notes);
            case UPDATE ->
                set(
                    status,
                    hasState() ? SessionPhase.Ready : SessionPhase.Pending,
                    Reason.UpdateInterrupted,
                    why + "; it starts again in " + backoff(interruptions).toSeconds() + " s",
                    in,
                    notes);
            case VALIDATE ->
                set(
                    status,
                    SessionPhase.Expired,
                    Reason.RecreationInterrupted,
                    why + "; the next Run or health check recreates the state",
                    in,
                    notes);
          }
        }
      }
    }

    /**
     * The site rejected the credentials: no Run, health check or JobRun logs in with this version
     * of the credentials Secret again, until it changes or the update annotation is set. An update
     * keeps the state it had, which stays usable until it expires.
     */
    private void rejected(SessionOperationStatus op, AttemptStatus attempt) {
      status.setRejectedCredentialsVersion(in.credentialsVersion());
      String site =
          attempt == null || attempt.getError() == null ? null : attempt.getError().getMessage();
      boolean kept = op.getKind() == SessionOperation.UPDATE && hasState();
      set(
          status,
          kept ? SessionPhase.Ready : SessionPhase.Failed,
          Reason.CredentialsRejected,
          op.getKind().value()
              + " Run "
              + op.getName()
              + ": "
              + (site == null ? "the site rejected the credentials" : site)
              + "; nothing logs in with them again: fix the credentials Secret "
              + credentialsSecretName()
              + ", or set the "
              + UPDATE_ANNOTATION
              + " annotation to try them once more"
              + (kept ? "; the previous state is kept and still used" : ""),
          in,
          notes);
    }

    /** Whether the site rejected the current version of the credentials Secret. */
    private boolean credentialsRejected() {
      return !runtime
          && status.getRejectedCredentialsVersion() != null
          && status.getRejectedCredentialsVersion().equals(in.credentialsVersion());
    }

    private String credentialsSecretName() {
      return session.getSpec().getCredentialsSecretRef() == null
          ? ""
          : session.getSpec().getCredentialsSecretRef().getName();
    }

    /** The state as stored: an unreadable one expires the session. */
    private void observeState() {
      SessionSecrets.State state = in.state();
      if (store != null) {
        // the state an operation just reported replaces the one read
        return;
      }
      status.setStateGeneration(state.generation() == 0 ? null : state.generation());
      status.setStateCreatedBy(state.createdBy());
      if (state.unreadable() && !SessionPhase.Pending.is(status.getPhase())) {
        set(
            status,
            SessionPhase.Expired,
            Reason.StateUnreadable,
            "the state Secret "
                + Names.sessionState(session.getMetadata().getName())
                + " (generation "
                + state.generation()
                + ") cannot be read; the next Run that may recreate the session does",
            in,
            notes);
      }
    }

    /** Starts the operation the session needs, if any. Returns whether it decided one. */
    private boolean nextOperation(List<Run> operations) {
      SessionOperationStatus last = status.getOperation();
      String sessionName = session.getMetadata().getName();
      if (last == null && runtime) {
        if (!recreationRequests().isEmpty()) {
          return recreate(operations);
        }
        status.setObservedProxy(in.proxy());
        set(
            status,
            SessionPhase.Pending,
            Reason.WaitingForFirstRun,
            "a Runtime session is created by its first Run, with the credentials that Run brings"
                + " in spec.authSession.runtimeCredentialsSecretRef",
            in,
            notes);
        return true;
      }
      if (last == null) {
        return issue(new Start(SessionOperation.CREATE, next(operations, "-create-"), null, null));
      }
      boolean interrupted = SessionOperationStatus.INTERRUPTED.equals(last.getOutcome());
      if (interrupted && last.getKind() != SessionOperation.VALIDATE && !recorder) {
        Instant due =
            Instant.parse(last.getCompletionTime())
                .plus(backoff(last.getInterruptions() == null ? 1 : last.getInterruptions()));
        if (in.now().isBefore(due)) {
          requeue(Duration.between(in.now(), due));
          return true;
        }
        if (last.getKind() == SessionOperation.CREATE || !hasState()) {
          return issue(
              new Start(SessionOperation.CREATE, next(operations, "-create-"), null, null));
        }
        return issue(new Start(SessionOperation.UPDATE, next(operations, "-update-"), null, null));
      }
      if (in.lockHolder() == null && recorder) {
        String request = annotation(RECORD_ANNOTATION);
        if (request != null && !request.equals(status.getObservedRecordRequest())) {
          return issue(
              new Start(SessionOperation.CREATE, next(operations, "-create-"), null, null));
        }
      }
      if (in.lockHolder() == null) {
        Start update = update(operations);
        if (update != null) {
          return issue(update);
        }
      }
      if (!recreationRequests().isEmpty() && credentialsRejected()) {
        if (!SessionPhase.Failed.is(status.getPhase())) {
          set(
              status,
              SessionPhase.Failed,
              Reason.CredentialsRejected,
              "the state expired, and the site rejected the credentials of Secret "
                  + credentialsSecretName()
                  + " at the last login: fix the Secret, or set the "
                  + UPDATE_ANNOTATION
                  + " annotation to try them once more",
              in,
              notes);
        }
        return false;
      }
      if (!recreationRequests().isEmpty()
          && (runtime || !SessionPhase.Failed.is(status.getPhase()))) {
        return recreate(operations);
      }
      expireOnReportedFacts(sessionName);
      return false;
    }

    /** One recreation for every Attempt that asked for the current state's. */
    private boolean recreate(List<Run> operations) {
      List<Run> requests = recreationRequests();
      Run first = requests.get(0);
      SecretReference credentials =
          runtime ? first.getSpec().getAuthSession().getRuntimeCredentialsSecretRef() : null;
      return issue(
          new Start(
              SessionOperation.VALIDATE,
              next(operations, "-validate-"),
              in.state().generation(),
              credentials));
    }

    /**
     * The unfinished Runs whose current Attempt asked for a recreation of the current state since
     * the last one ended, oldest request first.
     */
    private List<Run> recreationRequests() {
      SessionOperationStatus last = status.getOperation();
      int generation = in.state().generation();
      Instant lastEnded =
          last != null
                  && last.getKind() == SessionOperation.VALIDATE
                  && last.getReplacesGeneration() != null
                  && last.getReplacesGeneration() == generation
                  && last.getCompletionTime() != null
              ? Instant.parse(last.getCompletionTime())
              : null;
      return in.runs().stream()
          .filter(r -> !isOperation(r))
          .filter(r -> r.getStatus() != null && !RunPhase.isFinished(r.getStatus().getPhase()))
          .filter(
              r -> {
                AttemptStatus attempt = current(r);
                ValidationStatus v = attempt == null ? null : attempt.getValidation();
                return attempt != null
                    && attempt.getWaitingFor() != null
                    && v != null
                    && Boolean.TRUE.equals(v.getRecreationRequested())
                    && v.getStateGeneration() != null
                    && v.getStateGeneration() == generation
                    && v.getRequestedAt() != null
                    && (lastEnded == null || Instant.parse(v.getRequestedAt()).isAfter(lastEnded));
              })
          .sorted(
              Comparator.comparing(
                  (Run r) -> current(r).getValidation().getRequestedAt(),
                  Comparator.nullsLast(Comparator.naturalOrder())))
          .toList();
    }

    /**
     * A Ready session whose current state a Run found invalid since it was last validated, and that
     * nobody asked to recreate, is Expired.
     */
    private void expireOnReportedFacts(String sessionName) {
      if (!SessionPhase.Ready.is(status.getPhase())) {
        return;
      }
      int generation = in.state().generation();
      Instant validated =
          status.getLastValidated() == null
              ? Instant.EPOCH
              : Instant.parse(status.getLastValidated());
      for (Run run : in.runs()) {
        if (isOperation(run) || run.getStatus() == null || run.getStatus().getAttempts() == null) {
          continue;
        }
        for (AttemptStatus attempt : run.getStatus().getAttempts()) {
          ValidationStatus v = attempt.getValidation();
          boolean invalid =
              v != null
                  && v.getStateGeneration() != null
                  && v.getStateGeneration() == generation
                  && "Invalid".equals(v.getOutcome())
                  && !Boolean.TRUE.equals(v.getRecreationRequested());
          String when =
              attempt.getCompletionTime() != null
                  ? attempt.getCompletionTime()
                  : attempt.getStartTime();
          if (invalid && when != null && Instant.parse(when).isAfter(validated)) {
            set(
                status,
                SessionPhase.Expired,
                Reason.SessionExpired,
                "Run "
                    + run.getMetadata().getName()
                    + " found the state invalid; "
                    + (runtime
                        ? "the next Run recreates it"
                        : recorder
                            ? "record it again with the " + RECORD_ANNOTATION + " annotation"
                            : "the next Run or JobRun that may recreate it does so"),
                in,
                notes);
            return;
          }
        }
      }
    }

    /**
     * Starts an operation: records the inputs it uses and shows it as running. The reconciler takes
     * the lock, records the Run in the status, creates it and records its UID.
     */
    private boolean issue(Start next) {
      if (in.lockHolder() != null) {
        requeue(LOCK_POLL);
        return true;
      }
      record();
      SessionOperationStatus previous = status.getOperation();
      SessionOperationStatus op = new SessionOperationStatus();
      op.setName(next.name());
      op.setKind(next.kind());
      op.setReplacesGeneration(next.replacesGeneration());
      op.setOutcome(SessionOperationStatus.RUNNING);
      op.setStartTime(in.now().toString());
      op.setInterruptions(
          previous != null
                  && previous.getKind() == next.kind()
                  && SessionOperationStatus.INTERRUPTED.equals(previous.getOutcome())
              ? previous.getInterruptions()
              : 0);
      status.setOperation(op);
      status.setLockHolder(lockIdentity(next.kind(), next.name()));
      start = next;
      running(op);
      return true;
    }

    /** The status while an operation runs. */
    private void running(SessionOperationStatus op) {
      String name = op.getName();
      status.setLockHolder(lockIdentity(op.getKind(), name));
      switch (op.getKind()) {
        case CREATE -> {
          if (recorder) {
            // given once the Pod runs: before, nothing answers, and where the Pod runs (a
            // cluster, or a local executor that publishes its port) is not known
            status.setRecorderAccess(
                RecorderAccess.instructions(
                    session.getMetadata().getNamespace(), name, op.getUid(), in.recording()));
            if (status.getRecorderAccess() == null) {
              requeue(LOCK_POLL);
            }
            set(
                status,
                SessionPhase.AwaitingRecording,
                Reason.AwaitingRecording,
                "AuthSession:Create Run "
                    + name
                    + " serves a browser for a human to log in with"
                    + (status.getRecorderAccess() == null
                        ? ", once its Pod runs (status.recorderAccess will say how to open it)"
                        : ": " + status.getRecorderAccess()),
                in,
                notes);
          } else {
            set(
                status,
                SessionPhase.Creating,
                Reason.Creating,
                "logging in with AuthSession:Create Run " + name,
                in,
                notes);
          }
        }
        case UPDATE ->
            set(
                status,
                hasState() ? SessionPhase.Ready : SessionPhase.Creating,
                Reason.Updating,
                "AuthSession:Update Run "
                    + name
                    + " logs in with the new settings; Runs started meanwhile are rejected"
                    + " (AuthSessionLocked)",
                in,
                notes);
        case VALIDATE ->
            set(
                status,
                SessionPhase.Creating,
                Reason.Recreating,
                in.state().generation() > 0
                    ? "the state of generation "
                        + op.getReplacesGeneration()
                        + " was found invalid; AuthSession:Validate Run "
                        + name
                        + " checks it again and logs in if it must"
                    : "AuthSession:Validate Run "
                        + name
                        + " logs in with the credentials of the Run that asked for it",
                in,
                notes);
      }
    }

    /**
     * An update when the credentials Secret, the proxy or the update annotation changed since the
     * state was made; a create instead when there is no state to keep.
     */
    private Start update(List<Run> operations) {
      String request = annotation(UPDATE_ANNOTATION);
      boolean credentialsChanged =
          !runtime
              && !Objects.equals(status.getObservedCredentialsVersion(), in.credentialsVersion());
      boolean proxyChanged = !Objects.equals(status.getObservedProxy(), in.proxy());
      boolean requested = request != null && !request.equals(status.getObservedUpdateRequest());
      if (!credentialsChanged && !proxyChanged && !requested) {
        return null;
      }
      if (runtime || recorder) {
        record();
        notes.add(
            new Note(
                Reason.UpdateNotPossible,
                runtime
                    ? "a Runtime session keeps no credentials to update with; its next recreation"
                        + " (by a Run that finds the state invalid) uses the new settings"
                    : "a Recorder session is recorded again, not updated: set the "
                        + RECORD_ANNOTATION
                        + " annotation to a new value"));
        return null;
      }
      if (!hasState()) {
        return new Start(SessionOperation.CREATE, next(operations, "-create-"), null, null);
      }
      return new Start(SessionOperation.UPDATE, next(operations, "-update-"), null, null);
    }

    /** Starts the session's scheduled check when it is due. */
    private void scheduleHealthCheck() {
      if (!SessionPhase.Ready.is(status.getPhase()) || session.getSpec().getHealthCheck() == null) {
        return;
      }
      List<Run> checks = in.runs().stream().filter(SessionProgress::isHealthCheck).toList();
      Run latest = checks.isEmpty() ? null : checks.get(checks.size() - 1);
      if (latest != null && !isFinished(latest)) {
        return;
      }
      if (latest != null
          && RunPhase.Succeeded.is(latest.getStatus().getPhase())
          && (status.getLastValidated() == null
              || Instant.parse(latest.getStatus().getCompletionTime())
                  .isAfter(Instant.parse(status.getLastValidated())))) {
        status.setLastValidated(latest.getStatus().getCompletionTime());
        set(
            status,
            SessionPhase.Ready,
            Reason.HealthCheckPassed,
            "health check " + latest.getMetadata().getName() + " passed",
            in,
            notes);
      }
      Instant due = healthCheckDue(session, status, latest);
      if (!in.now().isBefore(due) && in.lockHolder() == null) {
        healthCheck = next(checks, "-health-");
        return;
      }
      requeue(Duration.between(in.now(), due));
    }

    private void record() {
      status.setObservedCredentialsVersion(in.credentialsVersion());
      status.setObservedProxy(in.proxy());
      status.setObservedUpdateRequest(annotation(UPDATE_ANNOTATION));
      status.setObservedRecordRequest(annotation(RECORD_ANNOTATION));
    }

    private String annotation(String name) {
      Map<String, String> annotations = session.getMetadata().getAnnotations();
      return annotations == null ? null : annotations.get(name);
    }

    private boolean hasState() {
      return in.state().generation() > 0 || status.getLastCreated() != null;
    }

    /** The next name {@code <session><infix><n>}: one more than the highest kept. */
    private String next(List<Run> runs, String infix) {
      String sessionName = session.getMetadata().getName();
      Pattern number = Pattern.compile(Pattern.quote(infix) + "(\\d+)$");
      int highest = 0;
      for (Run run : runs) {
        Matcher matcher = number.matcher(run.getMetadata().getName());
        if (matcher.find()) {
          highest = Math.max(highest, Integer.parseInt(matcher.group(1)));
        }
      }
      SessionOperationStatus last = status.getOperation();
      if (last != null) {
        Matcher matcher = number.matcher(last.getName());
        if (matcher.find()) {
          highest = Math.max(highest, Integer.parseInt(matcher.group(1)));
        }
      }
      return Names.sessionOperationRun(sessionName, infix, highest + 1);
    }
  }

  /** The wait before the {@code n}th interrupted create or update in a row is started again. */
  static Duration backoff(int interruptions) {
    Duration wait = FIRST_BACKOFF.multipliedBy(1L << Math.min(10, Math.max(0, interruptions - 1)));
    return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
  }

  /**
   * Finished operation and health-check Runs beyond the newest {@link #HISTORY} of each, except the
   * latest of each (its number is the base of the next one).
   */
  private static List<String> prune(List<Run> runs) {
    List<String> prune = new ArrayList<>();
    for (List<Run> group :
        List.of(
            runs.stream().filter(SessionProgress::isOperation).toList(),
            runs.stream().filter(SessionProgress::isHealthCheck).toList())) {
      List<Run> finished = group.stream().filter(SessionProgress::isFinished).toList();
      Set<String> latestOfKind = new HashSet<>();
      Map<String, Run> latest = new java.util.HashMap<>();
      for (Run run : finished) {
        latest.put(kindOf(run), run);
      }
      latest.values().forEach(r -> latestOfKind.add(r.getMetadata().getName()));
      for (int i = 0; i < finished.size() - HISTORY; i++) {
        String name = finished.get(i).getMetadata().getName();
        if (!latestOfKind.contains(name)) {
          prune.add(name);
        }
      }
    }
    return prune;
  }

  private static String kindOf(Run run) {
    return isOperation(run) ? run.getSpec().getOperation().name() : "health";
  }

  private static AttemptStatus current(Run run) {
    List<AttemptStatus> attempts = run.getStatus() == null ? null : run.getStatus().getAttempts();
    return attempts == null || attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
  }

  private static boolean isFinished(Run run) {
    return run.getStatus() != null && RunPhase.isFinished(run.getStatus().getPhase());
  }

  /** Something the session waits for before any operation can run. */
  private record Unmet(Reason reason, String message) {}

  /** What the session waits for before any operation can run, or null. */
  private static Unmet unmet(Observation in, boolean runtime) {
    AuthSession session = in.session();
    if (in.project() == null) {
      return new Unmet(
          Reason.ProjectNotFound,
          "Project \"" + session.getSpec().getProject() + "\" does not exist; create it");
    }
    if (in.project().getAuthentication() == null
        || !Boolean.TRUE.equals(in.project().getAuthentication().getEnabled())
        || in.project().getAuthentication().getCreate() == null) {
      return new Unmet(
          Reason.AuthenticationDisabled,
          "Project \""
              + session.getSpec().getProject()
              + "\" does not enable authentication with a create API");
    }
    if (in.proxyProblem() != null) {
      return new Unmet(Reason.ProxySecretNotFound, in.proxyProblem());
    }
    if (runtime || !"Credentials".equals(session.getSpec().getType())) {
      return null;
    }
    if (session.getSpec().getCredentialsSecretRef() == null) {
      return new Unmet(
          Reason.CredentialsSecretNotFound,
          "spec.credentialsSecretRef is required for type Credentials; name the Secret with the"
              + " keys the project's create API reads");
    }
    if (in.credentialsVersion() == null) {
      return new Unmet(
          Reason.CredentialsSecretNotFound,
          "Secret \""
              + session.getSpec().getCredentialsSecretRef().getName()
              + "\" is missing or has no keys; create it with the keys the project's create API"
              + " reads");
    }
    if (in.credentialKeys() != null) {
      Set<String> missing =
          new TreeSet<>(
              ProjectValidation.credentialKeys(in.project().getAuthentication().getCreate()));
      missing.removeAll(in.credentialKeys());
      if (!missing.isEmpty()) {
        return new Unmet(
            Reason.CredentialsSecretInvalid,
            "Secret \""
                + session.getSpec().getCredentialsSecretRef().getName()
                + "\" has no key "
                + String.join(", ", missing)
                + ", which the project's create API reads as $(credentials."
                + missing.iterator().next()
                + "); add it");
      }
    }
    return null;
  }

  /** When the next health check is due: an interval (plus this session's jitter) after the last. */
  static Instant healthCheckDue(AuthSession session, AuthSessionStatus status, Run latest) {
    Duration interval = parseDuration(session.getSpec().getHealthCheck().getInterval());
    Instant last = Instant.EPOCH;
    for (String time :
        new String[] {
          status.getLastValidated(),
          latest == null || latest.getStatus() == null
              ? null
              : latest.getStatus().getCompletionTime()
        }) {
      if (time != null && Instant.parse(time).isAfter(last)) {
        last = Instant.parse(time);
      }
    }
    String uid = session.getMetadata().getUid() == null ? "" : session.getMetadata().getUid();
    double share = Math.floorMod(uid.hashCode(), 1000) / 1000.0;
    long jitterMillis = (long) (interval.toMillis() * JITTER * share);
    return last.plus(interval).plusMillis(jitterMillis);
  }

  /**
   * A health-check interval such as {@code 90s}, {@code 30m}, {@code 1h30m}; never less than the
   * CRD's least interval, one minute, for an object stored before that bound existed.
   */
  static Duration parseDuration(String text) {
    Matcher matcher = DURATION_PART.matcher(text);
    Duration total = Duration.ZERO;
    while (matcher.find()) {
      long amount = Long.parseLong(matcher.group(1));
      total =
          total.plus(
              switch (matcher.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
              });
    }
    return total.compareTo(MIN_HEALTH_CHECK_INTERVAL) < 0 ? MIN_HEALTH_CHECK_INTERVAL : total;
  }

  private static AuthSessionStatus set(
      AuthSessionStatus status,
      SessionPhase phase,
      Reason reason,
      String message,
      Observation in,
      List<Note> notes) {
    boolean changed =
        !Objects.equals(status.getPhase(), phase.name())
            || !Objects.equals(status.getReason(), reason.name());
    status.setPhase(phase.name());
    status.setReason(reason.name());
    status.setMessage(message);
    Conditions.set(
        status.getConditions(),
        Conditions.READY,
        phase == SessionPhase.Ready ? Conditions.TRUE : Conditions.FALSE,
        reason.name(),
        message,
        status.getObservedGeneration(),
        in.now());
    if (changed) {
      notes.add(new Note(reason, message));
    }
    return status;
  }
}

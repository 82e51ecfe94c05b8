package dev.tessera.operator.session;

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
import dev.tessera.operator.status.StatusWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The state machine of an AuthSession, from what was observed to the next status and the operation
 * Run to start, if any. Pure.
 *
 * <p>Pending (waiting for its project, credentials or proxy Secret; a Runtime session waits for its
 * first Run) → Creating (an {@code AuthSession:Create} Run logs in) → Ready (the state Secret holds
 * a state whose check passed) or Failed (the create did not succeed). Ready becomes Expired when a
 * Run that may not recreate finds every check failing; a Run that may recreate starts an {@code
 * AuthSession:Validate} Run instead, and the session is Creating (reason Recreating) until it ends.
 * A change of the credentials Secret, of the proxy, or a new {@code tessera.dev/update} annotation
 * starts an {@code AuthSession:Update}: the state is replaced only when it succeeds. With {@code
 * spec.healthCheck}, a plain {@code AuthSession:Validate} (no lock, no login) runs on schedule;
 * when it finds the state invalid a Credentials session is recreated at once, so that Runs do not
 * pay for the login. The status shows the outcome of one operation at a time ({@code
 * lastOperation}); the last few finished operation Runs are kept, older ones deleted.
 */
public final class SessionProgress {
  public static final String PENDING = "Pending";
  public static final String CREATING = "Creating";
  public static final String READY = "Ready";
  public static final String FAILED = "Failed";
  public static final String EXPIRED = "Expired";

  /** The annotation that asks for an update when set to a new value (like a force-sync). */
  public static final String UPDATE_ANNOTATION = "tessera.dev/update";

  /** The annotation that starts a new recording of a Recorder session when set to a new value. */
  public static final String RECORD_ANNOTATION = "tessera.dev/record";

  /** Phase of a Recorder session while its hosted browser waits for a human. */
  public static final String AWAITING_RECORDING = "AwaitingRecording";

  /** How often a session waiting for something it cannot watch looks again. */
  public static final Duration RECHECK = Duration.ofSeconds(30);

  /** How many finished operation Runs of a session are kept (the latest create always is). */
  public static final int HISTORY = 5;

  /** The share of a health-check interval by which sessions spread their checks. */
  static final double JITTER = 0.1;

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
   * @param proxy the proxy's fingerprint (server, bypass, Secret version), or null without a proxy
   * @param proxyProblem why the proxy cannot be used (its Secret is missing or incomplete), or null
   * @param operations the session's operation Runs (create, update, validate), oldest first
   * @param lockHolder the holder identity of the session's lock, or null when it is free
   * @param now the time of the decision
   */
  public record Observation(
      AuthSession session,
      ProjectSpec project,
      String credentialsVersion,
      Set<String> credentialKeys,
      String proxy,
      String proxyProblem,
      List<Run> operations,
      String lockHolder,
      Instant now) {

    /** An observation of a session without a proxy. */
    public Observation(
        AuthSession session,
        ProjectSpec project,
        String credentialsVersion,
        Set<String> credentialKeys,
        List<Run> operations,
        String lockHolder,
        Instant now) {
      this(
          session,
          project,
          credentialsVersion,
          credentialKeys,
          null,
          null,
          operations,
          lockHolder,
          now);
    }
  }

  /**
   * An operation Run to start.
   *
   * @param operation {@code AuthSession:Create}, {@code AuthSession:Update} or {@code
   *     AuthSession:Validate}
   * @param name the Run's name
   * @param recreate for a validation: whether it may log in (and so takes the lock)
   */
  public record Start(String operation, String name, boolean recreate) {}

  /**
   * The decision.
   *
   * @param status the new status
   * @param start the operation Run to start, or null
   * @param notes Events to record
   * @param requeueAfter when to look again, or null
   * @param prune finished operation Runs to delete (beyond the history kept)
   */
  public record Decision(
      AuthSessionStatus status,
      Start start,
      List<Note> notes,
      Duration requeueAfter,
      List<String> prune) {}

  /** An Event to record. */
  public record Note(Reason reason, String message) {}

  public static Decision decide(Observation in) {
    AuthSession session = in.session();
    AuthSessionStatus status =
        StatusWriter.workingCopy(
            session.getStatus(),
            AuthSessionStatus.class,
            AuthSessionStatus::new,
            session.getMetadata().getGeneration());
    status.setLockHolder(in.lockHolder());
    List<Note> notes = new ArrayList<>();
    String type = session.getSpec().getType();
    boolean runtime = "Runtime".equals(type);
    boolean recorder = "Recorder".equals(type);
    if (!recorder) {
      status.setRecorderAccess(null);
    }

    Unmet unmet = unmet(in, runtime);
    if (unmet != null) {
      return waiting(status, unmet.reason(), unmet.message(), in, notes);
    }
    if (!runtime && !recorder && !"Credentials".equals(type)) {
      return new Decision(
          set(
              status,
              PENDING,
              Reason.SessionTypeNotSupported,
              "sessions of type " + type + " are not run by this version of the operator",
              in,
              notes),
          null,
          notes,
          null,
          List.of());
    }

    List<Run> operations = in.operations();
    List<String> prune = prune(operations);
    Run latest = operations.isEmpty() ? null : operations.get(operations.size() - 1);
    if (latest == null && runtime) {
      status.setObservedProxy(in.proxy());
      set(
          status,
          PENDING,
          Reason.WaitingForFirstRun,
          "a Runtime session is created by its first Run, with the credentials that Run brings in"
              + " spec.authSession.runtimeCredentialsSecretRef",
          in,
          notes);
      return new Decision(status, null, notes, null, prune);
    }
    if (latest == null) {
      return start(status, create(in), in, notes, prune);
    }
    if (!isFinished(latest)) {
      running(status, kind(latest), latest.getMetadata().getName(), in, notes);
      return new Decision(status, null, notes, null, prune);
    }
    Start follow = null;
    if (!Objects.equals(status.getLastOperation(), latest.getMetadata().getName())) {
      status.setRecorderAccess(null);
      follow = applyOutcome(status, latest, type, in, notes);
    }
    if (follow != null) {
      return start(status, follow, in, notes, prune);
    }
    if (in.lockHolder() == null && recorder) {
      String request = annotation(in, RECORD_ANNOTATION);
      if (request != null && !request.equals(status.getObservedRecordRequest())) {
        return start(status, create(in), in, notes, prune);
      }
    }
    if (in.lockHolder() == null) {
      Start update = update(status, type, in, notes);
      if (update != null) {
        return start(status, update, in, notes, prune);
      }
    }
    Duration requeue = FAILED.equals(status.getPhase()) ? RECHECK : null;
    if (READY.equals(status.getPhase()) && session.getSpec().getHealthCheck() != null) {
      Instant due = healthCheckDue(session, status, latest);
      if (!in.now().isBefore(due) && in.lockHolder() == null) {
        return new Decision(
            status,
            new Start(
                RunAdmission.VALIDATE,
                next(operations, session.getMetadata().getName(), "-health-"),
                false),
            notes,
            null,
            prune);
      }
      Duration untilDue = Duration.between(in.now(), due);
      requeue = requeue == null || untilDue.compareTo(requeue) < 0 ? untilDue : requeue;
    }
    return new Decision(status, null, notes, requeue, prune);
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

  /** The status while an operation runs. */
  private static void running(
      AuthSessionStatus status, Kind kind, String name, Observation in, List<Note> notes) {
    switch (kind) {
      case CREATE -> {
        if ("Recorder".equals(in.session().getSpec().getType())) {
          String namespace = in.session().getMetadata().getNamespace();
          status.setRecorderAccess(
              "kubectl port-forward -n "
                  + namespace
                  + " pod/"
                  + Names.attemptPod(name, 1)
                  + " 8090:8090, then open http://localhost:8090/?token=$(kubectl get secret -n "
                  + namespace
                  + " "
                  + Names.recorderToken(name)
                  + " -o jsonpath='{.data.token}' | base64 -d)");
          set(
              status,
              AWAITING_RECORDING,
              Reason.AwaitingRecording,
              "AuthSession:Create Run "
                  + name
                  + " serves a browser for a human to log in with: "
                  + status.getRecorderAccess(),
              in,
              notes);
        } else {
          set(
              status,
              CREATING,
              Reason.Creating,
              "logging in with AuthSession:Create Run " + name,
              in,
              notes);
        }
      }
      case UPDATE ->
          set(
              status,
              hasState(status) ? READY : CREATING,
              Reason.Updating,
              "AuthSession:Update Run "
                  + name
                  + " logs in with the new settings; Runs started meanwhile are rejected"
                  + " (AuthSessionLocked)",
              in,
              notes);
      case RECREATE ->
          set(
              status,
              CREATING,
              Reason.Recreating,
              hasState(status)
                  ? "the state was found invalid; AuthSession:Validate Run "
                      + name
                      + " checks it again and logs in if it must"
                  : "AuthSession:Validate Run "
                      + name
                      + " logs in with the credentials of the Run that asked for it",
              in,
              notes);
      case HEALTH_CHECK, CHECK -> {
        // a plain check changes nothing until it ends
      }
    }
  }

  /**
   * Shows how a finished operation ended. Returns the operation it calls for: a recreation when a
   * health check found a Credentials session's state invalid.
   */
  private static Start applyOutcome(
      AuthSessionStatus status, Run operation, String type, Observation in, List<Note> notes) {
    boolean runtime = "Runtime".equals(type);
    String name = operation.getMetadata().getName();
    String session = in.session().getMetadata().getName();
    status.setLastOperation(name);
    Kind kind = kind(operation);
    AttemptStatus attempt = RunProgress.current(operation.getStatus());
    String when = operation.getStatus().getCompletionTime();
    if (RunProgress.SUCCEEDED.equals(operation.getStatus().getPhase())) {
      int logins =
          attempt == null
                  || attempt.getValidation() == null
                  || attempt.getValidation().getCreates() == null
              ? 0
              : attempt.getValidation().getCreates();
      status.setLastValidated(when);
      if (logins > 0) {
        status.setLastCreated(when);
        status.setStateSecretName(Names.sessionState(session));
      }
      if (kind == Kind.RECREATE && logins > 0) {
        status.setRecreations((status.getRecreations() == null ? 0 : status.getRecreations()) + 1);
      }
      String message =
          switch (kind) {
            case CREATE -> "logged in by " + name + "; the state passed its check";
            case UPDATE -> "updated by " + name + "; the new state passed its check";
            case RECREATE ->
                logins > 0
                    ? "recreated by "
                        + name
                        + " after its state expired; the new state passed"
                        + " its check"
                    : name + " found the state valid";
            case HEALTH_CHECK -> "health check " + name + " passed";
            case CHECK -> name + " found the state valid";
          };
      set(
          status,
          READY,
          kind == Kind.HEALTH_CHECK ? Reason.HealthCheckPassed : Reason.SessionReady,
          message,
          in,
          notes);
      return null;
    }
    String code =
        attempt == null || attempt.getError() == null ? null : attempt.getError().getCode();
    String why = operation.getStatus().getReason() + ": " + operation.getStatus().getMessage();
    switch (kind) {
      case CREATE ->
          set(
              status,
              FAILED,
              "Recorder".equals(type) ? Reason.RecordingFailed : Reason.CreateFailed,
              "AuthSession:Create Run "
                  + name
                  + " did not succeed ("
                  + why
                  + ("Recorder".equals(type)
                      ? "); record again: kubectl annotate authsession "
                          + in.session().getMetadata().getName()
                          + " "
                          + RECORD_ANNOTATION
                          + "=\"$(date +%s)\" --overwrite"
                      : "); fix the credentials Secret to try again"),
              in,
              notes);
      case UPDATE -> {
        if (hasState(status)) {
          set(
              status,
              READY,
              Reason.UpdateFailed,
              "AuthSession:Update Run "
                  + name
                  + " did not succeed ("
                  + why
                  + "); the previous state is kept and still used",
              in,
              notes);
        } else {
          set(
              status,
              FAILED,
              Reason.UpdateFailed,
              "AuthSession:Update Run " + name + " did not succeed (" + why + ")",
              in,
              notes);
        }
      }
      case RECREATE ->
          set(
              status,
              FAILED,
              Reason.RecreateFailed,
              "AuthSession:Validate Run "
                  + name
                  + " did not succeed ("
                  + why
                  + ")"
                  + (runtime
                      ? "; the next Run brings credentials and tries again"
                      : "; fix the credentials Secret to try again"),
              in,
              notes);
      case HEALTH_CHECK, CHECK -> {
        if (!"CheckAttemptsFailed".equals(code)) {
          notes.add(
              new Note(
                  Reason.HealthCheckFailed,
                  "health check " + name + " could not run to its end (" + why + ")"));
          return null;
        }
        if (!"Credentials".equals(type) || kind == Kind.CHECK) {
          set(
              status,
              EXPIRED,
              Reason.SessionExpired,
              name
                  + " found the state invalid; "
                  + (runtime
                      ? "the next Run recreates it"
                      : "Recorder".equals(type)
                          ? "record it again with the " + RECORD_ANNOTATION + " annotation"
                          : "a Run or JobRun that may recreate it will"),
              in,
              notes);
          return null;
        }
        int generation =
            attempt.getValidation() == null || attempt.getValidation().getStateGeneration() == null
                ? 0
                : attempt.getValidation().getStateGeneration();
        return new Start(
            RunAdmission.VALIDATE, Names.sessionValidateRun(session, generation), true);
      }
    }
    return null;
  }

  /**
   * An update when the credentials Secret, the proxy or the update annotation changed since the
   * state was made; a create instead when there is no state to keep.
   */
  private static Start update(
      AuthSessionStatus status, String type, Observation in, List<Note> notes) {
    boolean runtime = "Runtime".equals(type);
    String request = annotation(in, UPDATE_ANNOTATION);
    boolean credentialsChanged =
        !runtime
            && !Objects.equals(status.getObservedCredentialsVersion(), in.credentialsVersion());
    boolean proxyChanged = !Objects.equals(status.getObservedProxy(), in.proxy());
    boolean requested = request != null && !request.equals(status.getObservedUpdateRequest());
    if (!credentialsChanged && !proxyChanged && !requested) {
      return null;
    }
    if (runtime || "Recorder".equals(type)) {
      record(status, in);
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
    if (!hasState(status)) {
      return create(in);
    }
    return new Start(
        RunAdmission.UPDATE,
        next(in.operations(), in.session().getMetadata().getName(), "-update-"),
        false);
  }

  private static Start create(Observation in) {
    return new Start(
        RunAdmission.CREATE,
        next(in.operations(), in.session().getMetadata().getName(), "-create-"),
        false);
  }

  /** Starts an operation: records the inputs it uses and shows it as running. */
  private static Decision start(
      AuthSessionStatus status, Start start, Observation in, List<Note> notes, List<String> prune) {
    record(status, in);
    Kind kind =
        switch (start.operation()) {
          case RunAdmission.CREATE -> Kind.CREATE;
          case RunAdmission.UPDATE -> Kind.UPDATE;
          default -> start.recreate() ? Kind.RECREATE : Kind.HEALTH_CHECK;
        };
    running(status, kind, start.name(), in, notes);
    return new Decision(status, start, notes, null, prune);
  }

  private static void record(AuthSessionStatus status, Observation in) {
    status.setObservedCredentialsVersion(in.credentialsVersion());
    status.setObservedProxy(in.proxy());
    status.setObservedUpdateRequest(annotation(in, UPDATE_ANNOTATION));
    status.setObservedRecordRequest(annotation(in, RECORD_ANNOTATION));
  }

  private static String annotation(Observation in, String name) {
    Map<String, String> annotations = in.session().getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(name);
  }

  /** When the next health check is due: an interval (plus this session's jitter) after the last. */
  static Instant healthCheckDue(AuthSession session, AuthSessionStatus status, Run latest) {
    Duration interval = parseDuration(session.getSpec().getHealthCheck().getInterval());
    Instant last = Instant.EPOCH;
    for (String time :
        new String[] {status.getLastValidated(), latest.getStatus().getCompletionTime()}) {
      if (time != null && Instant.parse(time).isAfter(last)) {
        last = Instant.parse(time);
      }
    }
    String uid = session.getMetadata().getUid() == null ? "" : session.getMetadata().getUid();
    double share = Math.floorMod(uid.hashCode(), 1000) / 1000.0;
    long jitterMillis = (long) (interval.toMillis() * JITTER * share);
    return last.plus(interval).plusMillis(jitterMillis);
  }

  /** A duration such as {@code 90s}, {@code 30m}, {@code 1h30m}. */
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
    return total.isZero() ? Duration.ofMinutes(1) : total;
  }

  /** What an operation Run does to the session. */
  enum Kind {
    CREATE,
    UPDATE,
    RECREATE,
    /** The session's own scheduled check: a failure recreates a Credentials session. */
    HEALTH_CHECK,
    /** Another plain check (a JobRun's, before its Runs): a failure only expires the session. */
    CHECK
  }

  static Kind kind(Run operation) {
    String op = operation.getSpec().getOperation();
    if (RunAdmission.CREATE.equals(op)) {
      return Kind.CREATE;
    }
    if (RunAdmission.UPDATE.equals(op)) {
      return Kind.UPDATE;
    }
    if (RunAdmission.takesLock(operation.getSpec())) {
      return Kind.RECREATE;
    }
    return operation.getMetadata().getName().matches(".*-health-\\d+$")
        ? Kind.HEALTH_CHECK
        : Kind.CHECK;
  }

  private static boolean hasState(AuthSessionStatus status) {
    return status.getLastCreated() != null;
  }

  /** The next name {@code <session><infix><n>}: one more than the highest kept. */
  private static String next(List<Run> operations, String session, String infix) {
    Pattern number = Pattern.compile(Pattern.quote(infix) + "(\\d+)$");
    int highest = 0;
    for (Run run : operations) {
      Matcher matcher = number.matcher(run.getMetadata().getName());
      if (matcher.find()) {
        highest = Math.max(highest, Integer.parseInt(matcher.group(1)));
      }
    }
    return Names.sessionOperationRun(session, infix, highest + 1);
  }

  /**
   * Finished operation Runs beyond the newest {@link #HISTORY}, except the latest of each kind (its
   * number is the base of the next one).
   */
  private static List<String> prune(List<Run> operations) {
    List<Run> finished = operations.stream().filter(SessionProgress::isFinished).toList();
    Set<Run> latestOfKind = new java.util.HashSet<>();
    for (Kind kind : Kind.values()) {
      finished.stream()
          .filter(r -> kind(r) == kind)
          .reduce((a, b) -> b)
          .ifPresent(latestOfKind::add);
    }
    List<String> prune = new ArrayList<>();
    for (int i = 0; i < finished.size() - HISTORY; i++) {
      if (!latestOfKind.contains(finished.get(i))) {
        prune.add(finished.get(i).getMetadata().getName());
      }
    }
    return prune;
  }

  private static Decision waiting(
      AuthSessionStatus status, Reason reason, String message, Observation in, List<Note> notes) {
    return new Decision(
        set(status, PENDING, reason, message, in, notes), null, notes, RECHECK, List.of());
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

package dev.tessera.operator.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.api.v1alpha1.AttemptStatus;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.JobRun;
import dev.tessera.api.v1alpha1.JobRunCounts;
import dev.tessera.api.v1alpha1.JobRunPhase;
import dev.tessera.api.v1alpha1.JobRunStatus;
import dev.tessera.api.v1alpha1.JobSpec;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.api.v1alpha1.Reason;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.RunPhase;
import dev.tessera.api.v1alpha1.SessionPhase;
import dev.tessera.api.v1alpha1.WhenLocked;
import dev.tessera.operator.naming.Names;
import dev.tessera.operator.run.RunAdmission;
import dev.tessera.operator.run.RunProgress;
import dev.tessera.operator.session.SessionSettings;
import dev.tessera.operator.status.Conditions;
import dev.tessera.operator.status.StatusWriter;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The state machine of a JobRun. Pure: from what was observed, the next status and the effects.
 *
 * <p>Pending → (the Job's spec is copied; the session must exist and be unlocked, else Canceled) →
 * Validating (one plain check of the session, {@code <jobrun>-check}; when it fails and the Job
 * allows it, one recreation, {@code <session>-validate-<generation>}; when the session cannot be
 * made valid, Canceled with {@code AuthSessionValidateDependencyFailed} and no Run) → Running (at
 * most {@code maxConcurrentRuns} Runs at once, one per payload item) → Succeeded or Failed.
 *
 * <p>Runs of a JobRun never recreate their session. When one finds it invalid it waits; the JobRun
 * recreates it once (the same {@code <session>-validate-<generation>} every waiting Run waits for),
 * or, when it may not or the recreation fails, is Paused ({@code AuthSessionInvalidMidJob}) until
 * the state is renewed (by an update or a recording), when the waiting Runs go on by themselves. A
 * user pauses, resumes and cancels with {@code spec.paused} and {@code spec.cancel}.
 */
public final class JobRunProgress {
  public static final String PENDING = JobRunPhase.Pending.name();
  public static final String VALIDATING = JobRunPhase.Validating.name();
  public static final String RUNNING = JobRunPhase.Running.name();
  public static final String PAUSED = JobRunPhase.Paused.name();
  public static final String SUCCEEDED = JobRunPhase.Succeeded.name();
  public static final String FAILED = JobRunPhase.Failed.name();
  public static final String CANCELED = JobRunPhase.Canceled.name();

  /** Annotation of a JobRun canceled by a newer one of its Job: the newer one's name. */
  public static final String REPLACED_BY_ANNOTATION = "tessera.dev/replaced-by";

  /** How often a JobRun that waits for its session looks again. */
  public static final Duration POLL = Duration.ofSeconds(2);

  private static final ObjectMapper JSON = new ObjectMapper();

  private JobRunProgress() {}

  /**
   * What the reconciler saw.
   *
   * @param jobRun the JobRun
   * @param job the Job's current spec, or null when the Job does not exist
   * @param project the project's spec (of the snapshot's project), or null
   * @param session the session the snapshot names, or null
   * @param runs the JobRun's Runs
   * @param operations the session's operation Runs, by name
   * @param lockHolder the holder of the session's lock, or null
   * @param stateGeneration the generation of the session's stored state
   * @param now the time of the decision
   * @param earlier the other active JobRuns of the same Job, created before this one
   * @param signingSecret the Secret the Job's {@code spec.sink.signingSecretRef} names, as read
   *     before the JobRun starts, or null (none named, or it does not exist)
   */
  public record Observation(
      JobRun jobRun,
      JobSpec job,
      ProjectSpec project,
      AuthSession session,
      List<Run> runs,
      Map<String, Run> operations,
      String lockHolder,
      int stateGeneration,
      Instant now,
      List<String> earlier,
      Secret signingSecret) {

    /** An observation of a JobRun whose Job's deliveries are not signed. */
    public Observation(
        JobRun jobRun,
        JobSpec job,
        ProjectSpec project,
        AuthSession session,
        List<Run> runs,
        Map<String, Run> operations,
        String lockHolder,
        int stateGeneration,
        Instant now,
        List<String> earlier) {
      this(
          jobRun,
          job,
          project,
          session,
          runs,
          operations,
          lockHolder,
          stateGeneration,
          now,
          earlier,
          null);
    }

    /** An observation of a JobRun with no other active JobRun of its Job. */
    public Observation(
        JobRun jobRun,
        JobSpec job,
        ProjectSpec project,
        AuthSession session,
        List<Run> runs,
        Map<String, Run> operations,
        String lockHolder,
        int stateGeneration,
        Instant now) {
      this(
          jobRun,
          job,
          project,
          session,
          runs,
          operations,
          lockHolder,
          stateGeneration,
          now,
          List.of());
    }
  }

  /** Something the reconciler must do. */
  public sealed interface Effect {}

  /**
   * Start the JobRun's check of its session: a Run without an API, which validates the session and
   * has it recreated when the Job allows it.
   */
  public record StartCheck(String name) implements Effect {}

  /** Create the Run of payload item {@code index} (from 0). */
  public record CreateRun(int index) implements Effect {}

  /** Cancel a Run of the JobRun. */
  public record CancelRun(String name) implements Effect {}

  /** Cancel another JobRun of the same Job (concurrencyPolicy Replace). */
  public record CancelJobRun(String name) implements Effect {}

  /** An Event to record. */
  public record Note(Reason reason, String message) {}

  /** The decision. */
  public record Decision(
      JobRunStatus status, List<Effect> effects, List<Note> notes, Duration requeueAfter) {}

  /** The name of the JobRun's plain check of its session. */
  public static String checkRun(String jobRun) {
    return Names.jobRunCheck(jobRun);
  }

  public static Decision decide(Observation in) {
    Decision decision = progress(in);
    JobRunStatus status = decision.status();
    Conditions.setSucceeded(
        status,
        isFinished(status.getPhase()),
        SUCCEEDED.equals(status.getPhase()),
        status.getReason(),
        status.getMessage(),
        in.now());
    return decision;
  }

  private static Decision progress(Observation in) {
    JobRun jobRun = in.jobRun();
    JobRunStatus status =
        StatusWriter.workingCopy(
            jobRun.getStatus(),
            JobRunStatus.class,
            JobRunStatus::new,
            jobRun.getMetadata().getGeneration());
    List<Effect> effects = new ArrayList<>();
    List<Note> notes = new ArrayList<>();
    if (isFinished(status.getPhase())) {
      return new Decision(status, effects, notes, null);
    }
    if (Boolean.TRUE.equals(jobRun.getSpec().getCancel())) {
      for (Run run : in.runs()) {
        if (!runFinished(run) && !Boolean.TRUE.equals(run.getSpec().getCancel())) {
          effects.add(new CancelRun(run.getMetadata().getName()));
        }
      }
      count(status, in.runs());
      var annotations = in.jobRun().getMetadata().getAnnotations();
      String replacedBy = annotations == null ? null : annotations.get(REPLACED_BY_ANNOTATION);
      if (replacedBy != null) {
        finish(
            status,
            CANCELED,
            Reason.ReplacedByNewerJobRun,
            "replaced by JobRun " + replacedBy + " (concurrencyPolicy Replace)",
            in,
            notes);
      } else {
        finish(
            status,
            CANCELED,
            Reason.CanceledByUser,
            "canceled by the user (spec.cancel)",
            in,
            notes);
      }
      return new Decision(status, effects, notes, null);
    }
    if (status.getPhase() == null || PENDING.equals(status.getPhase())) {
      return start(status, in, effects, notes);
    }
    JobSpec job = status.getJobSnapshot();
    if (VALIDATING.equals(status.getPhase())) {
      return validating(status, job, in, effects, notes);
    }
    return running(status, job, in, effects, notes);
  }

  private static Decision start(
      JobRunStatus status, Observation in, List<Effect> effects, List<Note> notes) {
    String jobName = in.jobRun().getSpec().getJob();
    if (in.job() == null) {
      return waitOrEnd(
          status,
          FAILED,
          Reason.JobNotFound,
          "Job \"" + jobName + "\" does not exist in the JobRun's namespace",
          null,
          in,
          effects,
          notes);
    }
    JobSpec job = JSON.convertValue(in.job(), JobSpec.class);
    status.setJobSnapshot(job);
    status.setStartTime(in.now().toString());
    if (status.getTrigger() == null) {
      var annotations = in.jobRun().getMetadata().getAnnotations();
      status.setTrigger(
          annotations != null && "Schedule".equals(annotations.get(JobProgress.TRIGGER_ANNOTATION))
              ? "Schedule"
              : "Manual");
    }
    count(status, in.runs());
    if (!in.earlier().isEmpty() && "Forbid".equals(job.getConcurrencyPolicy())) {
      finish(
          status,
          CANCELED,
          Reason.AnotherJobRunActive,
          "JobRun "
              + String.join(", ", in.earlier())
              + " of Job \""
              + jobName
              + "\" is still active and its concurrencyPolicy is Forbid",
          in,
          notes);
      return new Decision(status, effects, notes, null);
    }
    if ("Replace".equals(job.getConcurrencyPolicy())) {
      in.earlier().forEach(other -> effects.add(new CancelJobRun(other)));
    }
    if (in.project() == null) {
      return waitOrEnd(
          status,
          FAILED,
          Reason.ProjectNotFound,
          "Project \"" + job.getProject() + "\" does not exist in the JobRun's namespace",
          job,
          in,
          effects,
          notes);
    }
    // a result that could not be signed would never be delivered: fail before any Run
    SigningSecrets.Problem signing = SigningSecrets.problem(job.getSink(), in.signingSecret());
    if (signing != null) {
      finish(
          status, FAILED, signing.reason(), signing.message() + "; no Run was started", in, notes);
      return new Decision(status, effects, notes, null);
    }
    boolean authenticated =
        in.project().getAuthentication() != null
            && Boolean.TRUE.equals(in.project().getAuthentication().getEnabled());
    if (authenticated && job.getAuthSession() == null) {
      finish(
          status,
          CANCELED,
          Reason.AuthSessionRequired,
          "Project \""
              + job.getProject()
              + "\" has authentication enabled: the Job needs"
              + " spec.authSession.name",
          in,
          notes);
      return new Decision(status, effects, notes, null);
    }
    if (!authenticated) {
      admitted(status, in);
      return running(status, job, in, effects, notes);
    }
    String session = job.getAuthSession().getName();
    if (in.session() == null) {
      return waitOrEnd(
          status,
          CANCELED,
          Reason.AuthSessionNotFound,
          "AuthSession \"" + session + "\" does not exist in the JobRun's namespace",
          job,
          in,
          effects,
          notes);
    }
    if ("Runtime".equals(in.session().getSpec().getType())) {
      finish(
          status,
          CANCELED,
          Reason.NotSupported,
          "AuthSession \""
              + session
              + "\" is of type Runtime: its state is made with the"
              + " credentials a Run brings, and a Job's Runs bring none; use a Credentials or"
              + " Recorder session",
          in,
          notes);
      return new Decision(status, effects, notes, null);
    }
    String locked =
        "AuthSession \""
            + session
            + "\" is locked by "
            + in.lockHolder()
            + ", which is changing its state";
    if (in.lockHolder() != null
        && WhenLocked.orDefault(job.getAuthSession().getWhenLocked()) == WhenLocked.Reject) {
      notStarted(status, Reason.AuthSessionLocked, locked, in);
      finish(
          status,
          CANCELED,
          Reason.AuthSessionLocked,
          locked
              + "; spec.authSession.whenLocked is Reject: create the JobRun again once it has"
              + " finished",
          in,
          notes);
      return new Decision(status, effects, notes, null);
    }
    if (in.lockHolder() != null) {
      return waitOrEnd(status, CANCELED, Reason.AuthSessionLocked, locked, job, in, effects, notes);
    }
    if (!RunAdmission.usable(
        in.session(),
        SessionSettings.autoRecreate(in.session(), job.getAuthSession().getAutoRecreate()))) {
      return waitOrEnd(
          status,
          CANCELED,
          Reason.AuthSessionNotReady,
          "AuthSession \""
              + session
              + "\" is not Ready ("
              + RunAdmission.describePhase(in.session())
              + ")",
          job,
          in,
          effects,
          notes);
    }
    admitted(status, in);
    status.setPhase(VALIDATING);
    set(
        status,
        Reason.ValidatingSession,
        "checking AuthSession " + session + " with " + checkRun(name(in)) + " before any Run",
        in,
        notes);
    effects.add(new StartCheck(checkRun(name(in))));
    return new Decision(status, effects, notes, POLL);
  }

  /**
   * A JobRun that cannot start yet for something that may come by itself (its Job, its project, its
   * session, the session's lock) waits, Pending with {@code Admitted=False}, until its start
   * deadline; then it ends {@code phase} with the reason.
   *
   * @param job the Job's spec, or null when the Job does not exist (the default timeout applies)
   */
  private static Decision waitOrEnd(
      JobRunStatus status,
      String phase,
      Reason reason,
      String fact,
      JobSpec job,
      Observation in,
      List<Effect> effects,
      List<Note> notes) {
    Integer timeout = job == null ? null : job.getStartTimeoutSeconds();
    Instant deadline =
        RunAdmission.startDeadline(
            in.jobRun().getMetadata(), status.getConditions(), timeout, in.now());
    if (!in.now().isBefore(deadline)) {
      String message =
          fact
              + "; the JobRun waited for that for its Job's spec.startTimeoutSeconds ("
              + RunAdmission.startTimeoutSeconds(timeout)
              + " s)";
      notStarted(status, reason, message, in);
      finish(status, phase, reason, message, in, notes);
      return new Decision(status, effects, notes, null);
    }
    String message =
        fact
            + "; the JobRun starts as soon as that changes, and ends "
            + phase
            + " if it has not by "
            + deadline;
    status.setPhase(PENDING);
    status.setStartTime(null);
    notStarted(status, reason, message, in);
    set(status, reason, message, in, notes);
    Duration poll = reason == Reason.AuthSessionLocked ? POLL : WAIT_POLL;
    Duration untilDeadline = Duration.between(in.now(), deadline);
    return new Decision(
        status, effects, notes, untilDeadline.compareTo(poll) < 0 ? untilDeadline : poll);
  }

  /** How often a JobRun that waits to start looks again for what it waits for. */
  public static final Duration WAIT_POLL = Duration.ofSeconds(10);

  private static void notStarted(
      JobRunStatus status, Reason reason, String message, Observation in) {
    Conditions.set(
        status.getConditions(),
        Conditions.ADMITTED,
        Conditions.FALSE,
        reason.name(),
        message,
        status.getObservedGeneration(),
        in.now());
  }

  private static void admitted(JobRunStatus status, Observation in) {
    Conditions.set(
        status.getConditions(),
        Conditions.ADMITTED,
        Conditions.TRUE,
        Reason.Admitted.name(),
        "its Job, project and session are there; the JobRun starts",
        status.getObservedGeneration(),
        in.now());
  }

  private static Decision validating(
      JobRunStatus status, JobSpec job, Observation in, List<Effect> effects, List<Note> notes) {
    Run check = in.operations().get(checkRun(name(in)));
    if (check == null || !runFinished(check)) {
      return new Decision(status, effects, notes, POLL);
    }
    AttemptStatus attempt = RunProgress.current(check.getStatus());
    if (RunPhase.Succeeded.is(check.getStatus().getPhase())) {
      if (attempt != null
          && attempt.getValidation() != null
          && attempt.getValidation().getOperation() != null) {
        status.setRecreations(recreations(status) + 1);
        notes.add(
            new Note(
                Reason.Recreating,
                "the session's check failed; "
                    + attempt.getValidation().getOperation()
                    + " recreated it"));
      }
      return running(status, job, in, effects, notes);
    }
    finish(
        status,
        CANCELED,
        Reason.AuthSessionValidateDependencyFailed,
        "the session could not be validated by "
            + check.getMetadata().getName()
            + " ("
            + check.getStatus().getMessage()
            + "); no Run was started",
        in,
        notes);
    return new Decision(status, effects, notes, null);
  }

  private static Decision running(
      JobRunStatus status, JobSpec job, Observation in, List<Effect> effects, List<Note> notes) {
    count(status, in.runs());
    JobRunCounts counts = status.getCounts();
    int items = job.getPayload() == null ? 0 : job.getPayload().size();
    Duration requeue = null;

    // the Runs of a JobRun wait when their session cannot be made valid; the JobRun pauses
    String invalid = null;
    Set<String> recreatedBy = new HashSet<>();
    boolean waiting = false;
    for (Run run : in.runs()) {
      AttemptStatus attempt = RunProgress.current(run.getStatus());
      if (attempt != null
          && attempt.getValidation() != null
          && attempt.getValidation().getOperation() != null) {
        recreatedBy.add(attempt.getValidation().getOperation());
      }
      if (!runFinished(run) && attempt != null && attempt.getWaitingFor() != null) {
        waiting = true;
      }
    }
    int counted = recreations(status);
    Set<String> seen =
        new HashSet<>(status.getRecreatedBy() == null ? List.of() : status.getRecreatedBy());
    for (String op : recreatedBy) {
      if (seen.add(op)) {
        counted++;
        notes.add(
            new Note(
                Reason.Recreating, "a Run found the session invalid; " + op + " recreated it"));
      }
    }
    if (counted > 0) {
      status.setRecreations(counted);
    }
    status.setRecreatedBy(seen.isEmpty() ? null : new ArrayList<>(new java.util.TreeSet<>(seen)));
    String sessionPhase =
        in.session() == null || in.session().getStatus() == null
            ? null
            : in.session().getStatus().getPhase();
    boolean expired = SessionPhase.Expired.is(sessionPhase);
    // an Expired session the JobRun may recreate is recreated for the next Run that finds it so;
    // one it may not, or a Failed one, pauses the JobRun, whether or not a Run waits yet
    if (in.lockHolder() == null
        && (SessionPhase.Failed.is(sessionPhase)
            || (expired && (waiting || !mayRecreate(job, in))))) {
      invalid =
          "the session is "
              + sessionPhase
              + " ("
              + in.session().getStatus().getMessage()
              + ")"
              + (mayRecreate(job, in)
                  ? ""
                  : job.getAuthSession() != null
                          && Boolean.FALSE.equals(job.getAuthSession().getAutoRecreate())
                      ? " and the Job has autoRecreate: false"
                      : " and a "
                          + in.session().getSpec().getType()
                          + " session cannot be recreated by a JobRun");
      requeue = POLL;
    } else if (waiting) {
      requeue = POLL;
    }

    boolean pausedByUser = Boolean.TRUE.equals(in.jobRun().getSpec().getPaused());
    if (invalid != null) {
      status.setPhase(PAUSED);
      set(
          status,
          Reason.AuthSessionInvalidMidJob,
          invalid
              + "; the waiting Runs go on once the session is valid again (an update, or a"
              + " new recording)",
          in,
          notes);
      return new Decision(status, effects, notes, POLL);
    }
    if (pausedByUser) {
      status.setPhase(PAUSED);
      set(
          status,
          Reason.PausedByUser,
          "paused by the user (spec.paused); no new Run starts",
          in,
          notes);
      return new Decision(status, effects, notes, requeue);
    }

    Set<String> existing = new HashSet<>();
    in.runs().forEach(r -> existing.add(r.getMetadata().getName()));
    int active = counts.getRunning();
    // a Run started while the session is locked or not Ready would only wait: start none
    boolean sessionUsable =
        in.session() == null
            || (in.lockHolder() == null
                && (SessionPhase.Ready.is(sessionPhase) || (expired && mayRecreate(job, in))));
    if (!sessionUsable) {
      requeue = POLL;
    }
    for (int i = 0; sessionUsable && i < items && active < job.getMaxConcurrentRuns(); i++) {
      if (!existing.contains(runName(name(in), i))) {
        effects.add(new CreateRun(i));
        active++;
      }
    }
    int started =
        existing.size() + (int) effects.stream().filter(e -> e instanceof CreateRun).count();
    int finished = counts.getSucceeded() + counts.getFailed() + counts.getCanceled();
    if (started >= items && finished >= items) {
      if (counts.getFailed() == 0 && counts.getCanceled() == 0) {
        finish(status, SUCCEEDED, Reason.Succeeded, "all " + items + " Runs succeeded", in, notes);
      } else {
        finish(
            status,
            FAILED,
            Reason.RunsFailed,
            counts.getSucceeded()
                + " of "
                + items
                + " Runs succeeded, "
                + counts.getFailed()
                + " failed, "
                + counts.getCanceled()
                + " were canceled",
            in,
            notes);
      }
      return new Decision(status, effects, notes, null);
    }
    status.setPhase(RUNNING);
    set(
        status,
        Reason.RunsStarted,
        counts.getSucceeded() + " of " + items + " Runs succeeded, " + active + " running",
        in,
        notes);
    return new Decision(status, effects, notes, requeue);
  }

  /** The Run of payload item {@code index} of a JobRun. */
  public static String runName(String jobRun, int index) {
    return Names.jobRunRun(jobRun, index);
  }

  private static boolean mayRecreate(JobSpec job, Observation in) {
    return job.getAuthSession() != null
        && in.session() != null
        && SessionSettings.autoRecreate(in.session(), job.getAuthSession().getAutoRecreate())
        && "Credentials".equals(in.session().getSpec().getType());
  }

  private static int recreations(JobRunStatus status) {
    return status.getRecreations() == null ? 0 : status.getRecreations();
  }

  private static void count(JobRunStatus status, List<Run> runs) {
    JobRunCounts counts = new JobRunCounts();
    int items =
        status.getJobSnapshot() == null || status.getJobSnapshot().getPayload() == null
            ? 0
            : status.getJobSnapshot().getPayload().size();
    int running = 0;
    int succeeded = 0;
    int failed = 0;
    int canceled = 0;
    for (Run run : runs) {
      String phase = run.getStatus() == null ? null : run.getStatus().getPhase();
      if (RunProgress.SUCCEEDED.equals(phase)) {
        succeeded++;
      } else if (RunProgress.FAILED.equals(phase)) {
        failed++;
      } else if (RunProgress.CANCELED.equals(phase) || RunProgress.REJECTED.equals(phase)) {
        canceled++;
      } else {
        running++;
      }
    }
    counts.setPayloads(items);
    counts.setPending(Math.max(0, items - runs.size()));
    counts.setRunning(running);
    counts.setSucceeded(succeeded);
    counts.setFailed(failed);
    counts.setCanceled(canceled);
    status.setCounts(counts);
  }

  private static String name(Observation in) {
    return in.jobRun().getMetadata().getName();
  }

  private static boolean runFinished(Run run) {
    return run.getStatus() != null && RunProgress.isFinished(run.getStatus().getPhase());
  }

  /** Whether a phase is final. */
  public static boolean isFinished(String phase) {
    return SUCCEEDED.equals(phase) || FAILED.equals(phase) || CANCELED.equals(phase);
  }

  private static void finish(
      JobRunStatus status,
      String phase,
      Reason reason,
      String message,
      Observation in,
      List<Note> notes) {
    status.setPhase(phase);
    status.setCompletionTime(in.now().toString());
    set(status, reason, message, in, notes);
  }

  private static void set(
      JobRunStatus status, Reason reason, String message, Observation in, List<Note> notes) {
    boolean changed = !Objects.equals(status.getReason(), reason.name());
    status.setReason(reason.name());
    status.setMessage(message);
    Conditions.set(
        status.getConditions(),
        Conditions.READY,
        SUCCEEDED.equals(status.getPhase())
            ? Conditions.TRUE
            : isFinished(status.getPhase()) ? Conditions.FALSE : Conditions.UNKNOWN,
        reason.name(),
        message,
        status.getObservedGeneration(),
        in.now());
    if (changed) {
      notes.add(new Note(reason, message));
    }
  }
}

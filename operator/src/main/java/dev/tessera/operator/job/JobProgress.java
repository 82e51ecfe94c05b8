package dev.tessera.operator.job;

import dev.tessera.api.v1alpha1.Job;
import dev.tessera.api.v1alpha1.JobRun;
import dev.tessera.api.v1alpha1.JobSpec;
import dev.tessera.api.v1alpha1.JobStatus;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.api.v1alpha1.Reason;
import dev.tessera.operator.status.Conditions;
import dev.tessera.operator.status.StatusWriter;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The state machine of a Job, as CronJob's: whether it is valid, when its next JobRun is due, the
 * scheduled JobRun to create (one, the latest due, however many were missed; none past {@code
 * startingDeadlineSeconds}), and the finished JobRuns beyond the history limits. Pure.
 */
public final class JobProgress {
  /** Annotation of a JobRun: {@code Schedule} when the Job's schedule created it. */
  public static final String TRIGGER_ANNOTATION = "tessera.dev/trigger";

  /** Annotation of a scheduled JobRun: the schedule time it stands for. */
  public static final String SCHEDULED_AT_ANNOTATION = "tessera.dev/scheduled-at";

  private JobProgress() {}

  /** How often a Job whose signing Secret is missing or invalid reads it again, by default. */
  public static final Duration SECRET_RECHECK = Duration.ofSeconds(30);

  /**
   * What the reconciler saw.
   *
   * @param job the Job
   * @param project its project's spec, or null
   * @param jobRuns the JobRuns of this Job (scheduled and manual)
   * @param now the time of the decision
   * @param signingSecret the Secret {@code spec.sink.signingSecretRef} names, or null (none named,
   *     or it does not exist)
   * @param secretRecheck how soon to read the signing Secret again while it cannot be used
   */
  public record Observation(
      Job job,
      ProjectSpec project,
      List<JobRun> jobRuns,
      Instant now,
      Secret signingSecret,
      Duration secretRecheck) {

    /** An observation of a Job whose deliveries are not signed. */
    public Observation(Job job, ProjectSpec project, List<JobRun> jobRuns, Instant now) {
      this(job, project, jobRuns, now, null, SECRET_RECHECK);
    }
  }

  /** Something to do. */
  public sealed interface Effect {}

  /** Create the JobRun of a schedule time. */
  public record CreateJobRun(String name, Instant scheduledAt) implements Effect {}

  /** Delete a finished JobRun beyond the history limits. */
  public record DeleteJobRun(String name) implements Effect {}

  /** An Event to record. */
  public record Note(Reason reason, String message) {}

  /** The decision. */
  public record Decision(
      JobStatus status, List<Effect> effects, List<Note> notes, Duration requeueAfter) {}

  /** The name of the JobRun of a schedule time: the Job's name and the time in minutes. */
  public static String scheduledName(String job, Instant at) {
    return dev.tessera.operator.naming.Names.jobRunRun(job, (int) (at.getEpochSecond() / 60));
  }

  public static Decision decide(Observation in) {
    Job job = in.job();
    JobSpec spec = job.getSpec();
    JobStatus status =
        StatusWriter.workingCopy(
            job.getStatus(), JobStatus.class, JobStatus::new, job.getMetadata().getGeneration());
    List<Effect> effects = new ArrayList<>();
    List<Note> notes = new ArrayList<>();

    status.setActive(
        in.jobRuns().stream()
            .filter(r -> !finished(r))
            .map(r -> r.getMetadata().getName())
            .sorted()
            .toList());
    in.jobRuns().stream()
        .filter(
            r -> r.getStatus() != null && JobRunProgress.SUCCEEDED.equals(r.getStatus().getPhase()))
        .map(r -> r.getStatus().getCompletionTime())
        .filter(Objects::nonNull)
        .max(Comparator.naturalOrder())
        .ifPresent(status::setLastSuccessfulTime);
    prune(in.jobRuns(), JobRunProgress.SUCCEEDED, spec.getSuccessfulJobRunsHistoryLimit(), effects);
    prune(in.jobRuns(), null, spec.getFailedJobRunsHistoryLimit(), effects);

    String problem = problem(in);
    Schedules schedules = null;
    if (problem == null && spec.getSchedule() != null) {
      try {
        schedules = Schedules.of(spec.getSchedule(), spec.getTimeZone());
      } catch (IllegalArgumentException e) {
        problem = e.getMessage();
      }
    }
    if (problem != null) {
      status.setNextScheduleTime(null);
      condition(status, Conditions.FALSE, Reason.JobInvalid, problem, in, notes);
      return new Decision(status, effects, notes, null);
    }
    SigningSecrets.Problem signing = SigningSecrets.problem(spec.getSink(), in.signingSecret());
    if (signing != null) {
      // the Secret is not watched: read it again, so that creating or fixing it is enough
      status.setNextScheduleTime(null);
      condition(status, Conditions.FALSE, signing.reason(), signing.message(), in, notes);
      return new Decision(status, effects, notes, in.secretRecheck());
    }
    if (schedules == null || Boolean.TRUE.equals(spec.getSuspend())) {
      status.setNextScheduleTime(null);
      condition(
          status,
          Conditions.TRUE,
          Reason.JobValid,
          schedules == null
              ? "no schedule: start it by creating a JobRun"
              : "suspended: no JobRun is scheduled; a JobRun created by hand still runs",
          in,
          notes);
      return new Decision(status, effects, notes, null);
    }
    Instant base =
        status.getLastScheduleTime() != null
            ? Instant.parse(status.getLastScheduleTime())
            : job.getMetadata().getCreationTimestamp() != null
                ? Instant.parse(job.getMetadata().getCreationTimestamp())
                : in.now();
    Optional<Instant> due = schedules.latestDue(base, in.now());
    if (due.isPresent()) {
      status.setLastScheduleTime(due.get().toString());
      Long deadline = spec.getStartingDeadlineSeconds();
      if (deadline != null && Duration.between(due.get(), in.now()).getSeconds() > deadline) {
        notes.add(
            new Note(
                Reason.MissedSchedule,
                "the JobRun due at "
                    + due.get()
                    + " was missed by more than "
                    + deadline
                    + " s (startingDeadlineSeconds); the next one runs on time"));
      } else {
        effects.add(
            new CreateJobRun(scheduledName(job.getMetadata().getName(), due.get()), due.get()));
      }
    }
    Instant after = due.orElse(in.now()).isAfter(in.now()) ? due.get() : in.now();
    Optional<Instant> next = schedules.next(after);
    status.setNextScheduleTime(next.map(Instant::toString).orElse(null));
    condition(
        status,
        Conditions.TRUE,
        Reason.JobValid,
        "scheduled: \""
            + spec.getSchedule()
            + "\" ("
            + (spec.getTimeZone() == null ? "UTC" : spec.getTimeZone())
            + ")",
        in,
        notes);
    Duration requeue = next.map(t -> Duration.between(in.now(), t).plusMillis(200)).orElse(null);
    return new Decision(status, effects, notes, requeue);
  }

  private static String problem(Observation in) {
    JobSpec spec = in.job().getSpec();
    if (in.project() == null) {
      return "Project \"" + spec.getProject() + "\" does not exist; create it";
    }
    boolean authenticated =
        in.project().getAuthentication() != null
            && Boolean.TRUE.equals(in.project().getAuthentication().getEnabled());
    if (authenticated && spec.getAuthSession() == null) {
      return "Project \""
          + spec.getProject()
          + "\" has authentication enabled: the Job needs"
          + " spec.authSession.name; its JobRuns are Canceled (AuthSessionRequired)";
    }
    if (!authenticated && spec.getAuthSession() != null) {
      return "Project \""
          + spec.getProject()
          + "\" does not enable authentication: remove"
          + " spec.authSession";
    }
    return null;
  }

  /** Finished JobRuns beyond a limit, oldest first: succeeded ones, or (phase null) the others. */
  private static void prune(
      List<JobRun> jobRuns, String phase, Integer limit, List<Effect> effects) {
    if (limit == null) {
      return;
    }
    List<JobRun> finished =
        jobRuns.stream()
            .filter(JobProgress::finished)
            .filter(
                r ->
                    phase == null
                        ? !JobRunProgress.SUCCEEDED.equals(r.getStatus().getPhase())
                        : phase.equals(r.getStatus().getPhase()))
            .sorted(
                Comparator.comparing(
                        (JobRun r) ->
                            r.getStatus().getCompletionTime() == null
                                ? ""
                                : r.getStatus().getCompletionTime())
                    .thenComparing(r -> r.getMetadata().getName()))
            .toList();
    // a negative limit (stored before the CRD bounded it) keeps none, as zero does
    for (int i = 0; i < finished.size() - Math.max(0, limit); i++) {
      effects.add(new DeleteJobRun(finished.get(i).getMetadata().getName()));
    }
  }

  private static boolean finished(JobRun jobRun) {
    return jobRun.getStatus() != null && JobRunProgress.isFinished(jobRun.getStatus().getPhase());
  }

  private static void condition(
      JobStatus status,
      String value,
      Reason reason,
      String message,
      Observation in,
      List<Note> notes) {
    var existing = Conditions.find(status.getConditions(), Conditions.READY);
    boolean changed = existing == null || !Objects.equals(existing.getReason(), reason.name());
    Conditions.set(
        status.getConditions(),
        Conditions.READY,
        value,
        reason.name(),
        message,
        status.getObservedGeneration(),
        in.now());
    if (changed) {
      notes.add(new Note(reason, message));
    }
  }
}

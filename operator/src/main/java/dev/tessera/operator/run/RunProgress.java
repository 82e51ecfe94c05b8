package dev.tessera.operator.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.api.protocol.Artifact;
import dev.tessera.api.protocol.AttemptResult;
import dev.tessera.api.protocol.ErrorCode;
import dev.tessera.api.protocol.Outcome;
import dev.tessera.api.protocol.ValidationOutcome;
import dev.tessera.api.v1alpha1.ArtifactStatus;
import dev.tessera.api.v1alpha1.AttemptError;
import dev.tessera.api.v1alpha1.AttemptStatus;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.api.v1alpha1.Reason;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.RunPhase;
import dev.tessera.api.v1alpha1.RunStatus;
import dev.tessera.api.v1alpha1.ValidationStatus;
import dev.tessera.api.v1alpha1.WhenLocked;
import dev.tessera.operator.artifacts.ArtifactKeys;
import dev.tessera.operator.naming.Labels;
import dev.tessera.operator.naming.Names;
import dev.tessera.operator.pod.PodOutcome;
import dev.tessera.operator.session.SessionGate;
import dev.tessera.operator.session.SessionSecrets;
import dev.tessera.operator.session.SessionSettings;
import dev.tessera.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The state machine of a Run: from what was observed, the next status and the effects that bring
 * the world there. Pure: no client calls, so that each transition is a table test.
 *
 * <p>Pending → (admission) → Rejected, or Running with Attempt 1. An Attempt ends when its runner
 * reports (Succeeded, Failed, or Canceled when a dependency was unmet) or when its Pod ends without
 * a report (crash, timeout). A failed Attempt is followed by another while attempts remain and the
 * error is retriable; the Run then ends Succeeded, Failed or Canceled. A user may cancel at any
 * time; a finished Run is deleted after {@code ttlSecondsAfterFinished}.
 */
public final class RunProgress {
  public static final String PENDING = RunPhase.Pending.name();
  public static final String RUNNING = RunPhase.Running.name();
  public static final String SUCCEEDED = RunPhase.Succeeded.name();
  public static final String FAILED = RunPhase.Failed.name();
  public static final String CANCELED = RunPhase.Canceled.name();
  public static final String REJECTED = RunPhase.Rejected.name();

  /** Validation outcome of an Attempt whose session was recreated for it. */
  public static final String RECREATED = "Recreated";

  private static final ObjectMapper JSON = new ObjectMapper();

  private RunProgress() {}

  /**
   * What the reconciler saw.
   *
   * @param run the Run
   * @param project the project's spec, or null when it does not exist
   * @param session the Run's AuthSession, or null (none named, or missing)
   * @param pod the Pod of the current Attempt, or null
   * @param podGone whether the current Attempt's Pod is confirmed absent from the API
   * @param reported what the current Attempt's runner reported, or null
   * @param now the time of the decision
   * @param lock the session's lock and state, as far as the Run needs them
   * @param projectProblem why the project exists but cannot be read (its Ready condition says it
   *     too), or null
   */
  public record Observation(
      Run run,
      ProjectSpec project,
      AuthSession session,
      Pod pod,
      boolean podGone,
      AttemptResult reported,
      Instant now,
      SessionView lock,
      String projectProblem) {

    /** An observation of a Run whose project, when it exists, could be read. */
    public Observation(
        Run run,
        ProjectSpec project,
        AuthSession session,
        Pod pod,
        boolean podGone,
        AttemptResult reported,
        Instant now,
        SessionView lock) {
      this(run, project, session, pod, podGone, reported, now, lock, null);
    }

    /** An observation of a Run whose session is unlocked and has no state yet. */
    public Observation(
        Run run,
        ProjectSpec project,
        AuthSession session,
        Pod pod,
        boolean podGone,
        AttemptResult reported,
        Instant now) {
      this(run, project, session, pod, podGone, reported, now, SessionView.NONE);
    }
  }

  /**
   * What a Run sees of its session besides the AuthSession itself.
   *
   * @param lockHolder the holder identity of the session's lock, or null when it is free
   * @param state the session's stored state (its generation, whether it can be read)
   * @param runtimeCredentialsFound whether the Secret the Run's runtimeCredentialsSecretRef names
   *     exists with keys
   */
  public record SessionView(
      String lockHolder, SessionSecrets.State state, boolean runtimeCredentialsFound) {
    public static final SessionView NONE = new SessionView(null, SessionSecrets.State.NONE, false);

    /** A view of a session of the given state generation. */
    public SessionView(String lockHolder, int stateGeneration) {
      this(
          lockHolder,
          stateGeneration == 0
              ? SessionSecrets.State.NONE
              : new SessionSecrets.State(stateGeneration, null),
          false);
    }

    public int stateGeneration() {
      return state.generation();
    }
  }

  /**
   * How often a Run that waits for its session's lock or for an operation looks again when nothing
   * wakes it sooner. The session, its lock and its state are watched, so a change wakes the Runs
   * that wait for it at once, and a lock whose holder stopped renewing is looked at when it
   * expires: this is only a safety net.
   */
  public static final Duration LOCK_POLL = Duration.ofSeconds(30);

  /** How often an operation Run looks for its session's record of it. */
  public static final Duration OPERATION_POLL = Duration.ofSeconds(1);

  /**
   * Something the reconciler must do in the world before it writes the new status ({@link
   * DeleteResult}: after).
   */
  public sealed interface Effect {}

  /**
   * Create the input Secret and the Pod of an Attempt (idempotent: names are deterministic). An
   * Attempt that waited for its session continues in a second Pod.
   */
  public record CreateAttempt(int attempt, String pod) implements Effect {}

  /** Delete an Attempt's Pod. */
  public record DeletePod(String name) implements Effect {}

  /** Delete a Secret the Run owns (an Attempt's input). */
  public record DeleteSecret(String name) implements Effect {}

  /**
   * Delete the Secret that holds an Attempt's report, once the status that records what it said is
   * written: deleted before, a write that fails (a conflict, the operator stopping) would leave the
   * Attempt to be judged by its Pod alone, as a runner that exited without a result.
   */
  public record DeleteResult(String name) implements Effect {}

  /** Delete the Run (its time to live after finishing has passed). */
  public record DeleteRun() implements Effect {}

  /** An Event to record. */
  public record Note(Reason reason, String message) {}

  /** An Attempt that ended in this decision, for metrics. */
  public record EndedAttempt(int number, String phase, Duration duration) {}

  /**
   * The decision.
   *
   * @param status the new status (equal to the old one when nothing changed)
   * @param effects what to do first, in order
   * @param notes Events to record
   * @param ended Attempts that ended now
   * @param requeueAfter when to look again even if nothing happens, or null
   */
  public record Decision(
      RunStatus status,
      List<Effect> effects,
      List<Note> notes,
      List<EndedAttempt> ended,
      Duration requeueAfter) {}

  /** Decides the next step of a Run. */
  public static Decision decide(Observation in) {
    Decision decision = progress(in);
    AttemptStatus current = current(decision.status());
    if (decision.requeueAfter() == null
        && !isFinished(decision.status().getPhase())
        && current != null
        && current.getWaitingFor() != null) {
      // nothing wakes a waiting Attempt but time
      decision =
          new Decision(
              decision.status(), decision.effects(), decision.notes(), decision.ended(), LOCK_POLL);
    }
    RunStatus status = decision.status();
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
    Run run = in.run();
    RunStatus status = copy(run.getStatus());
    List<Effect> effects = new ArrayList<>();
    List<Note> notes = new ArrayList<>();
    List<EndedAttempt> ended = new ArrayList<>();
    long generation =
        run.getMetadata().getGeneration() == null ? 0 : run.getMetadata().getGeneration();
    status.setObservedGeneration(generation);

    if (isFinished(status.getPhase())) {
      return afterFinish(in, status);
    }
    if (Boolean.TRUE.equals(run.getSpec().getCancel())) {
      AttemptStatus current = current(status);
      if (current != null && RUNNING.equals(current.getPhase())) {
        current.setPhase(CANCELED);
        current.setCompletionTime(in.now().toString());
        current.setError(error(Reason.CanceledByUser.name(), "canceled by the user", false, null));
        if (current.getPod() != null && current.getWaitingFor() == null) {
          effects.add(new DeletePod(current.getPod()));
          effects.add(new DeleteSecret(Names.attemptInput(current.getPod())));
        }
        current.setWaitingFor(null);
        ended.add(endedAttempt(current, in.now()));
      }
      finish(
          status, CANCELED, Reason.CanceledByUser, "the Run was canceled (spec.cancel)", in, notes);
      return new Decision(status, effects, notes, ended, requeueForTtl(run, in.now()));
    }
    if (status.getPhase() == null || PENDING.equals(status.getPhase())) {
      Optional<RunAdmission.Rejection> rejection =
          in.projectProblem() != null
              ? Optional.of(
                  new RunAdmission.Rejection(
                      Reason.ProjectInvalid,
                      "Project \""
                          + run.getSpec().getProject()
                          + "\" cannot be read: "
                          + in.projectProblem()))
              : isOperation(run)
                  ? RunAdmission.checkOperation(run, in.project(), in.session())
                  : RunAdmission.check(
                      run.getSpec(),
                      run.getMetadata().getNamespace(),
                      in.project(),
                      in.session(),
                      in.lock().lockHolder(),
                      in.lock().runtimeCredentialsFound());
      if (rejection.isPresent()) {
        RunAdmission.Rejection refused = rejection.get();
        String message = refused.message();
        if (!isOperation(run) && refused.mayResolve()) {
          boolean rejectLocked =
              refused.reason() == Reason.AuthSessionLocked
                  && WhenLocked.orDefault(run.getSpec().getAuthSession().getWhenLocked())
                      == WhenLocked.Reject;
          Instant deadline =
              RunAdmission.startDeadline(
                  run.getMetadata(),
                  status.getConditions(),
                  run.getSpec().getStartTimeoutSeconds(),
                  in.now());
          if (rejectLocked) {
            message +=
                "; spec.authSession.whenLocked is Reject: create the Run again once it has"
                    + " finished";
          } else if (in.now().isBefore(deadline)) {
            return awaitAdmission(in, status, refused, deadline, notes);
          } else {
            message +=
                "; the Run waited for that for spec.startTimeoutSeconds ("
                    + RunAdmission.startTimeoutSeconds(run.getSpec().getStartTimeoutSeconds())
                    + " s)";
          }
        }
        notAdmitted(status, refused, message, in);
        finish(status, REJECTED, refused.reason(), message, in, notes);
        return new Decision(status, effects, notes, ended, requeueForTtl(run, in.now()));
      }
      if (isOperation(run) && !RunAdmission.operationRecorded(run, in.session())) {
        // the session's controller records the Run's UID right after creating it
        String message =
            "waiting for AuthSession "
                + run.getSpec().getAuthSession().getName()
                + " to record this operation";
        status.setPhase(PENDING);
        status.setReason(Reason.WaitingForSession.name());
        status.setMessage(message);
        return new Decision(status, effects, notes, ended, OPERATION_POLL);
      }
      Conditions.set(
          status.getConditions(),
          Conditions.ADMITTED,
          Conditions.TRUE,
          Reason.Admitted.name(),
          isOperation(run)
              ? "started by its AuthSession, which recorded its UID"
              : isValidation(run)
                  ? "project and session found; the Run validates the session"
                  : "project and API found, parameters valid",
          generation,
          in.now());
      status.setStartTime(in.now().toString());
      // one Event for admission and start: the Admitted condition records the admission
      startAttempt(status, 1, in, effects, notes);
      return new Decision(status, effects, notes, ended, null);
    }

    AttemptStatus current = current(status);
    if (current == null || !RUNNING.equals(current.getPhase())) {
      // an Attempt ended but the next step was not written: go on from the last Attempt
      return next(in, status, current, effects, notes, ended);
    }
    if (current.getWaitingFor() != null) {
      return answer(
          in, status, current, gate(in, current, SessionGate.Step.WAITING), effects, notes, ended);
    }
    if (in.reported() != null) {
      applyReport(in.run(), current, in.reported(), in.now());
    } else if (in.pod() != null) {
      Optional<PodOutcome> outcome = PodOutcome.of(in.pod());
      if (outcome.isEmpty()) {
        return new Decision(status, effects, notes, ended, null);
      }
      if (outcome.get().exitedCleanly()) {
        applyPodFailure(
            current,
            new PodOutcome(
                false, ErrorCode.RunnerCrashed, "the runner exited without reporting a result"),
            in.now());
      } else {
        applyPodFailure(current, outcome.get(), in.now());
      }
    } else if (in.podGone()) {
      applyPodFailure(current, PodOutcome.vanished(), in.now());
    } else {
      return new Decision(status, effects, notes, ended, null);
    }
    boolean operation = isOperation(run);
    if (!operation
        && run.getSpec().getAuthSession() != null
        && CANCELED.equals(current.getPhase())
        && current.getError() != null
        && ErrorCode.CheckAttemptsFailed.name().equals(current.getError().getCode())) {
      SessionGate.Answer answer = gate(in, current, SessionGate.Step.CHECKS_FAILED);
      if (!(answer instanceof SessionGate.Stop)) {
        effects.addAll(attemptSecretAfterEnd(in, current, false));
        current.setPhase(RUNNING);
        current.setCompletionTime(null);
        current.setError(null);
        return answer(in, status, current, answer, effects, notes, ended);
      }
      current.getError().setMessage(((SessionGate.Stop) answer).message());
    }
    ended.add(endedAttempt(current, in.now()));
    boolean handedToSession = operation && SUCCEEDED.equals(current.getPhase());
    effects.addAll(attemptSecretAfterEnd(in, current, handedToSession));
    if (SUCCEEDED.equals(current.getPhase()) && in.reported() != null && !operation) {
      status.setResult(in.reported().result());
    }
    return next(in, status, current, effects, notes, ended);
  }

  /**
   * What becomes of an ended Attempt's Secret. Without a report it still holds the input (the
   * browser state, perhaps credentials) and the token: deleted at once. A report took their place
   * ({@code ResultSecrets}): it stays with the Run, one write fewer per Attempt, unless it carries
   * a browser state, which is deleted once the status records the report; a successful operation's
   * report (the new state) is for its session to store, which deletes it then.
   */
  private static List<Effect> attemptSecretAfterEnd(
      Observation in, AttemptStatus attempt, boolean handedToSession) {
    String secret = Names.attemptInput(attempt.getPod());
    if (in.reported() == null) {
      return List.of(new DeleteSecret(secret));
    }
    if (!handedToSession && in.reported().storageState() != null) {
      return List.of(new DeleteResult(secret));
    }
    return List.of();
  }

  /** How often a Run that waits to be admitted looks again when no event wakes it sooner. */
  public static final Duration ADMISSION_POLL = Duration.ofSeconds(30);

  /**
   * A Run that cannot start yet for something that may come by itself (its project, its session,
   * the session's lock) waits, Pending with {@code Admitted=False} and the reason, until its start
   * deadline.
   */
  private static Decision awaitAdmission(
      Observation in,
      RunStatus status,
      RunAdmission.Rejection refused,
      Instant deadline,
      List<Note> notes) {
    String message =
        refused.message()
            + "; the Run starts as soon as that changes, and is Rejected if it has not by "
            + deadline;
    if (!refused.reason().name().equals(status.getReason())) {
      notes.add(new Note(refused.reason(), message));
    }
    status.setPhase(PENDING);
    status.setReason(refused.reason().name());
    status.setMessage(message);
    notAdmitted(status, refused, message, in);
    Duration poll = refused.reason() == Reason.AuthSessionLocked ? LOCK_POLL : ADMISSION_POLL;
    Duration untilDeadline = Duration.between(in.now(), deadline);
    return new Decision(
        status,
        new ArrayList<>(),
        notes,
        new ArrayList<>(),
        untilDeadline.compareTo(poll) < 0 ? untilDeadline : poll);
  }

  private static void notAdmitted(
      RunStatus status, RunAdmission.Rejection refused, String message, Observation in) {
    Conditions.set(
        status.getConditions(),
        Conditions.ADMITTED,
        Conditions.FALSE,
        refused.reason().name(),
        message,
        status.getObservedGeneration(),
        in.now());
  }

  private static Decision next(
      Observation in,
      RunStatus status,
      AttemptStatus last,
      List<Effect> effects,
      List<Note> notes,
      List<EndedAttempt> ended) {
    int maxAttempts = maxAttempts(in);
    if (last == null) {
      startAttempt(status, 1, in, effects, notes);
    } else if (SUCCEEDED.equals(last.getPhase())) {
      boolean recreated =
          last.getValidation() != null && RECREATED.equals(last.getValidation().getOutcome());
      finish(
          status,
          SUCCEEDED,
          isValidation(in.run()) && recreated ? Reason.Recreated : Reason.Succeeded,
          isValidation(in.run()) && recreated
              ? "the state was recreated by "
                  + last.getValidation().getOperation()
                  + " for Attempt "
                  + last.getNumber()
                  + ", then its check passed"
              : "Attempt " + last.getNumber() + " succeeded",
          in,
          notes);
    } else if (CANCELED.equals(last.getPhase())) {
      finish(
          status,
          CANCELED,
          canceledReason(in.run(), last),
          "Attempt " + last.getNumber() + " was canceled: " + describe(last.getError()),
          in,
          notes);
    } else {
      boolean retriable =
          last.getError() == null || !Boolean.FALSE.equals(last.getError().getRetriable());
      Instant due = retryDue(last);
      boolean backingOff =
          in.project() != null
              && retriable
              && last.getNumber() < maxAttempts
              && due != null
              && in.now().isBefore(due);
      if (!ended.isEmpty()) {
        // said once, when the Attempt ends, not at every look while the next one waits
        notes.add(
            new Note(
                Reason.AttemptFailed,
                "Attempt "
                    + last.getNumber()
                    + " of "
                    + maxAttempts
                    + " failed: "
                    + describe(last.getError())
                    + (backingOff
                        ? "; the next starts in "
                            + Duration.between(in.now(), due).toSeconds()
                            + " s"
                        : "")));
      }
      if (backingOff) {
        return new Decision(status, effects, notes, ended, Duration.between(in.now(), due));
      }
      if (in.project() == null) {
        finish(
            status,
            FAILED,
            Reason.ProjectNotFound,
            "Project \""
                + in.run().getSpec().getProject()
                + "\" was deleted while the Run was running",
            in,
            notes);
      } else if (retriable && last.getNumber() < maxAttempts) {
        startAttempt(status, last.getNumber() + 1, in, effects, notes);
      } else if (!retriable) {
        finish(
            status,
            FAILED,
            Reason.ApiAttemptsFailed,
            "Attempt "
                + last.getNumber()
                + " failed and another would fail the same way: "
                + describe(last.getError()),
            in,
            notes);
      } else {
        finish(
            status,
            FAILED,
            Reason.ApiAttemptsFailed,
            "all " + maxAttempts + " Attempts failed; the last: " + describe(last.getError()),
            in,
            notes);
      }
    }
    return new Decision(
        status,
        effects,
        notes,
        ended,
        isFinished(status.getPhase()) ? requeueForTtl(in.run(), in.now()) : null);
  }

  /**
   * Why a Run whose Attempt was canceled ends: a session operation names where the login broke; an
   * API Run says its session could not be validated.
   */
  private static Reason canceledReason(Run run, AttemptStatus attempt) {
    String code = attempt.getError() == null ? null : attempt.getError().getCode();
    if (run.getSpec().getOperation() != null
        && (Reason.CreateAttemptsFailed.name().equals(code)
            || Reason.CredentialsRejected.name().equals(code)
            || Reason.PostCreateCheckAttemptsFailed.name().equals(code))) {
      return Reason.valueOf(code);
    }
    return Reason.AuthSessionValidateDependencyFailed;
  }

  /**
   * Starts an Attempt: its Pod, or, when an operation holds the session's lock, a wait for it (the
   * Attempt validates once the lock is free).
   */
  private static void startAttempt(
      RunStatus status, int number, Observation in, List<Effect> effects, List<Note> notes) {
    AttemptStatus attempt = new AttemptStatus();
    attempt.setNumber(number);
    attempt.setPhase(RUNNING);
    attempt.setStartTime(in.now().toString());
    status.getAttempts().add(attempt);
    status.setAttemptCount(status.getAttempts().size());
    status.setPhase(RUNNING);
    if (!isOperation(in.run()) && in.run().getSpec().getAuthSession() != null) {
      SessionGate.Answer answer = gate(in, attempt, SessionGate.Step.START);
      if (!(answer instanceof SessionGate.Proceed)) {
        answer(in, status, attempt, answer, effects, notes, new ArrayList<>());
        return;
      }
    }
    startPod(
        status,
        attempt,
        Names.attemptPod(in.run().getMetadata().getName(), in.run().getMetadata().getUid(), number),
        in);
    effects.add(new CreateAttempt(number, attempt.getPod()));
    if (number > 1) {
      // the first Attempt's start is the expected course, which the status tells (no Event)
      notes.add(
          new Note(
              Reason.AttemptStarted,
              "Attempt "
                  + number
                  + " of "
                  + maxAttempts(in)
                  + " started in Pod "
                  + attempt.getPod()));
    }
  }

  private static void startPod(
      RunStatus status, AttemptStatus attempt, String pod, Observation in) {
    attempt.setPod(pod);
    attempt.setWaitingFor(null);
    if (in.run().getSpec().getAuthSession() != null) {
      ValidationStatus validation =
          attempt.getValidation() == null ? new ValidationStatus() : attempt.getValidation();
      int generation = in.lock().stateGeneration();
      if (!Objects.equals(validation.getStateGeneration(), generation)) {
        // what the Attempt found of the earlier state says nothing of this one: left in place,
        // an Invalid outcome would make the session take its new state for expired
        validation.setOutcome(null);
      }
      validation.setStateGeneration(generation);
      attempt.setValidation(validation);
    }
    status.setReason(Reason.AttemptStarted.name());
    status.setMessage(
        "Attempt "
            + attempt.getNumber()
            + " of "
            + maxAttempts(in)
            + " is running in Pod "
            + attempt.getPod());
    Conditions.set(
        status.getConditions(),
        Conditions.READY,
        Conditions.UNKNOWN,
        RUNNING,
        status.getMessage(),
        status.getObservedGeneration(),
        in.now());
  }

  private static void waiting(
      RunStatus status, AttemptStatus attempt, String message, Observation in, List<Note> notes) {
    if (!message.equals(status.getMessage())) {
      notes.add(new Note(Reason.WaitingForSession, message));
    }
    status.setReason(Reason.WaitingForSession.name());
    status.setMessage(message);
    Conditions.set(
        status.getConditions(),
        Conditions.READY,
        Conditions.UNKNOWN,
        Reason.WaitingForSession.name(),
        message,
        status.getObservedGeneration(),
        in.now());
  }

  /** Asks the session gate what the Attempt may do. */
  private static SessionGate.Answer gate(
      Observation in, AttemptStatus attempt, SessionGate.Step step) {
    ValidationStatus validation = attempt.getValidation();
    int generation =
        validation == null || validation.getStateGeneration() == null
            ? 0
            : validation.getStateGeneration();
    Instant requestedAt =
        validation == null
                || validation.getRequestedAt() == null
                || !Boolean.TRUE.equals(validation.getRecreationRequested())
            ? null
            : Instant.parse(validation.getRequestedAt());
    return SessionGate.decide(
        new SessionGate.Input(
            in.session(),
            in.lock().state(),
            in.lock().lockHolder(),
            policy(in.run(), in.session(), attempt),
            step,
            generation,
            requestedAt));
  }

  /** How the Run uses its session, its own settings over its session's. */
  static SessionGate.Policy policy(Run run, AuthSession session, AttemptStatus attempt) {
    return new SessionGate.Policy(
        SessionSettings.autoRecreate(session, run.getSpec().getAuthSession().getAutoRecreate()),
        ofJobRun(run),
        attempt.getValidation() != null && attempt.getValidation().getOperation() != null);
  }

  /** Carries out the gate's answer for an Attempt that has no Pod running. */
  private static Decision answer(
      Observation in,
      RunStatus status,
      AttemptStatus attempt,
      SessionGate.Answer answer,
      List<Effect> effects,
      List<Note> notes,
      List<EndedAttempt> ended) {
    String session = in.run().getSpec().getAuthSession().getName();
    ValidationStatus validation =
        attempt.getValidation() == null ? new ValidationStatus() : attempt.getValidation();
    attempt.setValidation(validation);
    if (answer instanceof SessionGate.Proceed proceed) {
      if (proceed.recreatedBy() != null) {
        validation.setOperation(proceed.recreatedBy());
      }
      validation.setRecreationRequested(null);
      validation.setRequestedAt(null);
      String run = in.run().getMetadata().getName();
      String uid = in.run().getMetadata().getUid();
      String pod =
          attempt.getPod() == null
              ? Names.attemptPod(run, uid, attempt.getNumber())
              : Names.attemptContinuationPod(run, uid, attempt.getNumber(), podsOf(attempt) + 1);
      startPod(status, attempt, pod, in);
      effects.add(new CreateAttempt(attempt.getNumber(), pod));
      notes.add(
          new Note(
              Reason.AttemptStarted,
              "Attempt "
                  + attempt.getNumber()
                  + (attempt.getValidation().getChecks() == null ? " started" : " validates again")
                  + " in Pod "
                  + pod));
      return new Decision(status, effects, notes, ended, null);
    }
    if (answer instanceof SessionGate.RequestRecreation request) {
      if (!Boolean.TRUE.equals(validation.getRecreationRequested())
          || !Objects.equals(validation.getStateGeneration(), request.generation())) {
        validation.setRequestedAt(in.now().toString());
      }
      validation.setStateGeneration(request.generation());
      validation.setRecreationRequested(true);
      if (validation.getChecks() == null) {
        validation.setChecks(0);
      }
      attempt.setWaitingFor("AuthSession/" + session);
      waiting(
          status,
          attempt,
          "Attempt "
              + attempt.getNumber()
              + ": "
              + request.message()
              + "; it waits for the recreation, then validates again",
          in,
          notes);
      return new Decision(status, effects, notes, ended, LOCK_POLL);
    }
    if (answer instanceof SessionGate.Wait wait) {
      attempt.setWaitingFor("AuthSession/" + session);
      waiting(status, attempt, "Attempt " + attempt.getNumber() + ": " + wait.message(), in, notes);
      return new Decision(status, effects, notes, ended, LOCK_POLL);
    }
    boolean stop = answer instanceof SessionGate.Stop;
    String code = stop ? ((SessionGate.Stop) answer).code() : ((SessionGate.Retry) answer).code();
    String message =
        stop ? ((SessionGate.Stop) answer).message() : ((SessionGate.Retry) answer).message();
    String operation =
        stop ? ((SessionGate.Stop) answer).operation() : ((SessionGate.Retry) answer).operation();
    if (operation != null) {
      // the recreation the Attempt waited for, which could not renew the state
      validation.setOperation(operation);
    }
    attempt.setWaitingFor(null);
    attempt.setPhase(stop ? CANCELED : FAILED);
    attempt.setCompletionTime(in.now().toString());
    attempt.setError(error(code, message, !stop, null));
    ended.add(endedAttempt(attempt, in.now()));
    return next(in, status, attempt, effects, notes, ended);
  }

  /**
   * When the next Attempt may start after {@code failed}: an Attempt that broke for the
   * infrastructure (its runner crashed or timed out) is followed after a backoff that doubles each
   * time (5 s, 10 s, 20 s, at most 60 s); null when the next may start at once.
   */
  static Instant retryDue(AttemptStatus failed) {
    String code = failed.getError() == null ? null : failed.getError().getCode();
    if (failed.getCompletionTime() == null
        || !(ErrorCode.RunnerCrashed.name().equals(code)
            || ErrorCode.Timeout.name().equals(code))) {
      return null;
    }
    long seconds = Math.min(60, 5L << Math.min(4, Math.max(0, failed.getNumber() - 1)));
    return Instant.parse(failed.getCompletionTime()).plusSeconds(seconds);
  }

  /** How many Pods an Attempt has had: 1 for its first, k for its continuation {@code -r<k>}. */
  static int podsOf(AttemptStatus attempt) {
    String pod = attempt.getPod();
    if (pod == null) {
      return 0;
    }
    java.util.regex.Matcher matcher = CONTINUATION.matcher(pod);
    return matcher.find() ? Integer.parseInt(matcher.group(1)) : 1;
  }

  private static final java.util.regex.Pattern CONTINUATION =
      java.util.regex.Pattern.compile("-a\\d+-r(\\d+)$");

  /**
   * Whether a JobRun owns the Run: such a Run never recreates its session itself. When its checks
   * fail it waits for the session's state to be renewed, which its JobRun sees to (a recreation, or
   * a pause until a human or an update renews it).
   */
  public static boolean ofJobRun(Run run) {
    return run.getMetadata().getLabels() != null
        && run.getMetadata().getLabels().containsKey(Labels.JOB_RUN);
  }

  private static boolean isOperation(Run run) {
    return run.getSpec().getOperation() != null;
  }

  /** Whether a Run only validates its session: it names neither an API nor an operation. */
  public static boolean isValidation(Run run) {
    return run.getSpec().getApi() == null
        && run.getSpec().getOperation() == null
        && run.getSpec().getAuthSession() != null;
  }

  /**
   * Records what the runner reported. The validation adds to what the Attempt's earlier Pod did:
   * checks add up, the creates are those of the recreation it waited for.
   */
  private static void applyReport(
      Run run, AttemptStatus attempt, AttemptResult report, Instant now) {
    attempt.setCompletionTime(now.toString());
    if (report.artifacts() != null && !report.artifacts().isEmpty()) {
      List<ArtifactStatus> kept = new ArrayList<>();
      for (Artifact artifact : report.artifacts()) {
        ArtifactStatus status = new ArtifactStatus();
        status.setName(artifact.name());
        status.setKind(ArtifactKeys.kindOf(artifact.name()));
        status.setSize(artifact.bytes());
        status.setKey(ArtifactKeys.of(run, attempt.getNumber(), artifact.name()));
        kept.add(status);
      }
      attempt.setArtifacts(kept);
    }
    if (report.validation() != null) {
      ValidationStatus validation =
          attempt.getValidation() == null ? new ValidationStatus() : attempt.getValidation();
      int earlierChecks = validation.getChecks() == null ? 0 : validation.getChecks();
      int earlierCreates = validation.getCreates() == null ? 0 : validation.getCreates();
      validation.setChecks(earlierChecks + report.validation().checks());
      validation.setCreates(earlierCreates + report.validation().creates());
      String outcome =
          report.validation().outcome() == null ? null : report.validation().outcome().name();
      if (ValidationOutcome.Valid.name().equals(outcome) && validation.getOperation() != null) {
        outcome = RECREATED;
      }
      validation.setOutcome(outcome);
      attempt.setValidation(validation);
    }
    if (report.outcome() == Outcome.SUCCEEDED) {
      attempt.setPhase(SUCCEEDED);
      return;
    }
    attempt.setPhase(report.outcome() == Outcome.DEPENDENCY_FAILED ? CANCELED : FAILED);
    if (report.error() != null) {
      attempt.setError(
          error(
              report.error().code() == null
                  ? ErrorCode.InternalError.name()
                  : report.error().code().name(),
              report.error().message(),
              report.error().retriable(),
              report.error().step()));
    } else {
      attempt.setError(
          error(
              ErrorCode.InternalError.name(),
              "the runner reported a failure without an error",
              true,
              null));
    }
  }

  private static void applyPodFailure(AttemptStatus attempt, PodOutcome outcome, Instant now) {
    attempt.setPhase(FAILED);
    attempt.setCompletionTime(now.toString());
    attempt.setError(
        error(outcome.code().name(), outcome.message(), outcome.code().retriable(), null));
  }

  private static void finish(
      RunStatus status,
      String phase,
      Reason reason,
      String message,
      Observation in,
      List<Note> notes) {
    status.setPhase(phase);
    status.setReason(reason.name());
    status.setMessage(message);
    status.setCompletionTime(in.now().toString());
    Conditions.set(
        status.getConditions(),
        Conditions.READY,
        SUCCEEDED.equals(phase) ? Conditions.TRUE : Conditions.FALSE,
        reason.name(),
        message,
        status.getObservedGeneration(),
        in.now());
    if (!wentAsExpected(status, reason)) {
      notes.add(new Note(reason, message));
    }
  }

  /**
   * Whether a Run succeeded the expected way: its first Attempt, on a session it did not wait for.
   * Its status and {@code Succeeded} condition say so; an Event for each such Run would only flood
   * the namespace's Events (and cost a write per Run). Anything else gets its Event: a failure, a
   * rejection, a cancel, a success after retries or after waiting for the session.
   */
  static boolean wentAsExpected(RunStatus status, Reason reason) {
    if (reason != Reason.Succeeded
        || status.getAttempts() == null
        || status.getAttempts().size() != 1) {
      return false;
    }
    ValidationStatus validation = status.getAttempts().get(0).getValidation();
    return validation == null || validation.getOperation() == null;
  }

  private static Decision afterFinish(Observation in, RunStatus status) {
    Integer ttl = in.run().getSpec().getTtlSecondsAfterFinished();
    if (ttl == null || status.getCompletionTime() == null) {
      return new Decision(status, List.of(), List.of(), List.of(), null);
    }
    Instant expiry = Instant.parse(status.getCompletionTime()).plusSeconds(ttl);
    if (!in.now().isBefore(expiry)) {
      return new Decision(status, List.of(new DeleteRun()), List.of(), List.of(), null);
    }
    return new Decision(
        status, List.of(), List.of(), List.of(), Duration.between(in.now(), expiry));
  }

  private static Duration requeueForTtl(Run run, Instant now) {
    Integer ttl = run.getSpec().getTtlSecondsAfterFinished();
    return ttl == null ? null : Duration.ofSeconds(ttl);
  }

  /** How many Attempts the Run may make. */
  public static int maxAttempts(Observation in) {
    if (in.run().getSpec().getRetry() != null
        && in.run().getSpec().getRetry().getMaxAttempts() != null) {
      return in.run().getSpec().getRetry().getMaxAttempts();
    }
    if (in.project() != null
        && in.project().getRunner() != null
        && in.project().getRunner().getMaxAttempts() != null) {
      return in.project().getRunner().getMaxAttempts();
    }
    return 3;
  }

  /** The time limit of one Attempt of the Run, in seconds. */
  public static int timeoutSeconds(Run run, ProjectSpec project) {
    if (run.getSpec().getTimeoutSeconds() != null) {
      return run.getSpec().getTimeoutSeconds();
    }
    if (project != null
        && project.getRunner() != null
        && project.getRunner().getTimeoutSeconds() != null) {
      return project.getRunner().getTimeoutSeconds();
    }
    return 600;
  }

  /** Whether a phase is final. */
  public static boolean isFinished(String phase) {
    return RunPhase.isFinished(phase);
  }

  /** The last Attempt, or null. */
  public static AttemptStatus current(RunStatus status) {
    List<AttemptStatus> attempts = status == null ? null : status.getAttempts();
    return attempts == null || attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
  }

  private static EndedAttempt endedAttempt(AttemptStatus attempt, Instant now) {
    Duration duration =
        attempt.getStartTime() == null
            ? Duration.ZERO
            : Duration.between(Instant.parse(attempt.getStartTime()), now);
    return new EndedAttempt(attempt.getNumber(), attempt.getPhase(), duration);
  }

  private static AttemptError error(String code, String message, Boolean retriable, String step) {
    AttemptError error = new AttemptError();
    error.setCode(code);
    error.setMessage(message);
    error.setRetriable(retriable);
    error.setStep(step);
    return error;
  }

  private static String describe(AttemptError error) {
    if (error == null) {
      return "no error reported";
    }
    return error.getCode()
        + (error.getStep() == null ? "" : " at " + error.getStep())
        + ": "
        + error.getMessage();
  }

  private static RunStatus copy(RunStatus status) {
    RunStatus copy = status == null ? new RunStatus() : JSON.convertValue(status, RunStatus.class);
    if (copy.getConditions() == null) {
      copy.setConditions(new ArrayList<>());
    }
    if (copy.getAttempts() == null) {
      copy.setAttempts(new ArrayList<>());
    }
    return copy;
  }
}

package dev.tessera.operator.session;

import dev.tessera.api.protocol.ErrorCode;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.SessionOperation;
import dev.tessera.api.v1alpha1.SessionOperationStatus;
import dev.tessera.api.v1alpha1.SessionPhase;
import java.time.Instant;

/**
 * What an Attempt may do with its session, asked by every Run (and so by every JobRun, whose Runs
 * and check are Runs): proceed with a state generation, wait, ask the session for a recreation, or
 * stop. Pure: the answer depends only on the session, its stored state, its lock and the Run's
 * policy. Runs act on the answer and record facts in their own status; the session's controller
 * alone changes the session.
 */
public final class SessionGate {
  private SessionGate() {}

  /** Where the Attempt stands. */
  public enum Step {
    /** About to start a Pod that checks the state, then runs the API. */
    START,
    /** Its Pod's checks all failed against the state of {@code generation}. */
    CHECKS_FAILED,
    /** It waits for the session: a recreation it asked for, a lock, or a renewed state. */
    WAITING
  }

  /**
   * How the Run uses its session.
   *
   * @param autoRecreate whether it may have the state recreated (the Run's, Job's or session's
   *     setting, in that order)
   * @param ofJobRun whether a JobRun owns it: it never stops for its session, it waits and its
   *     JobRun pauses
   * @param recreatedAlready whether the Attempt already had its state recreated (an Attempt
   *     recreates at most once)
   */
  public record Policy(boolean autoRecreate, boolean ofJobRun, boolean recreatedAlready) {}

  /**
   * What the gate is asked about.
   *
   * @param session the AuthSession
   * @param state its stored state
   * @param lockHolder who holds its lock, or null
   * @param policy the Run's policy
   * @param step where the Attempt stands
   * @param generation for {@link Step#CHECKS_FAILED} and {@link Step#WAITING}: the generation the
   *     Attempt checked (or found unreadable)
   * @param requestedAt when the Attempt asked for a recreation, or null when it did not
   */
  public record Input(
      AuthSession session,
      SessionSecrets.State state,
      String lockHolder,
      Policy policy,
      Step step,
      int generation,
      Instant requestedAt) {}

  /** The gate's answer. */
  public sealed interface Answer permits Proceed, Wait, RequestRecreation, Stop, Retry {}

  /**
   * Check the state of {@code generation} and run the API.
   *
   * @param recreatedBy the operation Run that recreated the state for this Attempt, or null
   */
  public record Proceed(int generation, String recreatedBy) implements Answer {}

  /** Wait and ask again. */
  public record Wait(String message) implements Answer {}

  /** Ask the session to recreate the state of {@code generation}, and wait. */
  public record RequestRecreation(int generation, String message) implements Answer {}

  /**
   * The session cannot be made valid: the Attempt is Canceled with {@code code}.
   *
   * @param operation the recreation that could not log in, or null
   */
  public record Stop(String code, String message, String operation) implements Answer {
    public Stop(String code, String message) {
      this(code, message, null);
    }
  }

  /**
   * The recreation the Attempt waited for ended before the site answered (infrastructure): the
   * Attempt fails with {@code code}, retriable, and the next Attempt asks again.
   */
  public record Retry(String code, String message, String operation) implements Answer {
    public Retry(String code, String message) {
      this(code, message, null);
    }
  }

  /** The gate. */
  public static Answer decide(Input in) {
    return switch (in.step()) {
      case START -> start(in);
      case CHECKS_FAILED -> checksFailed(in);
      case WAITING -> waiting(in);
    };
  }

  /** Whether a Run with this policy may have the session's state recreated. */
  public static boolean mayRecreate(AuthSession session, Policy policy) {
    String type = session.getSpec().getType();
    return policy.autoRecreate() && ("Credentials".equals(type) || "Runtime".equals(type));
  }

  private static Answer start(Input in) {
    if (in.lockHolder() != null) {
      return new Wait(
          in.lockHolder() + " holds the session's lock; the Attempt validates once it is done");
    }
    SessionSecrets.State state = in.state();
    if (state.unreadable()) {
      return invalid(
          in,
          state.generation(),
          ErrorCode.StateUnreadable.name(),
          "the session's state Secret cannot be read");
    }
    if (state.generation() == 0) {
      if (mayRecreate(in.session(), in.policy())) {
        return new RequestRecreation(0, "the session has no state yet");
      }
      return new Wait("the session has no state yet");
    }
    return new Proceed(state.generation(), null);
  }

  private static Answer checksFailed(Input in) {
    SessionSecrets.State state = in.state();
    if (in.policy().recreatedAlready()) {
      return new Stop(
          ErrorCode.CheckAttemptsFailed.name(),
          "every check failed again right after the session was recreated");
    }
    if (state.generation() > in.generation() && !state.unreadable()) {
      return new Proceed(state.generation(), null);
    }
    SessionOperationStatus refused = refusal(in.session());
    if (refused != null && !in.policy().ofJobRun()) {
      return new Stop(refused.getCode(), refusedMessage(refused), refused.getName());
    }
    return invalid(in, in.generation(), ErrorCode.CheckAttemptsFailed.name(), "every check failed");
  }

  private static Answer waiting(Input in) {
    SessionSecrets.State state = in.state();
    boolean free = in.lockHolder() == null;
    SessionOperationStatus op = operation(in.session());
    boolean recreationOfIt =
        op != null
            && op.getKind() == SessionOperation.VALIDATE
            && op.getReplacesGeneration() != null
            && op.getReplacesGeneration() == in.generation();
    boolean endedAfterRequest =
        recreationOfIt
            && in.requestedAt() != null
            && op.getCompletionTime() != null
            && !Instant.parse(op.getCompletionTime()).isBefore(in.requestedAt());
    if (free && !state.unreadable() && state.generation() > in.generation()) {
      String by = in.requestedAt() == null ? null : state.createdBy();
      return new Proceed(state.generation(), by);
    }
    if (endedAfterRequest && !in.policy().ofJobRun()) {
      switch (op.getOutcome()) {
        case SessionOperationStatus.REFUSED -> {
          return new Stop(op.getCode(), refusedMessage(op), op.getName());
        }
        case SessionOperationStatus.INTERRUPTED -> {
          return new Retry(
              op.getCode() == null ? ErrorCode.RunnerCrashed.name() : op.getCode(),
              "AuthSession:Validate Run "
                  + op.getName()
                  + " ended before the site answered; the next Attempt asks again",
              op.getName());
        }
        case SessionOperationStatus.SUCCEEDED -> {
          if (free && !state.unreadable()) {
            // it found the state valid after all (no login): validate again, once
            return new Proceed(state.generation(), op.getName());
          }
        }
        default -> {
          // still running
        }
      }
    }
    if (in.requestedAt() == null && free && in.generation() == state.generation()) {
      // waited for a lock, not for a recreation: validate now
      return in.policy().ofJobRun() && !SessionPhase.Ready.is(phase(in.session()))
          ? new Wait("the session is not Ready; the JobRun sees to it")
          : new Proceed(state.generation(), null);
    }
    SessionOperationStatus refused = refusal(in.session());
    if (refused != null && !in.policy().ofJobRun() && in.requestedAt() != null) {
      return new Stop(refused.getCode(), refusedMessage(refused), refused.getName());
    }
    return new Wait(
        in.requestedAt() != null
            ? "waits for the session to recreate the state of generation " + in.generation()
            : "waits for the session's state to be renewed");
  }

  /** The state of {@code generation} is invalid: recreate it, wait for it, or stop. */
  private static Answer invalid(Input in, int generation, String code, String why) {
    if (mayRecreate(in.session(), in.policy())) {
      return new RequestRecreation(generation, why + "; the session recreates it");
    }
    if (in.policy().ofJobRun()) {
      return new Wait(why + "; the JobRun's Runs wait until the session is valid again");
    }
    return new Stop(
        code,
        why
            + (in.policy().autoRecreate()
                ? " and a " + in.session().getSpec().getType() + " session cannot be recreated"
                : " and autoRecreate is false"));
  }

  /** The session's last operation, when the site refused its login and the session is Failed. */
  private static SessionOperationStatus refusal(AuthSession session) {
    SessionOperationStatus op = operation(session);
    return SessionPhase.Failed.is(phase(session))
            && op != null
            && SessionOperationStatus.REFUSED.equals(op.getOutcome())
        ? op
        : null;
  }

  private static String refusedMessage(SessionOperationStatus op) {
    return op.getKind()
        + " Run "
        + op.getName()
        + " could not log in: the site refused it ("
        + op.getCode()
        + ")";
  }

  private static SessionOperationStatus operation(AuthSession session) {
    return session.getStatus() == null ? null : session.getStatus().getOperation();
  }

  private static String phase(AuthSession session) {
    return session.getStatus() == null ? null : session.getStatus().getPhase();
  }
}

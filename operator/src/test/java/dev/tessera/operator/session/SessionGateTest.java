package dev.tessera.operator.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.AuthSessionSpec;
import dev.tessera.api.v1alpha1.AuthSessionStatus;
import dev.tessera.api.v1alpha1.SessionOperation;
import dev.tessera.api.v1alpha1.SessionOperationStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The session gate, one row per case of the dependency rules: what an Attempt may do given its
 * session, the stored state, the lock and its own policy.
 */
class SessionGateTest {
  private static final Instant ASKED = Instant.parse("2026-12-06T10:00:00Z");
  private static final Instant BEFORE = ASKED.minusSeconds(60);
  private static final Instant AFTER = ASKED.plusSeconds(20);

  private static final SessionSecrets.State STATE_2 =
      new SessionSecrets.State(2, JsonNodeFactory.instance.objectNode(), false, "s-create-1");
  private static final SessionSecrets.State STATE_3 =
      new SessionSecrets.State(3, JsonNodeFactory.instance.objectNode(), false, "s-validate-4");
  private static final SessionSecrets.State UNREADABLE_2 =
      new SessionSecrets.State(2, null, true, "s-create-1");

  private static final SessionGate.Policy RECREATE = new SessionGate.Policy(true, false, false);
  private static final SessionGate.Policy NO_RECREATE = new SessionGate.Policy(false, false, false);
  private static final SessionGate.Policy JOB_RUN_NO_RECREATE =
      new SessionGate.Policy(false, true, false);
  private static final SessionGate.Policy RECREATED_ALREADY =
      new SessionGate.Policy(true, false, true);

  static Stream<Arguments> rules() {
    return Stream.of(
        row(
            "a valid state: check it and run the API",
            session("Credentials", "Ready", null),
            STATE_2,
            null,
            RECREATE,
            SessionGate.Step.START,
            0,
            null,
            new SessionGate.Proceed(2, null)),
        row(
            "locked by an operation: wait for it, then validate",
            session("Credentials", "Ready", null),
            STATE_2,
            "AuthSession:Update/s-update-1",
            RECREATE,
            SessionGate.Step.START,
            0,
            null,
            SessionGate.Wait.class),
        row(
            "expired, autoRecreate: ask the session for one recreation",
            session("Credentials", "Ready", null),
            STATE_2,
            null,
            RECREATE,
            SessionGate.Step.CHECKS_FAILED,
            2,
            null,
            SessionGate.RequestRecreation.class),
        row(
            "expired, autoRecreate false: the Attempt is canceled",
            session("Credentials", "Ready", null),
            STATE_2,
            null,
            NO_RECREATE,
            SessionGate.Step.CHECKS_FAILED,
            2,
            null,
            new SessionGate.Stop("CheckAttemptsFailed", "")),
        row(
            "expired, a Recorder session cannot log in by itself: canceled",
            session("Recorder", "Ready", null),
            STATE_2,
            null,
            RECREATE,
            SessionGate.Step.CHECKS_FAILED,
            2,
            null,
            new SessionGate.Stop("CheckAttemptsFailed", "")),
        row(
            "expired in a JobRun that may not recreate: wait, the JobRun pauses",
            session("Credentials", "Ready", null),
            STATE_2,
            null,
            JOB_RUN_NO_RECREATE,
            SessionGate.Step.CHECKS_FAILED,
            2,
            null,
            SessionGate.Wait.class),
        row(
            "renewed while the checks ran: validate again against the new state",
            session("Credentials", "Ready", null),
            STATE_3,
            null,
            RECREATE,
            SessionGate.Step.CHECKS_FAILED,
            2,
            null,
            new SessionGate.Proceed(3, null)),
        row(
            "failing again right after a recreation: canceled, never a loop of logins",
            session("Credentials", "Ready", null),
            STATE_3,
            null,
            RECREATED_ALREADY,
            SessionGate.Step.CHECKS_FAILED,
            3,
            null,
            new SessionGate.Stop("CheckAttemptsFailed", "")),
        row(
            "the recreation it asked for runs: wait",
            session("Credentials", "Creating", op(SessionOperationStatus.RUNNING, null, 2, null)),
            STATE_2,
            "AuthSession:Validate/s-validate-4",
            RECREATE,
            SessionGate.Step.WAITING,
            2,
            ASKED,
            SessionGate.Wait.class),
        row(
            "recreated: validate the new state, naming the operation that made it",
            session("Credentials", "Ready", op(SessionOperationStatus.SUCCEEDED, null, 2, AFTER)),
            STATE_3,
            null,
            RECREATE,
            SessionGate.Step.WAITING,
            2,
            ASKED,
            new SessionGate.Proceed(3, "s-validate-4")),
        row(
            "create failing: the site refused the login, canceled with its code",
            session(
                "Credentials",
                "Failed",
                op(SessionOperationStatus.REFUSED, "CreateAttemptsFailed", 2, AFTER)),
            STATE_2,
            null,
            RECREATE,
            SessionGate.Step.WAITING,
            2,
            ASKED,
            new SessionGate.Stop("CreateAttemptsFailed", "", "s-validate-4")),
        row(
            "post-create check failing: canceled with its code",
            session(
                "Credentials",
                "Failed",
                op(SessionOperationStatus.REFUSED, "PostCreateCheckAttemptsFailed", 2, AFTER)),
            STATE_2,
            null,
            RECREATE,
            SessionGate.Step.WAITING,
            2,
            ASKED,
            new SessionGate.Stop("PostCreateCheckAttemptsFailed", "")),
        row(
            "a refused session stops a later Attempt at once, without a login",
            session(
                "Credentials",
                "Failed",
                op(SessionOperationStatus.REFUSED, "CreateAttemptsFailed", 2, BEFORE)),
            STATE_2,
            null,
            RECREATE,
            SessionGate.Step.CHECKS_FAILED,
            2,
            null,
            // the Attempt names the login that was refused
            new SessionGate.Stop("CreateAttemptsFailed", "", "s-validate-4")),
        row(
            "infrastructure failure of the recreation: the Attempt fails, retriable",
            session(
                "Credentials",
                "Expired",
                op(SessionOperationStatus.INTERRUPTED, "RunnerCrashed", 2, AFTER)),
            STATE_2,
            null,
            RECREATE,
            SessionGate.Step.WAITING,
            2,
            ASKED,
            new SessionGate.Retry("RunnerCrashed", "")),
        row(
            "an interruption from before the Attempt asked: wait for the new recreation",
            session(
                "Credentials",
                "Expired",
                op(SessionOperationStatus.INTERRUPTED, "RunnerCrashed", 2, BEFORE)),
            STATE_2,
            null,
            RECREATE,
            SessionGate.Step.WAITING,
            2,
            ASKED,
            SessionGate.Wait.class),
        row(
            "unreadable state, autoRecreate: ask for a recreation without a check",
            session("Credentials", "Expired", null),
            UNREADABLE_2,
            null,
            RECREATE,
            SessionGate.Step.START,
            0,
            null,
            SessionGate.RequestRecreation.class),
        row(
            "unreadable state, autoRecreate false: canceled, saying why",
            session("Credentials", "Expired", null),
            UNREADABLE_2,
            null,
            NO_RECREATE,
            SessionGate.Step.START,
            0,
            null,
            new SessionGate.Stop("StateUnreadable", "")),
        row(
            "a Runtime session without a state: its first Run asks for the creation",
            session("Runtime", "Pending", null),
            SessionSecrets.State.NONE,
            null,
            RECREATE,
            SessionGate.Step.START,
            0,
            null,
            SessionGate.RequestRecreation.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void theGateAnswersEachDependencyRule(
      String rule,
      AuthSession session,
      SessionSecrets.State state,
      String lockHolder,
      SessionGate.Policy policy,
      SessionGate.Step step,
      int generation,
      Instant requestedAt,
      Object expected) {
    SessionGate.Answer answer =
        SessionGate.decide(
            new SessionGate.Input(
                session, state, lockHolder, policy, step, generation, requestedAt));
    if (expected instanceof Class<?> type) {
      assertThat(answer).as(rule).isInstanceOf(type);
    } else if (expected instanceof SessionGate.Stop stop) {
      assertThat(answer).as(rule).isInstanceOf(SessionGate.Stop.class);
      assertThat(((SessionGate.Stop) answer).code()).as(rule).isEqualTo(stop.code());
      assertThat(((SessionGate.Stop) answer).message()).as(rule).isNotBlank();
      if (stop.operation() != null) {
        assertThat(((SessionGate.Stop) answer).operation()).as(rule).isEqualTo(stop.operation());
      }
    } else if (expected instanceof SessionGate.Retry retry) {
      assertThat(answer).as(rule).isInstanceOf(SessionGate.Retry.class);
      assertThat(((SessionGate.Retry) answer).code()).as(rule).isEqualTo(retry.code());
    } else {
      assertThat(answer).as(rule).isEqualTo(expected);
    }
    if (answer instanceof SessionGate.RequestRecreation request) {
      // a recreation is always asked for the state that is stored now
      assertThat(request.generation()).as(rule).isEqualTo(state.generation());
    }
  }

  private static Arguments row(
      String rule,
      AuthSession session,
      SessionSecrets.State state,
      String lockHolder,
      SessionGate.Policy policy,
      SessionGate.Step step,
      int generation,
      Instant requestedAt,
      Object expected) {
    return Arguments.of(
        rule, session, state, lockHolder, policy, step, generation, requestedAt, expected);
  }

  private static AuthSession session(String type, String phase, SessionOperationStatus op) {
    AuthSession session = new AuthSession();
    session.setMetadata(new ObjectMetaBuilder().withName("s").withNamespace("ns").build());
    AuthSessionSpec spec = new AuthSessionSpec();
    spec.setProject("p");
    spec.setType(type);
    session.setSpec(spec);
    AuthSessionStatus status = new AuthSessionStatus();
    status.setPhase(phase);
    status.setOperation(op);
    session.setStatus(status);
    return session;
  }

  private static SessionOperationStatus op(
      String outcome, String code, int replacesGeneration, Instant ended) {
    SessionOperationStatus op = new SessionOperationStatus();
    op.setName("s-validate-4");
    op.setUid("uid-4");
    op.setKind(SessionOperation.VALIDATE);
    op.setReplacesGeneration(replacesGeneration);
    op.setOutcome(outcome);
    op.setCode(code);
    op.setCompletionTime(ended == null ? null : ended.toString());
    return op;
  }
}

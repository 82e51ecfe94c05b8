package dev.tessera.runner.attempt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tessera.api.protocol.AttemptInput;
import dev.tessera.api.protocol.AttemptResult;
import dev.tessera.api.protocol.ErrorCode;
import dev.tessera.api.protocol.Outcome;
import dev.tessera.api.protocol.RunnerError;
import dev.tessera.api.protocol.Validation;
import dev.tessera.api.protocol.ValidationOutcome;
import dev.tessera.api.v1alpha1.ApiDefinition;
import dev.tessera.api.v1alpha1.step.Goto;
import dev.tessera.api.v1alpha1.step.Step;
import dev.tessera.runner.log.ProcessClock;
import dev.tessera.runner.log.Redactor;
import dev.tessera.runner.log.RunnerLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AttemptRunnerTest {
  private static final JsonNode STATE = JsonNodeFactory.instance.objectNode().put("state", "saved");
  private static final Call PASS = Call.succeeded(JsonNodeFactory.instance.objectNode());
  private static final Call NOT_LOGGED_IN =
      Call.failed(
          RunnerError.ofStep(
              ErrorCode.RequestFailed,
              "step 1 (request GET /api/me)",
              "step 1 (request GET /api/me): answered HTTP 401, expected 200"));

  private final FakeBrowser browser = new FakeBrowser();
  private final List<Duration> pauses = new ArrayList<>();
  private final AtomicLong now = new AtomicLong(1_000);
  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
  private final RunnerLog log =
      new RunnerLog(
          new PrintStream(logged, true, StandardCharsets.UTF_8),
          ProcessClock.startedAt(Instant.ofEpochMilli(0), () -> Instant.ofEpochMilli(now.get())));
  private final AttemptRunner runner =
      new AttemptRunner(
          ProcessClock.startedAt(
              Instant.ofEpochMilli(0), () -> Instant.ofEpochMilli(now.addAndGet(10))),
          log,
          pauses::add,
          Duration.ofMillis(500));

  @Test
  void anApiWithoutCheckRunsWithoutValidation() {
    browser.answer(Role.API, Call.succeeded(result("rows", 3)));

    AttemptResult result = run(api(null));

    assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(result.validation()).isEqualTo(Validation.notRequired());
    assertThat(result.result()).isEqualTo(result("rows", 3));
    assertThat(browser.roles()).containsExactly(Role.API);
    assertThat(result.timings().validatedMs()).isNull();
  }

  @Test
  void theApiRunsInTheSessionWhoseCheckPassed() {
    browser.answer(Role.CHECK, NOT_LOGGED_IN, PASS);
    browser.answer(Role.API, Call.succeeded(result("rows", 3)));

    AttemptResult result = run(api(3));

    assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(result.validation()).isEqualTo(new Validation(2, 0, ValidationOutcome.Valid));
    assertThat(browser.calls)
        .containsExactly(
            new FakeBrowser.Made(Role.CHECK, 0),
            new FakeBrowser.Made(Role.CHECK, 0),
            new FakeBrowser.Made(Role.API, 0));
    assertThat(browser.sessions).hasSize(1);
    assertThat(browser.sessions.get(0).openedWith).isEqualTo(STATE);
    assertThat(browser.sessions.get(0).closed).isTrue();
    assertThat(pauses).containsExactly(Duration.ofMillis(500));
    assertThat(result.timings().browserReadyMs())
        .isLessThan(result.timings().validatedMs())
        .isLessThan(result.timings().finishedMs());
  }

  @Test
  void theApiNeverRunsWhenNoCheckPasses() {
    browser.answer(Role.CHECK, NOT_LOGGED_IN, NOT_LOGGED_IN, NOT_LOGGED_IN);

    AttemptResult result = run(api(3));

    assertThat(result.outcome()).isEqualTo(Outcome.DEPENDENCY_FAILED);
    assertThat(result.error().code()).isEqualTo(ErrorCode.CheckAttemptsFailed);
    assertThat(result.error().retriable()).isFalse();
    assertThat(result.error().step()).isEqualTo("step 1 (request GET /api/me)");
    assertThat(result.error().message()).contains("3 tries").contains("answered HTTP 401");
    assertThat(result.validation()).isEqualTo(new Validation(3, 0, ValidationOutcome.Invalid));
    assertThat(result.result()).isNull();
    assertThat(browser.roles()).containsOnly(Role.CHECK);
    assertThat(pauses).hasSize(2);
  }

  @Test
  void aFailingApiFailsTheAttemptWithTheStepsError() {
    RunnerError notFound =
        RunnerError.ofStep(
            ErrorCode.SelectorNotFound, "step 2 (click #go)", "step 2 (click #go): no element");
    browser.answer(Role.CHECK, PASS).answer(Role.API, Call.failed(notFound));

    AttemptResult result = run(api(3));

    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.error()).isEqualTo(notFound);
    assertThat(result.validation()).isEqualTo(new Validation(1, 0, ValidationOutcome.Valid));
  }

  @Test
  void createTriesFreshSessionsAndReturnsTheStateOfTheOneThatLoggedIn() {
    browser.answer(Role.CREATE, NOT_LOGGED_IN, PASS).answer(Role.CHECK, PASS);

    AttemptResult result = run(create());

    assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(result.validation()).isEqualTo(new Validation(1, 2, ValidationOutcome.Created));
    assertThat(result.storageState()).isEqualTo(browser.sessions.get(1).storageState());
    assertThat(browser.calls)
        .containsExactly(
            new FakeBrowser.Made(Role.CREATE, 0),
            new FakeBrowser.Made(Role.CREATE, 1),
            new FakeBrowser.Made(Role.CHECK, 1));
    assertThat(browser.sessions).allSatisfy(s -> assertThat(s.openedWith).isNull());
    assertThat(browser.sessions).allSatisfy(s -> assertThat(s.closed).isTrue());
    assertThat(result.result()).isNull();
  }

  @Test
  void createGivesUpAfterCreateAttempts() {
    browser.answer(Role.CREATE, NOT_LOGGED_IN, NOT_LOGGED_IN, NOT_LOGGED_IN);

    AttemptResult result = run(create());

    assertThat(result.outcome()).isEqualTo(Outcome.DEPENDENCY_FAILED);
    assertThat(result.error().code()).isEqualTo(ErrorCode.CreateAttemptsFailed);
    assertThat(result.validation()).isEqualTo(new Validation(0, 3, ValidationOutcome.CreateFailed));
    assertThat(result.storageState()).isNull();
    assertThat(browser.roles()).containsOnly(Role.CREATE);
    assertThat(browser.sessions).hasSize(3);
  }

  @Test
  void aCreateWhoseCheckNeverPassesReturnsNoState() {
    browser.answer(Role.CREATE, PASS).answer(Role.CHECK, NOT_LOGGED_IN, NOT_LOGGED_IN);

    AttemptResult result = run(create(2));

    assertThat(result.outcome()).isEqualTo(Outcome.DEPENDENCY_FAILED);
    assertThat(result.error().code()).isEqualTo(ErrorCode.PostCreateCheckAttemptsFailed);
    assertThat(result.validation())
        .isEqualTo(new Validation(2, 1, ValidationOutcome.PostCreateCheckFailed));
    assertThat(result.storageState()).isNull();
  }

  @Test
  void aCreateGivenAValidStateChecksItAndDoesNotLogIn() {
    browser.answer(Role.CHECK, NOT_LOGGED_IN, PASS);

    AttemptResult result = run(create().withStorageState(STATE));

    assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(result.validation()).isEqualTo(new Validation(2, 0, ValidationOutcome.Valid));
    assertThat(result.storageState()).isNull();
    assertThat(browser.roles()).containsOnly(Role.CHECK);
    assertThat(browser.sessions)
        .singleElement()
        .satisfies(s -> assertThat(s.openedWith).isEqualTo(STATE));
  }

  @Test
  void aCreateGivenAnInvalidStateLogsInAfterItsChecksFail() {
    browser.answer(Role.CHECK, NOT_LOGGED_IN, NOT_LOGGED_IN, PASS).answer(Role.CREATE, PASS);

    AttemptResult result = run(create(2).withStorageState(STATE));

    assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(result.validation()).isEqualTo(new Validation(3, 1, ValidationOutcome.Created));
    assertThat(result.storageState()).isEqualTo(browser.sessions.get(1).storageState());
    assertThat(browser.calls)
        .containsExactly(
            new FakeBrowser.Made(Role.CHECK, 0),
            new FakeBrowser.Made(Role.CHECK, 0),
            new FakeBrowser.Made(Role.CREATE, 1),
            new FakeBrowser.Made(Role.CHECK, 1));
    assertThat(browser.sessions.get(1).openedWith).isNull();
  }

  @Test
  void checkReportsTrueWhenTheStateIsValid() {
    browser.answer(Role.CHECK, PASS);

    AttemptResult result = run(check(3));

    assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(result.result()).isEqualTo(BooleanNode.TRUE);
    assertThat(result.validation()).isEqualTo(new Validation(1, 0, ValidationOutcome.Valid));
  }

  @Test
  void checkReportsFalseAfterCheckAttemptsTries() {
    browser.answer(Role.CHECK, NOT_LOGGED_IN, NOT_LOGGED_IN);

    AttemptResult result = run(check(2));

    assertThat(result.outcome()).isEqualTo(Outcome.DEPENDENCY_FAILED);
    assertThat(result.result()).isEqualTo(BooleanNode.FALSE);
    assertThat(result.error().code()).isEqualTo(ErrorCode.CheckAttemptsFailed);
    assertThat(result.validation()).isEqualTo(new Validation(2, 0, ValidationOutcome.Invalid));
  }

  @Test
  void aJavaCheckPassesOnlyWhenItReturnsTrue() {
    ApiDefinition javaCheck = new ApiDefinition();
    javaCheck.setClassName("com.example.LoggedIn");

    assertThat(AttemptRunner.checkFailure(javaCheck, Call.succeeded(BooleanNode.TRUE))).isNull();
    assertThat(AttemptRunner.checkFailure(javaCheck, Call.succeeded(BooleanNode.FALSE)))
        .extracting(RunnerError::message)
        .isEqualTo("com.example.LoggedIn returned false instead of true");
    assertThat(AttemptRunner.checkFailure(javaCheck, Call.succeeded(TextNode.valueOf("true"))))
        .isNotNull();
    assertThat(AttemptRunner.checkFailure(javaCheck, Call.succeeded(null))).isNotNull();
    assertThat(AttemptRunner.checkFailure(steps(), Call.succeeded(result("any", 1)))).isNull();
  }

  @Test
  void checksThatCannotReachTheProxyFailTheAttemptInsteadOfInvalidatingTheSession() {
    Call proxyDown =
        Call.failed(
            RunnerError.ofStep(
                ErrorCode.ProxyError, "step 1 (request GET /api/me)", "proxy unreachable"));
    browser.answer(Role.CHECK, proxyDown, proxyDown);

    AttemptResult result = run(api(2));

    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.error().code()).isEqualTo(ErrorCode.ProxyError);
    assertThat(result.error().retriable()).isTrue();
    assertThat(result.error().message()).contains("through the proxy in 2 tries");
  }

  @Test
  void aResultOverTheLimitFailsAndIsNotReturned() {
    ObjectNode big = JsonNodeFactory.instance.objectNode().put("text", "x".repeat(300));
    browser.answer(Role.API, Call.succeeded(big));

    AttemptResult result = run(api(null).withResultLimitBytes(100));

    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.error().code()).isEqualTo(ErrorCode.ResultTooBig);
    assertThat(result.error().message()).contains("311 bytes, over the limit of 100 bytes");
    assertThat(result.result()).isNull();
  }

  @Test
  void aBrowserThatCannotStartFailsTheAttempt() {
    browser.launchFailure =
        new SessionException(RunnerError.of(ErrorCode.BrowserLaunchFailed, "no Chromium"), null);

    AttemptResult result = run(check(3));

    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.error().code()).isEqualTo(ErrorCode.BrowserLaunchFailed);
    assertThat(result.timings().browserReadyMs()).isNull();
  }

  @Test
  void errorMessagesNeverCarryASecret() {
    log.redactWith(Redactor.of(List.of("hunter22")));
    browser.answer(
        Role.CREATE,
        Call.failed(
            RunnerError.ofStep(
                ErrorCode.NavigationFailed,
                "step 1 (goto $(params.url))",
                "could not load https://site/login?pw=hunter22")));

    AttemptResult result = run(create(1, 1));

    assertThat(result.error().message()).doesNotContain("hunter22").contains("pw=***");
    assertThat(logged.toString(StandardCharsets.UTF_8)).doesNotContain("hunter22");
  }

  private AttemptResult run(AttemptInput input) {
    return runner.run(input, browser, List::of);
  }

  private static ObjectNode result(String field, int value) {
    return JsonNodeFactory.instance.objectNode().put(field, value);
  }

  private static ApiDefinition steps() {
    ApiDefinition api = new ApiDefinition();
    api.setSteps(List.of(Step.of(new Goto("https://example.test/"))));
    return api;
  }

  private static AttemptInput.Api api(Integer checkAttempts) {
    return new AttemptInput.Api(
        "ns/run",
        1,
        "list",
        steps(),
        checkAttempts == null ? null : steps(),
        checkAttempts,
        STATE,
        JsonNodeFactory.instance.objectNode(),
        null,
        null,
        null,
        null);
  }

  private static AttemptInput.Create create() {
    return create(3, 3);
  }

  private static AttemptInput.Create create(int checkAttempts) {
    return create(checkAttempts, 3);
  }

  private static AttemptInput.Create create(int checkAttempts, int createAttempts) {
    return new AttemptInput.Create(
        "ns/run",
        1,
        steps(),
        createAttempts,
        steps(),
        checkAttempts,
        Map.of("password", "hunter22"),
        null,
        JsonNodeFactory.instance.objectNode(),
        null,
        null,
        null,
        null);
  }

  private static AttemptInput.Check check(int checkAttempts) {
    return new AttemptInput.Check(
        "ns/run",
        1,
        steps(),
        checkAttempts,
        STATE,
        JsonNodeFactory.instance.objectNode(),
        null,
        null,
        null,
        null);
  }
}

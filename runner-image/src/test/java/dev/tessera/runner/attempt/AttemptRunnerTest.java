package dev.tessera.runner.attempt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tessera.api.protocol.Artifact;
import dev.tessera.api.protocol.ArtifactPlan;
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
import dev.tessera.runner.result.Artifacts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  /** What the fake store received: URL -> content type and bytes. */
  private final Map<String, Upload> uploads = new LinkedHashMap<>();

  private final Set<String> refusedUploads = new java.util.HashSet<>();

  private record Upload(String contentType, byte[] bytes) {}

  private final AttemptRunner runner =
      new AttemptRunner(
          ProcessClock.startedAt(
              Instant.ofEpochMilli(0), () -> Instant.ofEpochMilli(now.addAndGet(10))),
          log,
          pauses::add,
          Duration.ofMillis(500),
          this::store);

  @TempDir Path dir;
  private Artifacts artifacts;

  private void store(URI url, Path file, String contentType, Duration timeout) throws IOException {
    assertThat(timeout).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(30));
    if (url.getHost().equals("down.test")) {
      throw new dev.tessera.runner.artifact.Uploader.Unreachable("connection refused", null);
    }
    if (refusedUploads.contains(url.getPath())) {
      throw new IOException("the store answered HTTP 403 AccessDenied");
    }
    uploads.put(url.toString(), new Upload(contentType, Files.readAllBytes(file)));
  }

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
    browser.answer(Role.CHECK, PASS, PASS).answer(Role.API, Call.failed(notFound));

    AttemptResult result = run(api(3));

    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.error()).isEqualTo(notFound);
    // checked again after the failure: the session still holds, so the API failed
    assertThat(result.validation()).isEqualTo(new Validation(2, 0, ValidationOutcome.Valid));
    assertThat(browser.roles()).containsExactly(Role.CHECK, Role.API, Role.CHECK);
  }

  @Test
  void anApiThatFailsBecauseTheSessionEndedAfterItsCheckReportsTheSessionExpired() {
    RunnerError loginPage =
        RunnerError.ofStep(
            ErrorCode.SelectorNotFound, "step 2 (extract #me)", "step 2 (extract #me): no element");
    browser
        .answer(Role.CHECK, PASS, NOT_LOGGED_IN, NOT_LOGGED_IN)
        .answer(Role.API, Call.failed(loginPage));

    AttemptResult result = run(api(2));

    assertThat(result.outcome()).isEqualTo(Outcome.DEPENDENCY_FAILED);
    assertThat(result.error().code()).isEqualTo(ErrorCode.CheckAttemptsFailed);
    assertThat(result.error().message()).startsWith("check after the API failed did not pass");
    assertThat(result.validation()).isEqualTo(new Validation(3, 0, ValidationOutcome.Invalid));
    assertThat(result.result()).isNull();
    assertThat(browser.roles()).containsExactly(Role.CHECK, Role.API, Role.CHECK, Role.CHECK);
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
    return runner.run(input, browser, artifacts());
  }

  private Artifacts artifacts() {
    if (artifacts == null) {
      artifacts = new Artifacts(dir.resolve("artifacts"));
    }
    return artifacts;
  }

  private static ArtifactPlan plan(String when, String... names) {
    Map<String, String> urls = new LinkedHashMap<>();
    for (String name : names) {
      urls.put(name, "http://store.test/bucket/run-1/" + name + "?X-Amz-Signature=sig123");
    }
    return new ArtifactPlan(when, urls);
  }

  private static String url(String name) {
    return "http://store.test/bucket/run-1/" + name + "?X-Amz-Signature=sig123";
  }

  private static Map<String, String> unzip(byte[] zip) throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        entries.put(entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return entries;
  }

  @Test
  void withoutAPlanNothingIsTracedNorKept() {
    browser.answer(Role.CHECK, PASS, PASS).answer(Role.API, NOT_LOGGED_IN);

    AttemptResult result = run(api(3));

    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(browser.events).containsExactly("call CHECK", "call API", "call CHECK");
    assertThat(uploads).isEmpty();
    assertThat(result.artifacts()).isNull();
  }

  @Test
  void loginsAndChecksAreNeverTraced() {
    browser.answer(Role.CREATE, PASS).answer(Role.CHECK, PASS, PASS);

    run(create(1, 1));
    run(check(1));

    assertThat(browser.events).containsExactly("call CREATE", "call CHECK", "call CHECK");
    assertThat(uploads).isEmpty();
  }

  @Test
  void aFailedApiIsTracedFromBeforeTheCheckAndItsArtifactsAreMaskedUploadedAndListed()
      throws IOException {
    ObjectNode input = JsonNodeFactory.instance.objectNode();
    input.putArray("cookies").addObject().put("name", "sid").put("value", "input-cookie-value");
    ObjectNode end = JsonNodeFactory.instance.objectNode();
    end.putArray("cookies").addObject().put("name", "csrf").put("value", "new-cookie-value");
    end.putArray("origins")
        .addObject()
        .put("origin", "https://site.test")
        .putArray("localStorage")
        .addObject()
        .put("name", "auth")
        .put("value", "{\"token\":\"nested-token-value\"}");
    browser.stateSoFar = end;
    browser.html =
        "<p>input-cookie-value new-cookie-value nested-token-value hunter22 proxy-pw</p>";
    browser.trace =
        Map.of(
            "trace.trace",
            "{\"type\":\"before\",\"method\":\"goto\",\"params\":{\"url\":\"https://site.test/?t=new-cookie-value\"}}\n",
            "trace.network",
            "{\"type\":\"resource-snapshot\",\"snapshot\":{\"request\":{\"headers\":"
                + "[{\"name\":\"Cookie\",\"value\":\"rotated=rotated-value\"}]}}}\n",
            "resources/page.html",
            "<b>rotated-value</b>");
    log.redactWith(Redactor.of(List.of("hunter22")));
    browser.answer(Role.CHECK, PASS, PASS).answer(Role.API, NOT_LOGGED_IN);
    Path stepShot = artifacts().newFile("shot", "png");
    Files.write(stepShot, new byte[] {(byte) 0x89, 'P', 'N', 'G', 9});
    artifacts().add("shot", stepShot, "image/png", new Artifacts.StepKey("api list", 2));
    Path checkShot = artifacts().newFile("check", "png");
    Files.write(checkShot, new byte[] {(byte) 0x89, 'P', 'N', 'G', 8});
    artifacts().add("check", checkShot, "image/png", new Artifacts.StepKey("check", 1));

    AttemptResult result =
        run(
            withState(api(3), input)
                .withArtifacts(
                    plan(
                        null,
                        "trace.zip",
                        "screenshot.png",
                        "page.html",
                        "step-1.png",
                        "step-2.png")));

    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.error().code()).isEqualTo(ErrorCode.RequestFailed);
    assertThat(browser.events)
        .containsExactly(
            "trace start api list",
            "call CHECK",
            "call API",
            "trace save",
            "screenshot",
            "html",
            "call CHECK");
    assertThat(result.artifacts())
        .extracting(Artifact::name)
        .containsExactly("trace.zip", "screenshot.png", "page.html", "step-2.png");
    assertThat(result.artifacts())
        .extracting(Artifact::contentType)
        .containsExactly("application/zip", "image/png", "text/html; charset=utf-8", "image/png");
    for (Artifact artifact : result.artifacts()) {
      Path file = dir.resolve("artifacts").resolve(artifact.path());
      assertThat(file).exists();
      assertThat(artifact.bytes()).isEqualTo(Files.size(file));
      assertThat(uploads.get(url(artifact.name())).bytes()).hasSize((int) artifact.bytes());
      assertThat(uploads.get(url(artifact.name())).contentType()).isEqualTo(artifact.contentType());
    }
    assertThat(uploads).doesNotContainKey(url("step-1.png"));
    assertThat(uploads.get(url("step-2.png")).bytes()).isEqualTo(Files.readAllBytes(stepShot));
    String html = new String(uploads.get(url("page.html")).bytes(), StandardCharsets.UTF_8);
    assertThat(html).isEqualTo("<p>*** *** *** *** proxy-pw</p>");
    Map<String, String> trace = unzip(uploads.get(url("trace.zip")).bytes());
    assertThat(trace.keySet())
        .containsExactlyInAnyOrder("trace.trace", "trace.network", "resources/page.html");
    assertThat(trace.get("trace.trace")).contains("\"url\":\"https://site.test/?t=***\"");
    assertThat(trace.get("trace.network")).contains("{\"name\":\"Cookie\",\"value\":\"***\"}");
    assertThat(trace.get("resources/page.html")).isEqualTo("<b>***</b>");
    try (var files = Files.list(dir.resolve("artifacts"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("the unmasked trace is deleted")
          .noneMatch(name -> name.contains("unmasked"));
    }
    String logText = logged.toString(StandardCharsets.UTF_8);
    assertThat(logText)
        .contains("artifact trace.zip (")
        .contains("uploaded to http://store.test/bucket/run-1/trace.zip in")
        .contains("no step-1.png, step 1 of the API took no screenshot")
        .doesNotContain("sig123");
  }

  @Test
  void aSucceededApiKeepsNothingOnFailureOnlyAndEverythingAlways() {
    browser.answer(Role.API, PASS, PASS);

    AttemptResult onFailure =
        run(api(null).withArtifacts(plan("OnFailure", "trace.zip", "page.html")));

    assertThat(onFailure.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(browser.events).containsExactly("trace start api list", "call API", "trace drop");
    assertThat(uploads).isEmpty();
    assertThat(onFailure.artifacts()).isNull();

    browser.events.clear();
    AttemptResult always = run(api(null).withArtifacts(plan("Always", "trace.zip", "page.html")));

    assertThat(always.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(browser.events)
        .containsExactly("trace start api list", "call API", "trace save", "html");
    assertThat(always.artifacts())
        .extracting(Artifact::name)
        .containsExactly("trace.zip", "page.html");
  }

  @Test
  void aPlanWithoutATraceStartsNoTraceAndAMissingPageIsSkipped() {
    browser.html = null;
    browser.answer(Role.API, NOT_LOGGED_IN);

    AttemptResult result = run(api(null).withArtifacts(plan(null, "screenshot.png", "page.html")));

    assertThat(browser.events).containsExactly("call API", "screenshot", "html");
    assertThat(result.artifacts()).isNull();
    assertThat(uploads).isEmpty();
    assertThat(logged.toString(StandardCharsets.UTF_8))
        .contains("no screenshot, the Attempt opened no page");
  }

  @Test
  void aFailedUploadIsLoggedAndLeftOutWithoutChangingTheOutcome() {
    refusedUploads.add("/bucket/run-1/page.html");
    browser.answer(Role.API, NOT_LOGGED_IN);

    AttemptResult result = run(api(null).withArtifacts(plan(null, "trace.zip", "page.html")));

    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.error().code()).isEqualTo(ErrorCode.RequestFailed);
    assertThat(result.artifacts()).extracting(Artifact::name).containsExactly("trace.zip");
    assertThat(logged.toString(StandardCharsets.UTF_8))
        .contains(
            "artifact page.html (34 bytes) not uploaded to http://store.test/bucket/run-1/page.html:"
                + " IOException: the store answered HTTP 403 AccessDenied")
        .doesNotContain("sig123");
  }

  @Test
  void aStoreThatCannotBeReachedIsTriedOnce() {
    browser.answer(Role.API, NOT_LOGGED_IN);
    Map<String, String> urls = new LinkedHashMap<>();
    urls.put("trace.zip", "http://down.test/b/trace.zip?X-Amz-Signature=sig123");
    urls.put("page.html", "http://down.test/b/page.html?X-Amz-Signature=sig123");
    urls.put("screenshot.png", "http://store.test/b/screenshot.png?X-Amz-Signature=sig123");

    AttemptResult result = run(api(null).withArtifacts(new ArtifactPlan(null, urls)));

    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.error().code()).isEqualTo(ErrorCode.RequestFailed);
    assertThat(result.artifacts()).extracting(Artifact::name).containsExactly("screenshot.png");
    assertThat(logged.toString(StandardCharsets.UTF_8))
        .contains("artifact trace.zip (")
        .contains("not uploaded to http://down.test/b/trace.zip: Unreachable: connection refused")
        .contains("artifact page.html (34 bytes) not uploaded: the store cannot be reached")
        .doesNotContain("sig123");
  }

  private static AttemptInput.Api withState(AttemptInput.Api api, JsonNode state) {
    return new AttemptInput.Api(
        api.run(),
        api.attempt(),
        api.apiName(),
        api.api(),
        api.check(),
        api.checkAttempts(),
        state,
        api.parameters(),
        api.browser(),
        api.proxy(),
        api.stepTimeoutSeconds(),
        api.resultLimitBytes(),
        api.artifacts());
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

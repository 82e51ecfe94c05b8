package dev.tessera.runner.it;

import static dev.tessera.runner.testing.RunnerProcess.runner;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.api.protocol.ErrorCode;
import dev.tessera.api.protocol.Outcome;
import dev.tessera.api.protocol.Validation;
import dev.tessera.api.protocol.ValidationOutcome;
import dev.tessera.api.v1alpha1.ApiDefinition;
import dev.tessera.api.v1alpha1.Project;
import dev.tessera.api.v1alpha1.step.Click;
import dev.tessera.api.v1alpha1.step.Extract;
import dev.tessera.api.v1alpha1.step.Goto;
import dev.tessera.api.v1alpha1.step.Screenshot;
import dev.tessera.api.v1alpha1.step.Step;
import dev.tessera.demosite.DemoSite;
import dev.tessera.demosite.DemoSiteStats;
import dev.tessera.demosite.DemoUsers;
import dev.tessera.runner.testing.Examples;
import dev.tessera.runner.testing.Inputs;
import dev.tessera.runner.testing.RunnerProcess;
import dev.tessera.runner.testing.StorageStates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runner, as a separate process with real Chromium, runs {@code examples/demo}'s definitions
 * against the demo site: the create logs in once, the saved state is reused without logging in
 * again, and the APIs read what the site serves.
 */
class DemoProjectIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<RunnerProcess.Run> RUNS = new ArrayList<>();

  private static DemoSite site;
  private static Project project;
  private static RunnerProcess.Run created;
  private static DemoSiteStats statsAfterCreate;

  @BeforeAll
  static void logInOnce() {
    site = DemoSite.start();
    project = Examples.project("demo");
    // This run extracts Playwright's driver itself; the others use a pre-extracted one.
    created =
        record(
            runner()
                .withTerminationLog()
                .run(
                    inputs()
                        .create(
                            Map.of(
                                "username",
                                DemoUsers.ALICE.username(),
                                "password",
                                DemoUsers.ALICE.password()))
                        .build()));
    statsAfterCreate = site.stats();
  }

  @AfterAll
  static void stopSite() {
    if (site != null) {
      site.close();
    }
  }

  @AfterAll
  static void noRunEverShowedThePassword() {
    for (RunnerProcess.Run run : RUNS) {
      assertThat(run.stderr()).doesNotContain(DemoUsers.ALICE.password());
      assertThat(run.output()).doesNotContain(DemoUsers.ALICE.password());
    }
  }

  @Test
  void createLogsInOnceAndCapturesTheSessionCookieAndTheLocalStorageToken() {
    assertThat(created.exitCode()).as(created::describe).isZero();
    assertThat(created.result().outcome()).as(created::describe).isEqualTo(Outcome.SUCCEEDED);
    assertThat(created.result().validation())
        .isEqualTo(new Validation(1, 1, ValidationOutcome.Created));
    assertThat(statsAfterCreate.loginsOf("alice")).isEqualTo(new DemoSiteStats.LoginCounts(1, 0));
    JsonNode state = created.storageState();
    assertThat(StorageStates.cookie(state, "demo_session")).isPresent();
    assertThat(StorageStates.localStorage(state, "demo_token")).isPresent();
    assertThat(created.terminationMessage())
        .isEqualTo("outcome=SUCCEEDED validation=Created checks=1 creates=1");
    assertThat(created.stderr())
        .contains("create step 3 (fill #password) of 5 ok")
        .doesNotContain(DemoUsers.ALICE.password());
    assertThat(created.result().timings().browserReadyMs()).isPositive();
    assertThat(created.result().timings().validatedMs())
        .isGreaterThan(created.result().timings().browserReadyMs());
    assertThat(created.result().timings().finishedMs())
        .isGreaterThanOrEqualTo(created.result().timings().validatedMs());
  }

  @Test
  void checkWithTheSavedStateIsValidWithoutLoggingInAgain() {
    DemoSiteStats before = site.stats();

    RunnerProcess.Run run = run(inputs().check(created.storageState()));

    assertThat(run.result().outcome()).as(run::describe).isEqualTo(Outcome.SUCCEEDED);
    assertThat(run.result().result().booleanValue()).isTrue();
    assertThat(run.result().validation()).isEqualTo(new Validation(1, 0, ValidationOutcome.Valid));
    assertThat(site.stats().loginsOf("alice")).isEqualTo(before.loginsOf("alice"));
    assertThat(site.stats().requestsTo("/login")).isEqualTo(before.requestsTo("/login"));
  }

  @Test
  void invoicesApiValidatesFirstAndReadsWhatTheSiteServes() throws Exception {
    DemoSiteStats before = site.stats();

    RunnerProcess.Run run = run(inputs().api("invoices", created.storageState()).param("page", 2));

    assertThat(run.result().outcome()).as(run::describe).isEqualTo(Outcome.SUCCEEDED);
    assertThat(run.result().validation()).isEqualTo(new Validation(1, 0, ValidationOutcome.Valid));
    JsonNode served =
        get(
            "/api/invoices?page=2",
            "Cookie",
            "demo_session=" + StorageStates.cookie(created.storageState(), "demo_session").get());
    assertThat(served.path("invoices")).hasSize(10);
    assertThat(run.result().result().path("invoices")).isEqualTo(served.path("invoices"));
    assertThat(run.result().result().path("pageInfo").asText()).isEqualTo("Page 2 of 4");
    DemoSiteStats after = site.stats();
    assertThat(after.loginsOf("alice")).isEqualTo(before.loginsOf("alice"));
    assertThat(after.requestsTo("/api/me") - before.requestsTo("/api/me")).isEqualTo(1);
  }

  @Test
  void reportsWorkBecauseTheLocalStorageTokenWasCaptured() throws Exception {
    RunnerProcess.Run run = run(inputs().api("reports", created.storageState()));

    assertThat(run.result().outcome()).as(run::describe).isEqualTo(Outcome.SUCCEEDED);
    JsonNode served =
        get(
            "/api/reports",
            "Authorization",
            "Bearer " + StorageStates.localStorage(created.storageState(), "demo_token").get());
    assertThat(run.result().result().path("reports")).isNotEmpty();
    assertThat(run.result().result().path("reports")).isEqualTo(served.path("reports"));
  }

  @Test
  void withoutTheLocalStorageTheReportsPageHasNoToken() throws IOException {
    ApiDefinition tokenMessage =
        api(
            goTo("$(params.baseUrl)/reports"),
            extract("message", "#token-missing"),
            screenshot("reports"));

    RunnerProcess.Run run =
        run(
            inputs()
                .api(
                    "tokenMessage",
                    tokenMessage,
                    StorageStates.withoutLocalStorage(created.storageState())));

    assertThat(run.result().outcome()).as(run::describe).isEqualTo(Outcome.SUCCEEDED);
    assertThat(run.result().validation().outcome()).isEqualTo(ValidationOutcome.Valid);
    assertThat(run.result().result().path("message").asText())
        .startsWith("No API token in this browser");
    assertThat(run.result().artifacts()).hasSize(1);
    assertThat(run.result().artifacts().get(0).name()).isEqualTo("reports");
    assertThat(run.result().artifacts().get(0).contentType()).isEqualTo("image/png");
    byte[] png =
        Files.readAllBytes(run.artifacts().resolve(run.result().artifacts().get(0).path()));
    assertThat(png).hasSize((int) run.result().artifacts().get(0).bytes());
    assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
  }

  @Test
  void aMissingSelectorFailsWithSelectorNotFoundNamingTheStepAndTheSelector() {
    ApiDefinition broken = api(goTo("$(params.baseUrl)/dashboard"), click("#no-such-button"));

    RunnerProcess.Run run =
        run(inputs().api("broken", broken, created.storageState()).stepTimeoutSeconds(2));

    assertThat(run.exitCode()).isZero();
    assertThat(run.result().outcome()).as(run::describe).isEqualTo(Outcome.FAILED);
    assertThat(run.result().error().code()).isEqualTo(ErrorCode.SelectorNotFound);
    assertThat(run.result().error().step()).isEqualTo("step 2 (click #no-such-button)");
    // the step is said once, in its own field
    assertThat(run.result().error().message())
        .doesNotContain("step 2")
        .contains("\"#no-such-button\"")
        .contains("2 s");
    assertThat(run.result().validation().outcome()).isEqualTo(ValidationOutcome.Valid);
  }

  @Test
  void javaApiAndJavaCheckComeFromThePluginDirectory() {
    ApiDefinition profile = new ApiDefinition();
    profile.setClassName(ProfileApi.class.getName());
    ApiDefinition check = new ApiDefinition();
    check.setClassName(LoggedInCheck.class.getName());

    RunnerProcess.Run run =
        record(
            runner()
                .withPreExtractedDriver()
                .withPlugins(RunnerProcess.testClasses())
                .run(
                    inputs()
                        .api("profile", profile, created.storageState())
                        .checkWith(check)
                        .build()));

    assertThat(run.result().outcome()).as(run::describe).isEqualTo(Outcome.SUCCEEDED);
    assertThat(run.result().validation()).isEqualTo(new Validation(1, 0, ValidationOutcome.Valid));
    assertThat(run.result().result().path("user").asText()).isEqualTo("alice");
    assertThat(run.result().result().path("profile").path("email").asText())
        .isEqualTo(DemoUsers.ALICE.email());
  }

  @Test
  void aResultOverTheLimitFailsWithResultTooBigAndIsNotTruncated() {
    RunnerProcess.Run run =
        run(
            inputs()
                .api("invoices", created.storageState())
                .param("page", 1)
                .resultLimitBytes(200));

    assertThat(run.result().outcome()).as(run::describe).isEqualTo(Outcome.FAILED);
    assertThat(run.result().error().code()).isEqualTo(ErrorCode.ResultTooBig);
    assertThat(run.result().error().message()).contains("over the limit of 200 bytes");
    assertThat(run.result().result()).isNull();
  }

  private static Inputs inputs() {
    return Inputs.of(project, site.baseUrl());
  }

  private static RunnerProcess.Run run(Inputs inputs) {
    return record(runner().withPreExtractedDriver().run(inputs.build()));
  }

  private static RunnerProcess.Run record(RunnerProcess.Run run) {
    synchronized (RUNS) {
      RUNS.add(run);
    }
    return run;
  }

  private static JsonNode get(String path, String header, String value) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(site.baseUrl() + path))
                    .header(header, value)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static ApiDefinition api(Step... steps) {
    ApiDefinition api = new ApiDefinition();
    api.setSteps(List.of(steps));
    return api;
  }

  private static Step goTo(String url) {
    return Step.of(new Goto(url));
  }

  private static Step click(String selector) {
    return Step.of(new Click(selector));
  }

  private static Step extract(String as, String selector) {
    return Step.of(new Extract(as, selector, null, null, null, null, null));
  }

  private static Step screenshot(String as) {
    return Step.of(new Screenshot(as, null));
  }
}

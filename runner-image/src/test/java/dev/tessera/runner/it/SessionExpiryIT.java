package dev.tessera.runner.it;

import static dev.tessera.runner.testing.RunnerProcess.runner;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tessera.api.protocol.ErrorCode;
import dev.tessera.api.protocol.Outcome;
import dev.tessera.api.protocol.Validation;
import dev.tessera.api.protocol.ValidationOutcome;
import dev.tessera.api.v1alpha1.ApiDefinition;
import dev.tessera.api.v1alpha1.Project;
import dev.tessera.demosite.DemoSite;
import dev.tessera.demosite.DemoSiteStats;
import dev.tessera.demosite.DemoUsers;
import dev.tessera.runner.testing.Examples;
import dev.tessera.runner.testing.Inputs;
import dev.tessera.runner.testing.RunnerProcess;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Once the site has ended the session, the saved state no longer passes the check: the runner tries
 * the check exactly {@code checkAttempts} times, reports the dependency as failed, and never runs
 * the API nor logs in by itself.
 */
class SessionExpiryIT {
  private static DemoSite site;
  private static Project project;
  private static JsonNode expiredState;

  @BeforeAll
  static void createThenExpire() {
    site = DemoSite.start();
    project = Examples.project("demo");
    expiredState = carolLoggedIn();
    assertThat(site.expireSessions()).isEqualTo(1);
  }

  /** The state of a fresh login of carol. */
  private static JsonNode carolLoggedIn() {
    RunnerProcess.Run created =
        runner()
            .withPreExtractedDriver()
            .run(
                Inputs.of(project, site.baseUrl())
                    .create(
                        Map.of(
                            "username", DemoUsers.CAROL.username(),
                            "password", DemoUsers.CAROL.password()))
                    .build());
    assertThat(created.result().outcome()).as(created::describe).isEqualTo(Outcome.SUCCEEDED);
    return created.storageState();
  }

  @AfterAll
  static void stopSite() {
    site.close();
  }

  @Test
  void aCheckTheSiteAnswers401FailsAfterOneTryOfTheThreeAllowed() {
    DemoSiteStats before = site.stats();

    RunnerProcess.Run run =
        runner()
            .withPreExtractedDriver()
            .withTerminationLog()
            .run(Inputs.of(project, site.baseUrl()).check(expiredState).checkAttempts(3).build());

    assertThat(run.exitCode()).isZero();
    assertThat(run.result().outcome()).as(run::describe).isEqualTo(Outcome.DEPENDENCY_FAILED);
    assertThat(run.result().result().booleanValue()).isFalse();
    assertThat(run.result().error().code()).isEqualTo(ErrorCode.CheckAttemptsFailed);
    assertThat(run.result().error().message()).contains("1 try").contains("401");
    assertThat(run.result().validation())
        .as("a 401 is the site's answer, which another try would only repeat")
        .isEqualTo(new Validation(1, 0, ValidationOutcome.Invalid));
    DemoSiteStats after = site.stats();
    assertThat(after.requestsTo("/api/me") - before.requestsTo("/api/me")).isEqualTo(1);
    assertThat(after.loginsOf("carol")).isEqualTo(before.loginsOf("carol"));
    assertThat(run.terminationMessage())
        .startsWith("outcome=DEPENDENCY_FAILED validation=Invalid checks=1 creates=0")
        .contains("code=CheckAttemptsFailed");
  }

  @Test
  void anApiThatFailsBecauseTheSiteEndedTheSessionAfterItsCheckReportsAnInvalidSession()
      throws Exception {
    JsonNode state = carolLoggedIn();
    // the site ends the session between the check (passed) and the API's request
    ApiDefinition loggedOut =
        new YAMLMapper()
            .readValue(
                "{steps: [{goto: \"$(params.baseUrl)/logout\"},"
                    + " {request: {url: \"$(params.baseUrl)/api/me\", expectStatus: 200}}]}",
                ApiDefinition.class);
    DemoSiteStats before = site.stats();

    RunnerProcess.Run run =
        runner()
            .withPreExtractedDriver()
            .run(
                Inputs.of(project, site.baseUrl())
                    .api("logged-out", loggedOut, state)
                    .checkAttempts(2)
                    .build());

    assertThat(run.result().outcome()).as(run::describe).isEqualTo(Outcome.DEPENDENCY_FAILED);
    assertThat(run.result().error().code()).isEqualTo(ErrorCode.CheckAttemptsFailed);
    assertThat(run.result().error().message())
        .startsWith("check after the API failed did not pass in 1 try")
        .contains("401");
    assertThat(run.result().validation())
        .as("the check before the API passed; the one after it did not")
        .isEqualTo(new Validation(2, 0, ValidationOutcome.Invalid));
    assertThat(run.result().result()).isNull();
    DemoSiteStats after = site.stats();
    assertThat(after.requestsTo("/api/me") - before.requestsTo("/api/me")).isEqualTo(3);
    assertThat(after.loginsOf("carol")).isEqualTo(before.loginsOf("carol"));
  }

  @Test
  void apiAttemptNeverRunsTheApiWhenTheCheckFails() {
    DemoSiteStats before = site.stats();

    RunnerProcess.Run run =
        runner()
            .withPreExtractedDriver()
            .run(
                Inputs.of(project, site.baseUrl())
                    .api("invoices", expiredState)
                    .param("page", 1)
                    .checkAttempts(2)
                    .build());

    assertThat(run.result().outcome()).as(run::describe).isEqualTo(Outcome.DEPENDENCY_FAILED);
    assertThat(run.result().error().code()).isEqualTo(ErrorCode.CheckAttemptsFailed);
    assertThat(run.result().validation())
        .isEqualTo(new Validation(1, 0, ValidationOutcome.Invalid));
    assertThat(run.result().result()).isNull();
    DemoSiteStats after = site.stats();
    assertThat(after.requestsTo("/invoices")).isEqualTo(before.requestsTo("/invoices"));
    assertThat(after.requestsTo("/login")).isEqualTo(before.requestsTo("/login"));
  }
}

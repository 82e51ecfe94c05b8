package dev.tessera.runner.it;

import static dev.tessera.runner.testing.RunnerProcess.runner;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.api.protocol.ErrorCode;
import dev.tessera.api.protocol.Outcome;
import dev.tessera.api.protocol.Validation;
import dev.tessera.api.protocol.ValidationOutcome;
import dev.tessera.api.v1alpha1.Project;
import dev.tessera.demosite.DemoSite;
import dev.tessera.demosite.DemoSiteStats;
import dev.tessera.demosite.DemoUsers;
import dev.tessera.runner.testing.Examples;
import dev.tessera.runner.testing.Inputs;
import dev.tessera.runner.testing.RunnerProcess;
import dev.tessera.runner.testing.StorageStates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The authoring patterns of docs/authoring.md on the demo site, as the examples write them: a check
 * made of one request with the token from localStorage ({@code examples/spa}), a login the site
 * refuses, a page check that decides on the first outcome it sees ({@code examples/mfa}), and rows
 * drawn after the page loaded.
 */
class AuthoringIT {
  private static DemoSite site;
  private static Project spa;
  private static JsonNode aliceState;

  @BeforeAll
  static void startSite() {
    site = DemoSite.start();
    spa = Examples.project("spa");
  }

  @AfterAll
  static void stopSite() {
    site.close();
  }

  @BeforeEach
  void loggedIn() {
    if (aliceState == null) {
      RunnerProcess.Run created = runner().withPreExtractedDriver().run(create(spa, "wonderland"));
      assertThat(created.result().outcome()).as(created::describe).isEqualTo(Outcome.SUCCEEDED);
      aliceState = created.storageState();
      assertThat(StorageStates.localStorage(aliceState, "demo_token")).isPresent();
    }
  }

  private static dev.tessera.api.protocol.AttemptInput create(Project project, String password) {
    return Inputs.of(project, site.baseUrl())
        .create(Map.of("username", DemoUsers.ALICE.username(), "password", password))
        .build();
  }

  @Test
  void aRequestCheckReadsTheTokenFromLocalStorageAndNeverShowsIt() {
    String token = StorageStates.localStorage(aliceState, "demo_token").orElseThrow();
    long before = site.stats().requestsTo("/api/reports");

    RunnerProcess.Run valid =
        runner()
            .withPreExtractedDriver()
            .run(Inputs.of(spa, site.baseUrl()).api("reports", aliceState).build());

    assertThat(valid.result().outcome()).as(valid::describe).isEqualTo(Outcome.SUCCEEDED);
    assertThat(valid.result().validation())
        .isEqualTo(new Validation(1, 0, ValidationOutcome.Valid));
    assertThat(valid.result().result().path("reports").path("reports").size()).isPositive();
    // the check and the API each called the bearer API, and no page was opened for either
    assertThat(site.stats().requestsTo("/api/reports")).isEqualTo(before + 2);
    assertThat(valid.stderr()).doesNotContain("page opened").doesNotContain(token);
  }

  @Test
  void aRequestCheckOfAnEndedSessionFailsAtOnceWithoutAnotherTry() {
    JsonNode state = loginAs(DemoUsers.CAROL.username(), DemoUsers.CAROL.password());
    site.expireSessions();
    aliceState = null;

    RunnerProcess.Run check =
        runner().withPreExtractedDriver().run(Inputs.of(spa, site.baseUrl()).check(state).build());

    assertThat(check.result().outcome()).as(check::describe).isEqualTo(Outcome.DEPENDENCY_FAILED);
    assertThat(check.result().validation())
        .as("a 401 is the site's answer: one try, no pause and no retry")
        .isEqualTo(new Validation(1, 0, ValidationOutcome.Invalid));
    assertThat(check.result().error().code()).isEqualTo(ErrorCode.CheckAttemptsFailed);
    assertThat(check.result().error().message())
        .contains("GET " + site.baseUrl() + "/api/reports answered HTTP 401");
    String token = StorageStates.localStorage(state, "demo_token").orElseThrow();
    assertThat(check.stderr() + check.result().error().message()).doesNotContain(token);
  }

  @Test
  void aLoginTheSiteRefusesStopsAtOnceWithTheSitesMessage() {
    String user = DemoUsers.CAROL.username();
    DemoSiteStats.LoginCounts before = site.stats().loginsOf(user);

    RunnerProcess.Run refused =
        runner()
            .withPreExtractedDriver()
            .run(
                Inputs.of(spa, site.baseUrl())
                    .create(Map.of("username", user, "password", "not-the-password"))
                    .build());

    assertThat(refused.result().outcome())
        .as(refused::describe)
        .isEqualTo(Outcome.DEPENDENCY_FAILED);
    assertThat(refused.result().error().code()).isEqualTo(ErrorCode.CredentialsRejected);
    assertThat(refused.result().error().retriable()).isFalse();
    assertThat(refused.result().error().message())
        .isEqualTo("the site rejected the credentials: \"Invalid username or password\"");
    assertThat(refused.result().validation())
        .isEqualTo(new Validation(0, 1, ValidationOutcome.CreateFailed));
    assertThat(site.stats().loginsOf(user))
        .as("exactly one failed login, of the three the site allows")
        .isEqualTo(new DemoSiteStats.LoginCounts(before.succeeded(), before.failed() + 1));
    assertThat(site.isLocked(user)).isFalse();
    assertThat(refused.stderr()).doesNotContain("not-the-password");
  }

  @Test
  void aPageCheckDecidesOnTheFirstOutcomeTheSiteShows() {
    Project mfa = Examples.project("mfa");
    String seed = DemoUsers.BOB.totpSeed().orElseThrow();
    RunnerProcess.Run created =
        runner()
            .withPreExtractedDriver()
            .run(
                Inputs.of(mfa, site.baseUrl())
                    .create(
                        Map.of(
                            "username", DemoUsers.BOB.username(),
                            "password", DemoUsers.BOB.password(),
                            "totpSeed", seed))
                    .build());
    assertThat(created.result().outcome()).as(created::describe).isEqualTo(Outcome.SUCCEEDED);
    site.expireSessions();
    aliceState = null;

    RunnerProcess.Run check =
        runner()
            .withPreExtractedDriver()
            .run(Inputs.of(mfa, site.baseUrl()).check(created.storageState()).build());

    assertThat(check.result().outcome()).as(check::describe).isEqualTo(Outcome.DEPENDENCY_FAILED);
    assertThat(check.result().validation())
        .isEqualTo(new Validation(1, 0, ValidationOutcome.Invalid));
    assertThat(check.result().error().message())
        .isEqualTo(
            "check did not pass in 1 try; last: the page shows \"#login-form\", which this step"
                + " declares a failure");
    assertThat(check.result().error().step()).startsWith("step 2 (waitFor");
    assertThat(check.stderr()).contains("failed in").contains("OutcomeFailed");
  }

  @Test
  void extractReadsEveryRowOfAPageThatDrawsThemAfterItLoads() {
    RunnerProcess.Run products =
        runner()
            .withPreExtractedDriver()
            .run(
                Inputs.of(spa, site.baseUrl())
                    .api("live-products", aliceState)
                    .param("page", 2)
                    .build());

    assertThat(products.result().outcome()).as(products::describe).isEqualTo(Outcome.SUCCEEDED);
    List<String> skus = new ArrayList<>();
    products.result().result().path("products").forEach(p -> skus.add(p.path("sku").asText()));
    assertThat(skus)
        .as("every row of page 2, the same as the catalog the server draws")
        .containsExactly(
            "SKU-111", "SKU-112", "SKU-113", "SKU-114", "SKU-115", "SKU-116", "SKU-117", "SKU-118",
            "SKU-119", "SKU-120");
  }

  private static JsonNode loginAs(String user, String password) {
    RunnerProcess.Run created =
        runner()
            .withPreExtractedDriver()
            .run(
                Inputs.of(spa, site.baseUrl())
                    .create(Map.of("username", user, "password", password))
                    .build());
    assertThat(created.result().outcome()).as(created::describe).isEqualTo(Outcome.SUCCEEDED);
    return created.storageState();
  }
}

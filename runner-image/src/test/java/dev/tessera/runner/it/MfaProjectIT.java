package dev.tessera.runner.it;

import static dev.tessera.runner.testing.RunnerProcess.runner;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code examples/mfa}: a login with a password and a TOTP code computed from the seed. */
class MfaProjectIT {
  private static DemoSite site;
  private static Project project;

  @BeforeAll
  static void startSite() {
    site = DemoSite.start();
    project = Examples.project("mfa");
  }

  @AfterAll
  static void stopSite() {
    site.close();
  }

  @Test
  void createLogsInWithPasswordAndTotpAndTheStateServesTheMeApi() {
    String seed = DemoUsers.BOB.totpSeed().orElseThrow();
    RunnerProcess.Run created =
        runner()
            .withPreExtractedDriver()
            .run(
                Inputs.of(project, site.baseUrl())
                    .create(
                        Map.of(
                            "username", DemoUsers.BOB.username(),
                            "password", DemoUsers.BOB.password(),
                            "totpSeed", seed))
                    .build());

    assertThat(created.result().outcome()).as(created::describe).isEqualTo(Outcome.SUCCEEDED);
    assertThat(created.result().validation())
        .isEqualTo(new Validation(1, 1, ValidationOutcome.Created));
    assertThat(site.stats().loginsOf("bob")).isEqualTo(new DemoSiteStats.LoginCounts(1, 0));
    assertThat(site.stats().requestsTo("/login/otp")).isPositive();
    assertThat(StorageStates.cookie(created.storageState(), "demo_session")).isPresent();
    assertThat(created.stderr() + created.output())
        .doesNotContain(DemoUsers.BOB.password())
        .doesNotContain(seed);

    RunnerProcess.Run me =
        runner()
            .withPreExtractedDriver()
            .withResultOnStdout()
            .run(Inputs.of(project, site.baseUrl()).api("me", created.storageState()).build());

    assertThat(me.result().outcome()).as(me::describe).isEqualTo(Outcome.SUCCEEDED);
    assertThat(me.output().lines()).as("stdout holds the result and nothing else").hasSize(1);
    assertThat(me.result().result().path("me").path("username").asText()).isEqualTo("bob");
    assertThat(site.stats().loginsOf("bob")).isEqualTo(new DemoSiteStats.LoginCounts(1, 0));
  }
}

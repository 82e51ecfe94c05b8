package dev.tessera.demosite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LockoutTest {

  private static final String SEED = "JBSWY3DPEHPK3PXP";

  private DemoSite site;
  private SiteClient browser;

  @BeforeEach
  void start() {
    site = DemoSite.start();
    browser = new SiteClient(site);
  }

  @AfterEach
  void stop() {
    site.close();
  }

  @Test
  void threeWrongPasswordsInARowLockTheAccountEvenForTheRightPassword() {
    for (int i = 1; i <= 3; i++) {
      Document page = SiteClient.html(browser.submitLogin("alice", "looking-glass"));
      assertThat(page.selectFirst("#login-error").text())
          .as("attempt %d", i)
          .isEqualTo("Invalid username or password");
      assertThat(page.select("#login-locked")).as("attempt %d", i).isEmpty();
    }
    assertThat(site.isLocked("alice")).isTrue();

    HttpResponse<String> response = browser.submitLogin("alice", "wonderland");

    assertThat(response.statusCode()).isEqualTo(200);
    Document page = SiteClient.html(response);
    assertThat(page.selectFirst("#login-error").text())
        .isEqualTo("Account locked after 3 failed logins");
    assertThat(page.select("#login-locked")).hasSize(1);
    assertThat(page.select("form#login-form input[name=csrf]").val()).isNotBlank();
    assertThat(page.selectFirst("input#username").val()).isEqualTo("alice");
    assertThat(browser.cookie("demo_session")).isEmpty();
    assertThat(browser.get("/api/me").statusCode()).isEqualTo(401);
    assertThat(site.stats().loginsOf("alice")).isEqualTo(new DemoSiteStats.LoginCounts(0, 4));
    assertThat(site.stats().locked()).containsExactly("alice");
    assertThat(site.isLocked("carol")).isFalse();
    new SiteClient(site).login(DemoUsers.CAROL);
  }

  @Test
  void aSuccessfulLoginResetsTheFailuresInARow() {
    browser.submitLogin("alice", "nope-1");
    browser.submitLogin("alice", "nope-2");
    browser.login(DemoUsers.ALICE);
    browser.submitLogin("alice", "nope-3");
    browser.submitLogin("alice", "nope-4");

    assertThat(site.isLocked("alice")).isFalse();
    new SiteClient(site).login(DemoUsers.ALICE);
    assertThat(site.stats().loginsOf("alice")).isEqualTo(new DemoSiteStats.LoginCounts(2, 4));
  }

  @Test
  void unknownUsernamesAreNeverLocked() {
    for (int i = 0; i < 5; i++) {
      Document page = SiteClient.html(browser.submitLogin("mallory", "guess-" + i));
      assertThat(page.selectFirst("#login-error").text()).isEqualTo("Invalid username or password");
      assertThat(page.select("#login-locked")).isEmpty();
    }

    assertThat(site.isLocked("mallory")).isFalse();
    assertThat(site.stats().locked()).isEmpty();
    assertThat(site.stats().loginsOf("mallory").failed()).isEqualTo(5);
  }

  @Test
  void wrongTotpCodesCountAsFailedLoginsAndLockBob() {
    browser.submitLogin("bob", "wrecker");
    assertThat(browser.submitLogin("bob", "builder").headers().firstValue("Location"))
        .as("a right password alone does not reset the count")
        .hasValue("/login/otp");
    browser.postForm("/login/otp", Map.of("code", TestTotp.wrongCode(SEED)));
    HttpResponse<String> third =
        browser.postForm("/login/otp", Map.of("code", TestTotp.wrongCode(SEED)));
    assertThat(SiteClient.html(third).select("#otp-error")).hasSize(1);
    assertThat(site.isLocked("bob")).isTrue();

    HttpResponse<String> rightCode =
        browser.postForm("/login/otp", Map.of("code", TestTotp.code(SEED, Instant.now())));

    assertThat(rightCode.statusCode()).as("the pending login is refused").isEqualTo(200);
    Document page = SiteClient.html(rightCode);
    assertThat(page.selectFirst("#login-error").text())
        .isEqualTo("Account locked after 3 failed logins");
    assertThat(page.select("#login-locked")).hasSize(1);
    assertThat(page.select("form#login-form")).hasSize(1);
    assertThat(browser.cookie("demo_session")).isEmpty();
    assertThat(browser.get("/login/otp").headers().firstValue("Location"))
        .as("the pending login is over")
        .hasValue("/login");

    HttpResponse<String> password = browser.submitLogin("bob", "builder");
    assertThat(password.statusCode()).as("no second factor step while locked").isEqualTo(200);
    assertThat(SiteClient.html(password).select("#login-locked")).hasSize(1);
    assertThat(site.stats().loginsOf("bob")).isEqualTo(new DemoSiteStats.LoginCounts(0, 5));
  }

  @Test
  void aRightTotpCodeResetsTheCount() {
    browser.submitLogin("bob", "wrecker");
    browser.submitLogin("bob", "builder");
    browser.postForm("/login/otp", Map.of("code", TestTotp.wrongCode(SEED)));
    browser.postForm("/login/otp", Map.of("code", TestTotp.code(SEED, Instant.now())));
    SiteClient other = new SiteClient(site);
    other.submitLogin("bob", "wrecker");
    other.submitLogin("bob", "wrecker");

    assertThat(site.isLocked("bob")).isFalse();
    other.login(DemoUsers.BOB);
  }

  @Test
  void unlockEndpointUnlocksAndResetsTheCount() {
    lock("carol");
    assertThat(SiteClient.json(browser.get("/admin/stats")).get("locked"))
        .isEqualTo(SiteClient.json("[\"carol\"]"));

    HttpResponse<String> response =
        new SiteClient(site).postForm("/admin/unlock", Map.of("username", "carol"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(SiteClient.json(response))
        .isEqualTo(SiteClient.json("{\"username\":\"carol\",\"wasLocked\":true}"));
    assertThat(site.isLocked("carol")).isFalse();
    browser.submitLogin("carol", "wrong-again");
    browser.submitLogin("carol", "wrong-again");
    assertThat(site.isLocked("carol")).as("the count started over").isFalse();
    browser.login(DemoUsers.CAROL);
    assertThat(
            SiteClient.json(
                new SiteClient(site).postForm("/admin/unlock", Map.of("username", "carol"))))
        .isEqualTo(SiteClient.json("{\"username\":\"carol\",\"wasLocked\":false}"));
  }

  @Test
  void unlockingAnUnknownAccountIsABadRequest() {
    assertThat(browser.postForm("/admin/unlock", Map.of("username", "mallory")).statusCode())
        .isEqualTo(400);
    assertThat(browser.postForm("/admin/unlock", Map.of()).statusCode()).isEqualTo(400);
    assertThat(browser.get("/admin/unlock").statusCode()).isEqualTo(405);
  }

  @Test
  void settingThePasswordUnlocksTheAccount() {
    lock("carol");

    assertThat(
            browser
                .postForm("/admin/set-password", Map.of("username", "carol", "password", "new-1"))
                .statusCode())
        .isEqualTo(200);

    assertThat(site.isLocked("carol")).isFalse();
    browser.submitLogin("carol", "carol-secret-42");
    browser.submitLogin("carol", "carol-secret-42");
    assertThat(site.isLocked("carol")).as("the count started over").isFalse();
    assertThat(browser.submitLogin("carol", "new-1").statusCode()).isEqualTo(303);
  }

  @Test
  void javaApiUnlocksAndSetsPasswords() {
    lock("alice");
    lock("carol");
    assertThat(site.stats().locked()).containsExactly("alice", "carol");

    assertThat(site.unlock("alice")).isTrue();
    assertThat(site.unlock("alice")).isFalse();
    assertThat(site.setPassword("carol", "rotated")).isTrue();

    assertThat(site.stats().locked()).isEmpty();
    assertThat(site.isLocked("carol")).isFalse();
    new SiteClient(site).login(DemoUsers.ALICE);
  }

  @Test
  void resetStatsKeepsAccountsLocked() {
    lock("alice");
    browser.submitLogin("carol", "nope");
    browser.submitLogin("carol", "nope");

    assertThat(browser.post("/admin/reset-stats").statusCode()).isEqualTo(200);

    assertThat(site.stats().logins()).isEmpty();
    assertThat(site.stats().locked()).containsExactly("alice");
    assertThat(site.isLocked("alice")).isTrue();
    browser.submitLogin("carol", "nope");
    assertThat(site.isLocked("carol"))
        .as("failures in a row survive a reset of the counters")
        .isTrue();
    site.resetStats();
    assertThat(site.stats().locked()).containsExactly("alice", "carol");
  }

  @Test
  void statsListTheLockedAccountsSorted() throws Exception {
    assertThat(SiteClient.json(browser.get("/admin/stats")).get("locked"))
        .isEqualTo(SiteClient.json("[]"));
    lock("carol");
    lock("alice");

    JsonNode stats = SiteClient.json(browser.get("/admin/stats"));

    assertThat(stats.get("locked")).isEqualTo(SiteClient.json("[\"alice\",\"carol\"]"));
    DemoSiteStats javaStats = site.stats();
    assertThat(javaStats.locked()).containsExactly("alice", "carol");
    assertThat(javaStats.isLocked("alice")).isTrue();
    assertThat(javaStats.isLocked("bob")).isFalse();
    JsonNode javaJson = SiteClient.json(SiteClient.JSON.writeValueAsString(javaStats));
    assertThat(javaJson.get("locked")).isEqualTo(stats.get("locked"));
    assertThat(javaJson.get("logins")).isEqualTo(stats.get("logins"));
  }

  @Test
  void theThresholdIsAnOption() {
    try (DemoSite strict = DemoSite.start(DemoSite.Options.defaults().withLockoutAfter(1))) {
      SiteClient client = new SiteClient(strict);
      client.submitLogin("alice", "nope");

      Document page = SiteClient.html(client.submitLogin("alice", "wonderland"));

      assertThat(page.selectFirst("#login-error").text())
          .isEqualTo("Account locked after 1 failed logins");
      assertThat(strict.isLocked("alice")).isTrue();
    }
    try (DemoSite lenient = DemoSite.start(DemoSite.Options.defaults().withLockoutAfter(5))) {
      SiteClient client = new SiteClient(lenient);
      for (int i = 0; i < 4; i++) {
        client.submitLogin("alice", "nope");
      }
      assertThat(lenient.isLocked("alice")).isFalse();
      client.submitLogin("alice", "nope");
      assertThat(SiteClient.html(client.submitLogin("alice", "wonderland")).text())
          .contains("Account locked after 5 failed logins");
    }
  }

  @Test
  void zeroTurnsLockoutOff() {
    try (DemoSite open = DemoSite.start(DemoSite.Options.defaults().withLockoutAfter(0))) {
      SiteClient client = new SiteClient(open);
      for (int i = 0; i < 10; i++) {
        Document page = SiteClient.html(client.submitLogin("alice", "nope"));
        assertThat(page.selectFirst("#login-error").text())
            .isEqualTo("Invalid username or password");
      }

      assertThat(open.isLocked("alice")).isFalse();
      assertThat(open.stats().locked()).isEmpty();
      client.login(DemoUsers.ALICE);
    }
  }

  @Test
  void optionsDefaultToThreeAndRefuseANegativeThreshold() {
    assertThat(DemoSite.Options.defaults().lockoutAfter()).isEqualTo(3);
    assertThat(site.options().lockoutAfter()).isEqualTo(3);
    assertThat(new DemoSite.Options("127.0.0.1", 0, java.time.Duration.ofMinutes(1)).lockoutAfter())
        .isEqualTo(3);
    assertThat(DemoSite.Options.defaults().withLockoutAfter(7).withPort(9).lockoutAfter())
        .isEqualTo(7);
    assertThatThrownBy(() -> DemoSite.Options.defaults().withLockoutAfter(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void csrfFailuresDoNotCountTowardsALock() {
    browser.openLoginPage();
    for (int i = 0; i < 3; i++) {
      browser.postForm("/login", Map.of("username", "alice", "password", "nope"));
    }

    assertThat(site.isLocked("alice")).isFalse();
    assertThat(site.stats().locked()).isEqualTo(List.of());
  }

  private void lock(String username) {
    SiteClient client = new SiteClient(site);
    for (int i = 0; i < 3; i++) {
      client.submitLogin(username, "not-the-password");
    }
    assertThat(site.isLocked(username)).as(username + " locked").isTrue();
  }
}

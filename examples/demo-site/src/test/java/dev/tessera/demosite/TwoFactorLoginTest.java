package dev.tessera.demosite;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TwoFactorLoginTest {

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
  void bobsSeedIsTheDocumentedOne() {
    assertThat(DemoUsers.BOB.totpSeed()).hasValue(SEED);
    assertThat(DemoUsers.ALICE.totpSeed()).isEmpty();
    assertThat(DemoUsers.CAROL.totpSeed()).isEmpty();
  }

  @Test
  void correctPasswordLeadsToTheOtpStepWithoutASession() {
    HttpResponse<String> response = browser.submitLogin("bob", "builder");

    assertThat(response.statusCode()).isEqualTo(303);
    assertThat(response.headers().firstValue("Location")).hasValue("/login/otp");
    assertThat(response.headers().allValues("Set-Cookie"))
        .anySatisfy(cookie -> assertThat(cookie).startsWith("demo_mfa=").contains("HttpOnly"))
        .noneSatisfy(cookie -> assertThat(cookie).startsWith("demo_session="));
    assertThat(browser.get("/api/me").statusCode()).isEqualTo(401);
    assertThat(browser.get("/dashboard").statusCode()).isEqualTo(303);

    Document otpPage = SiteClient.html(browser.get("/login/otp"));
    assertThat(otpPage.select("form#otp-form input#otp[name=code]")).hasSize(1);
    assertThat(otpPage.select("form#otp-form button#otp-button")).hasSize(1);
    assertThat(otpPage.select("#otp-error")).isEmpty();
    assertThat(site.stats().logins()).doesNotContainKey("bob");
  }

  @Test
  void correctCodeLogsBobIn() {
    browser.submitLogin("bob", "builder");

    HttpResponse<String> response =
        browser.postForm("/login/otp", Map.of("code", TestTotp.code(SEED, Instant.now())));

    assertThat(response.statusCode()).isEqualTo(303);
    assertThat(response.headers().firstValue("Location")).hasValue("/dashboard");
    assertThat(browser.cookie("demo_session")).isPresent();
    assertThat(SiteClient.json(browser.get("/api/me")).get("name").asText())
        .isEqualTo("Bob Builder");
    assertThat(site.stats().loginsOf("bob")).isEqualTo(new DemoSiteStats.LoginCounts(1, 0));
    assertThat(browser.get("/login/otp").headers().firstValue("Location")).hasValue("/login");
  }

  @Test
  void codeOfThePreviousTimeStepIsAccepted() {
    browser.submitLogin("bob", "builder");

    HttpResponse<String> response =
        browser.postForm(
            "/login/otp", Map.of("code", TestTotp.code(SEED, Instant.now().minusSeconds(30))));

    assertThat(response.statusCode()).isEqualTo(303);
    assertThat(browser.get("/api/me").statusCode()).isEqualTo(200);
  }

  @Test
  void wrongCodeIsRejectedAndCountedAsFailed() {
    browser.submitLogin("bob", "builder");

    HttpResponse<String> response =
        browser.postForm("/login/otp", Map.of("code", TestTotp.wrongCode(SEED)));

    assertThat(response.statusCode()).isEqualTo(200);
    Document page = SiteClient.html(response);
    assertThat(page.select("#otp-error")).hasSize(1);
    assertThat(page.select("form#otp-form")).hasSize(1);
    assertThat(browser.get("/api/me").statusCode()).isEqualTo(401);
    assertThat(site.stats().loginsOf("bob")).isEqualTo(new DemoSiteStats.LoginCounts(0, 1));

    HttpResponse<String> retry =
        browser.postForm("/login/otp", Map.of("code", TestTotp.code(SEED, Instant.now())));
    assertThat(retry.statusCode()).isEqualTo(303);
    assertThat(site.stats().loginsOf("bob")).isEqualTo(new DemoSiteStats.LoginCounts(1, 1));
  }

  @Test
  void wrongPasswordNeverReachesTheOtpStep() {
    HttpResponse<String> response = browser.submitLogin("bob", "wrecker");

    assertThat(SiteClient.html(response).select("#login-error")).hasSize(1);
    assertThat(browser.get("/login/otp").statusCode()).isEqualTo(303);
    assertThat(site.stats().loginsOf("bob")).isEqualTo(new DemoSiteStats.LoginCounts(0, 1));
  }

  @Test
  void otpWithoutAPendingLoginSendsBackToLogin() {
    HttpResponse<String> response =
        browser.postForm("/login/otp", Map.of("code", TestTotp.code(SEED, Instant.now())));

    assertThat(response.statusCode()).isEqualTo(303);
    assertThat(response.headers().firstValue("Location")).hasValue("/login");
    assertThat(browser.get("/api/me").statusCode()).isEqualTo(401);
    assertThat(site.stats().logins()).isEmpty();
  }

  @Test
  void nextIsCarriedThroughTheOtpStep() {
    Document form = SiteClient.html(browser.get("/login?next=/reports"));
    browser.postForm(
        "/login",
        Map.of(
            "csrf",
            form.selectFirst("input[name=csrf]").val(),
            "next",
            form.selectFirst("input[name=next]").val(),
            "username",
            "bob",
            "password",
            "builder"));

    HttpResponse<String> response =
        browser.postForm("/login/otp", Map.of("code", TestTotp.code(SEED, Instant.now())));

    assertThat(response.headers().firstValue("Location")).hasValue("/reports");
  }
}

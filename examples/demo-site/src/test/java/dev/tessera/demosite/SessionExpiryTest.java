package dev.tessera.demosite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionExpiryTest {

  private static final Pattern TOKEN =
      Pattern.compile("localStorage\\.setItem\\('demo_token', '([A-Za-z0-9_-]+)'\\)");

  private DemoSite site;

  @AfterEach
  void stop() {
    if (site != null) {
      site.close();
    }
  }

  @Test
  void sessionEndsOnTheServerAfterTheConfiguredLifetime() {
    site = DemoSite.start(DemoSite.Options.defaults().withSessionLifetime(Duration.ofSeconds(2)));
    SiteClient browser = new SiteClient(site);
    HttpResponse<String> login = browser.submitLogin("alice", "wonderland");
    assertThat(login.headers().allValues("Set-Cookie"))
        .anySatisfy(cookie -> assertThat(cookie).startsWith("demo_session=").contains("Max-Age=2"));
    String cookie = "demo_session=" + browser.cookie("demo_session").orElseThrow();
    String token = apiToken(browser.get("/dashboard"));

    SiteClient keepsTheCookie = new SiteClient(site);
    assertThat(keepsTheCookie.get("/api/me", "Cookie", cookie).statusCode()).isEqualTo(200);

    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> keepsTheCookie.get("/api/me", "Cookie", cookie).statusCode() == 401);
    HttpResponse<String> dashboard = keepsTheCookie.get("/dashboard", "Cookie", cookie);
    assertThat(dashboard.statusCode()).isEqualTo(303);
    assertThat(dashboard.headers().firstValue("Location")).hasValue("/login?next=/dashboard");
    assertThat(keepsTheCookie.get("/api/reports", "Authorization", "Bearer " + token).statusCode())
        .isEqualTo(401);
  }

  @Test
  void sessionStaysValidWithinItsLifetime() throws InterruptedException {
    site = DemoSite.start(DemoSite.Options.defaults().withSessionLifetime(Duration.ofMinutes(5)));
    SiteClient browser = new SiteClient(site);
    browser.login(DemoUsers.ALICE);

    Thread.sleep(1500);

    assertThat(browser.get("/api/me").statusCode()).isEqualTo(200);
  }

  @Test
  void expireSessionsEndsEverySessionAndToken() {
    site = DemoSite.start();
    SiteClient alice = new SiteClient(site);
    SiteClient carol = new SiteClient(site);
    alice.login(DemoUsers.ALICE);
    carol.login(DemoUsers.CAROL);
    String aliceToken = apiToken(alice.get("/dashboard"));
    String carolToken = apiToken(carol.get("/dashboard"));
    assertThat(alice.get("/api/reports", "Authorization", "Bearer " + aliceToken).statusCode())
        .isEqualTo(200);

    HttpResponse<String> response = new SiteClient(site).post("/admin/expire-sessions");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(SiteClient.json(response).get("expired").asInt()).isEqualTo(2);
    assertThat(alice.get("/api/me").statusCode()).isEqualTo(401);
    assertThat(carol.get("/api/me").statusCode()).isEqualTo(401);
    assertThat(alice.get("/dashboard").headers().firstValue("Location"))
        .hasValue("/login?next=/dashboard");
    assertThat(alice.get("/api/reports", "Authorization", "Bearer " + aliceToken).statusCode())
        .isEqualTo(401);
    assertThat(carol.get("/api/reports", "Authorization", "Bearer " + carolToken).statusCode())
        .isEqualTo(401);

    alice.login(DemoUsers.ALICE);
    assertThat(alice.get("/api/me").statusCode()).isEqualTo(200);
    assertThat(site.expireSessions()).isEqualTo(1);
    assertThat(alice.get("/api/me").statusCode()).isEqualTo(401);
    assertThat(
            SiteClient.json(new SiteClient(site).post("/admin/expire-sessions"))
                .get("expired")
                .asInt())
        .isZero();
  }

  @Test
  void countsEachEndedSessionPresentedAgainOncePerUser() {
    site = DemoSite.start();
    SiteClient alice = new SiteClient(site);
    SiteClient secondAlice = new SiteClient(site);
    SiteClient carol = new SiteClient(site);
    alice.login(DemoUsers.ALICE);
    secondAlice.login(DemoUsers.ALICE);
    carol.login(DemoUsers.CAROL);

    site.expireSessions();
    assertThat(alice.get("/api/me").statusCode()).isEqualTo(401);
    assertThat(alice.get("/api/me").statusCode()).isEqualTo(401);
    assertThat(site.endedSessionsPresented("alice")).isEqualTo(1);
    assertThat(site.endedSessionsPresented("carol")).isZero();

    secondAlice.get("/dashboard");
    alice.login(DemoUsers.ALICE);
    assertThat(alice.get("/api/me").statusCode()).isEqualTo(200);
    assertThat(site.endedSessionsPresented("alice")).isEqualTo(2);

    alice.get("/logout");
    assertThat(alice.get("/api/me").statusCode()).isEqualTo(401);
    assertThat(site.endedSessionsPresented("alice")).isEqualTo(2);
  }

  @Test
  void expireSessionsOnlyAcceptsPost() {
    site = DemoSite.start();

    HttpResponse<String> response = new SiteClient(site).get("/admin/expire-sessions");

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue("POST");
  }

  static String apiToken(HttpResponse<String> dashboard) {
    assertThat(dashboard.statusCode()).isEqualTo(200);
    Matcher matcher = TOKEN.matcher(dashboard.body());
    assertThat(matcher.find()).as("dashboard stores an API token").isTrue();
    return matcher.group(1);
  }
}

package dev.tessera.demosite;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoginFlowTest {

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
  void loginPageHasTheFormAndSetsACsrfCookie() {
    HttpResponse<String> response = browser.get("/login");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    Document page = SiteClient.html(response);
    assertThat(page.select("form#login-form input#username[name=username]")).hasSize(1);
    assertThat(page.select("form#login-form input#password[name=password][type=password]"))
        .hasSize(1);
    assertThat(page.select("form#login-form button#login-button[type=submit]")).hasSize(1);
    assertThat(page.select("#login-error")).isEmpty();
    String csrf = page.selectFirst("form#login-form input[type=hidden][name=csrf]").val();
    assertThat(csrf).isNotBlank();
    assertThat(setCookie(response, "demo_csrf"))
        .startsWith("demo_csrf=" + csrf + ";")
        .contains("HttpOnly", "SameSite=Lax");
    assertThat(browser.cookie("demo_csrf")).hasValue(csrf);
  }

  @Test
  void eachVisitGetsAFreshCsrfToken() {
    assertThat(browser.openLoginPage()).isNotEqualTo(browser.openLoginPage());
  }

  @Test
  void loginWithoutCsrfTokenIsForbiddenAndNotCounted() {
    browser.openLoginPage();

    HttpResponse<String> response =
        browser.postForm("/login", Map.of("username", "alice", "password", "wonderland"));

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(SiteClient.html(response).select("#csrf-error")).hasSize(1);
    assertThat(browser.cookie("demo_session")).isEmpty();
    assertThat(site.stats().logins()).isEmpty();
  }

  @Test
  void loginWithWrongCsrfTokenIsForbiddenAndNotCounted() {
    browser.openLoginPage();

    HttpResponse<String> response =
        browser.postForm(
            "/login",
            Map.of("csrf", "forged-token", "username", "alice", "password", "wonderland"));

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(SiteClient.html(response).select("#csrf-error")).hasSize(1);
    assertThat(browser.get("/api/me").statusCode()).isEqualTo(401);
    assertThat(site.stats().logins()).isEmpty();
  }

  @Test
  void csrfTokenFromAnotherBrowserIsRejected() {
    String othersToken = new SiteClient(site).openLoginPage();
    browser.openLoginPage();

    HttpResponse<String> response =
        browser.postForm(
            "/login", Map.of("csrf", othersToken, "username", "alice", "password", "wonderland"));

    assertThat(response.statusCode()).isEqualTo(403);
  }

  @Test
  void wrongPasswordShowsAnErrorAndCountsAsFailedLogin() {
    HttpResponse<String> response = browser.submitLogin("alice", "looking-glass");

    assertThat(response.statusCode()).isEqualTo(200);
    Document page = SiteClient.html(response);
    assertThat(page.selectFirst("#login-error").text()).isEqualTo("Invalid username or password");
    assertThat(page.selectFirst("input#username").val()).isEqualTo("alice");
    assertThat(page.select("form#login-form input[name=csrf]").val()).isNotBlank();
    assertThat(browser.cookie("demo_session")).isEmpty();
    assertThat(site.stats().loginsOf("alice")).isEqualTo(new DemoSiteStats.LoginCounts(0, 1));
  }

  @Test
  void unknownUserCountsAsFailedLoginForTheSubmittedName() {
    HttpResponse<String> response = browser.submitLogin("mallory", "wonderland");

    assertThat(SiteClient.html(response).select("#login-error")).hasSize(1);
    assertThat(site.stats().loginsOf("mallory")).isEqualTo(new DemoSiteStats.LoginCounts(0, 1));
  }

  @Test
  void aliceLogsInAndSeesHerDashboard() {
    HttpResponse<String> response = browser.submitLogin("alice", "wonderland");

    assertThat(response.statusCode()).isEqualTo(303);
    assertThat(response.headers().firstValue("Location")).hasValue("/dashboard");
    String session = setCookie(response, "demo_session");
    assertThat(session)
        .matches("demo_session=[A-Za-z0-9_-]{43};.*")
        .contains("HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=1800");
    assertThat(site.stats().loginsOf("alice")).isEqualTo(new DemoSiteStats.LoginCounts(1, 0));

    HttpResponse<String> me = browser.get("/api/me");
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(me.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(SiteClient.json(me))
        .isEqualTo(
            SiteClient.JSON
                .createObjectNode()
                .put("username", "alice")
                .put("name", "Alice Liddell")
                .put("email", "alice@example.test"));

    HttpResponse<String> dashboard = browser.get("/dashboard");
    assertThat(dashboard.statusCode()).isEqualTo(200);
    Document page = SiteClient.html(dashboard);
    assertThat(page.selectFirst("h1#welcome").text()).isEqualTo("Welcome, Alice Liddell");
    assertThat(page.selectFirst("#user-name").text()).isEqualTo("alice");
    assertThat(page.select("a[href=/invoices]")).isNotEmpty();
    assertThat(page.select("a[href=/reports]")).isNotEmpty();
    assertThat(page.select("a#logout[href=/logout]")).hasSize(1);
  }

  @Test
  void protectedPagesRedirectToLoginWithTheirPath() {
    for (String path : List.of("/dashboard", "/invoices", "/reports")) {
      HttpResponse<String> response = browser.get(path);
      assertThat(response.statusCode()).as(path).isEqualTo(303);
      assertThat(response.headers().firstValue("Location")).hasValue("/login?next=" + path);
    }
    assertThat(browser.get("/invoices?page=2").headers().firstValue("Location"))
        .hasValue("/login?next=/invoices%3Fpage%3D2");
  }

  @Test
  void unknownSessionCookieIsNotLoggedIn() {
    HttpResponse<String> response =
        browser.get("/dashboard", "Cookie", "demo_session=" + "x".repeat(43));

    assertThat(response.statusCode()).isEqualTo(303);
    assertThat(browser.get("/api/me", "Cookie", "demo_session=nope").statusCode()).isEqualTo(401);
  }

  @Test
  void loginReturnsToTheRequestedPage() {
    String location = browser.get("/invoices?page=2").headers().firstValue("Location").get();
    HttpResponse<String> loginPage = browser.get(location);
    Document form = SiteClient.html(loginPage);
    assertThat(form.selectFirst("form#login-form input[name=next]").val())
        .isEqualTo("/invoices?page=2");

    HttpResponse<String> response =
        browser.postForm(
            "/login",
            Map.of(
                "csrf",
                form.selectFirst("input[name=csrf]").val(),
                "next",
                form.selectFirst("input[name=next]").val(),
                "username",
                "alice",
                "password",
                "wonderland"));

    assertThat(response.statusCode()).isEqualTo(303);
    assertThat(response.headers().firstValue("Location")).hasValue("/invoices?page=2");
  }

  @Test
  void nextOutsideTheSiteIsIgnored() {
    for (String next : List.of("https://evil.example/", "//evil.example/x", "/\\evil.example")) {
      SiteClient client = new SiteClient(site);
      Document form = SiteClient.html(client.get("/login?next=" + encode(next)));
      assertThat(form.select("input[name=next]")).as(next).isEmpty();

      HttpResponse<String> response =
          client.postForm(
              "/login",
              Map.of(
                  "csrf",
                  form.selectFirst("input[name=csrf]").val(),
                  "next",
                  next,
                  "username",
                  "alice",
                  "password",
                  "wonderland"));
      assertThat(response.headers().firstValue("Location")).as(next).hasValue("/dashboard");
    }
  }

  @Test
  void logoutEndsTheSession() {
    browser.login(DemoUsers.ALICE);
    String session = browser.cookie("demo_session").orElseThrow();

    HttpResponse<String> response = browser.get("/logout");

    assertThat(response.statusCode()).isEqualTo(303);
    assertThat(response.headers().firstValue("Location")).hasValue("/login");
    assertThat(browser.get("/api/me").statusCode()).isEqualTo(401);
    assertThat(browser.get("/dashboard", "Cookie", "demo_session=" + session).statusCode())
        .isEqualTo(303);
  }

  @Test
  void twoUsersHaveSeparateSessions() {
    SiteClient carol = new SiteClient(site);
    browser.login(DemoUsers.ALICE);
    carol.login(DemoUsers.CAROL);

    assertThat(SiteClient.json(browser.get("/api/me")).get("username").asText()).isEqualTo("alice");
    assertThat(SiteClient.json(carol.get("/api/me")).get("username").asText()).isEqualTo("carol");
    assertThat(SiteClient.html(carol.get("/dashboard")).selectFirst("h1#welcome").text())
        .isEqualTo("Welcome, Carol Danvers");
  }

  private static String setCookie(HttpResponse<String> response, String name) {
    return response.headers().allValues("Set-Cookie").stream()
        .filter(value -> value.startsWith(name + "="))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no Set-Cookie for " + name));
  }

  @Test
  void aChangedPasswordRefusesTheOldOneAndKeepsOpenSessions() {
    browser.login(DemoUsers.CAROL);

    HttpResponse<String> changed =
        new SiteClient(site)
            .postForm("/admin/set-password", Map.of("username", "carol", "password", "rotated-7"));

    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(browser.get("/api/me").statusCode()).isEqualTo(200);
    SiteClient other = new SiteClient(site);
    assertThat(other.submitLogin("carol", "carol-secret-42").statusCode()).isEqualTo(200);
    assertThat(site.stats().loginsOf("carol").failed()).isEqualTo(1);
    assertThat(other.submitLogin("carol", "rotated-7").statusCode()).isEqualTo(303);
    assertThat(site.stats().loginsOf("carol").succeeded()).isEqualTo(2);
  }

  @Test
  void settingThePasswordOfAnUnknownAccountIsABadRequest() {
    HttpResponse<String> response =
        browser.postForm("/admin/set-password", Map.of("username", "mallory", "password", "x"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(site.setPassword("alice", "")).isFalse();
  }

  private static String encode(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
  }
}

package dev.tessera.demosite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReportsTest {

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
  void apiRefusesTheSessionCookieAlone() {
    browser.login(DemoUsers.ALICE);

    HttpResponse<String> response = browser.get("/api/reports");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(SiteClient.json(response).has("reports")).isFalse();
  }

  @Test
  void apiAcceptsTheTokenTheDashboardStoresInTheBrowser() {
    browser.login(DemoUsers.ALICE);
    String token = SessionExpiryTest.apiToken(browser.get("/dashboard"));

    HttpResponse<String> response =
        new SiteClient(site).get("/api/reports", "Authorization", "Bearer " + token);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode reports = SiteClient.json(response).get("reports");
    assertThat(reports.size()).isGreaterThanOrEqualTo(3);
    reports.forEach(
        row -> {
          assertThat(row.get("name").asText()).isNotBlank();
          assertThat(row.get("value").isTextual()).isTrue();
        });
    assertThat(names(reports)).contains("Invoices issued");
    assertThat(valueOf(reports, "Invoices issued")).isEqualTo("34");
  }

  @Test
  void dashboardShowsTheSameTokenForTheWholeSession() {
    browser.login(DemoUsers.ALICE);

    String first = SessionExpiryTest.apiToken(browser.get("/dashboard"));
    String second = SessionExpiryTest.apiToken(browser.get("/dashboard"));

    assertThat(first).isEqualTo(second).isNotEqualTo(browser.cookie("demo_session").get());
    SiteClient other = new SiteClient(site);
    other.login(DemoUsers.ALICE);
    assertThat(SessionExpiryTest.apiToken(other.get("/dashboard"))).isNotEqualTo(first);
  }

  @Test
  void eachUserGetsTheirOwnReports() {
    SiteClient carol = new SiteClient(site);
    browser.login(DemoUsers.ALICE);
    carol.login(DemoUsers.CAROL);
    String aliceToken = SessionExpiryTest.apiToken(browser.get("/dashboard"));
    String carolToken = SessionExpiryTest.apiToken(carol.get("/dashboard"));

    JsonNode aliceReports =
        SiteClient.json(browser.get("/api/reports", "Authorization", "Bearer " + aliceToken));
    JsonNode carolReports =
        SiteClient.json(browser.get("/api/reports", "Authorization", "Bearer " + carolToken));

    assertThat(valueOf(aliceReports.get("reports"), "Invoices issued")).isEqualTo("34");
    assertThat(valueOf(carolReports.get("reports"), "Invoices issued")).isEqualTo("7");
  }

  @Test
  void wrongOrMissingBearerTokenIsRefused() {
    assertThat(browser.get("/api/reports").statusCode()).isEqualTo(401);
    assertThat(browser.get("/api/reports", "Authorization", "Bearer nope").statusCode())
        .isEqualTo(401);
    browser.login(DemoUsers.ALICE);
    String session = browser.cookie("demo_session").orElseThrow();
    assertThat(browser.get("/api/reports", "Authorization", "Bearer " + session).statusCode())
        .isEqualTo(401);
  }

  @Test
  void tokenEndsWithLogout() {
    browser.login(DemoUsers.ALICE);
    String token = SessionExpiryTest.apiToken(browser.get("/dashboard"));

    browser.get("/logout");

    assertThat(browser.get("/api/reports", "Authorization", "Bearer " + token).statusCode())
        .isEqualTo(401);
  }

  @Test
  void reportsPageLoadsTheReportsWithTheStoredToken() {
    assertThat(browser.get("/reports").headers().firstValue("Location"))
        .hasValue("/login?next=/reports");
    browser.login(DemoUsers.ALICE);

    HttpResponse<String> response = browser.get("/reports");

    assertThat(response.statusCode()).isEqualTo(200);
    Document page = SiteClient.html(response);
    assertThat(page.select("#reports-loading")).hasSize(1);
    String script = page.select("script").html();
    assertThat(script)
        .contains(
            "localStorage.getItem('demo_token')",
            "fetch('/api/reports'",
            "'Authorization': 'Bearer ' + token",
            "token-missing",
            "token-invalid",
            "No API token in this browser; open the dashboard first");
  }

  private static List<String> names(JsonNode reports) {
    List<String> names = new ArrayList<>();
    reports.forEach(row -> names.add(row.get("name").asText()));
    return names;
  }

  private static String valueOf(JsonNode reports, String name) {
    for (JsonNode row : reports) {
      if (row.get("name").asText().equals(name)) {
        return row.get("value").asText();
      }
    }
    throw new AssertionError("no report row " + name + " in " + reports);
  }
}

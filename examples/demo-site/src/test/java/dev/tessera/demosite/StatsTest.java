package dev.tessera.demosite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatsTest {

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
  void freshSiteHasNoCounts() {
    DemoSiteStats stats = site.stats();

    assertThat(stats.logins()).isEmpty();
    assertThat(stats.requests()).isEmpty();
  }

  @Test
  void countsRequestsPerPathAndLoginsPerUsername() throws Exception {
    browser.submitLogin("alice", "nope");
    browser.login(DemoUsers.ALICE);
    browser.get("/api/me");
    browser.get("/api/me");
    browser.get("/invoices?page=2");
    browser.get("/invoices?page=3");
    browser.get("/no-such-page");
    SiteClient bob = new SiteClient(site);
    bob.submitLogin("bob", "builder");
    bob.postForm("/login/otp", Map.of("code", TestTotp.wrongCode("JBSWY3DPEHPK3PXP")));
    bob.postForm("/login/otp", Map.of("code", TestTotp.code("JBSWY3DPEHPK3PXP", Instant.now())));

    HttpResponse<String> response = browser.get("/admin/stats");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode stats = SiteClient.json(response);
    assertThat(stats.get("logins"))
        .isEqualTo(
            SiteClient.json(
                "{\"alice\":{\"succeeded\":1,\"failed\":1},"
                    + "\"bob\":{\"succeeded\":1,\"failed\":1}}"));
    JsonNode requests = stats.get("requests");
    assertThat(requests.get("/login").asInt()).isEqualTo(6);
    assertThat(requests.get("/login/otp").asInt()).isEqualTo(2);
    assertThat(requests.get("/api/me").asInt()).isEqualTo(2);
    assertThat(requests.get("/invoices").asInt()).isEqualTo(2);
    assertThat(requests.get("/no-such-page").asInt()).isEqualTo(1);
    assertThat(requests.get("/admin/stats").asInt()).isEqualTo(1);
    assertThat(requests.has("/invoices?page=2")).isFalse();
    assertThat(requests.has("/dashboard")).isFalse();

    DemoSiteStats javaStats = site.stats();
    assertThat(javaStats.loginsOf("alice")).isEqualTo(new DemoSiteStats.LoginCounts(1, 1));
    assertThat(javaStats.loginsOf("carol")).isEqualTo(DemoSiteStats.LoginCounts.NONE);
    assertThat(javaStats.requestsTo("/login")).isEqualTo(6);
    assertThat(javaStats.requestsTo("/admin/stats")).isEqualTo(1);
    JsonNode javaJson = SiteClient.json(SiteClient.JSON.writeValueAsString(javaStats));
    assertThat(javaJson).isEqualTo(stats);
  }

  @Test
  void csrfFailuresAreCountedAsRequestsButNotAsLogins() {
    browser.postForm("/login", Map.of("username", "alice", "password", "wonderland"));

    assertThat(site.stats().logins()).isEmpty();
    assertThat(site.stats().requestsTo("/login")).isEqualTo(1);
  }

  @Test
  void resetZeroesEverything() {
    browser.login(DemoUsers.ALICE);
    browser.get("/api/me");

    HttpResponse<String> response = browser.post("/admin/reset-stats");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(SiteClient.json(response)).isEqualTo(SiteClient.JSON.createObjectNode());
    assertThat(site.stats().logins()).isEmpty();
    assertThat(site.stats().requestsTo("/api/me")).isZero();
    assertThat(browser.get("/api/me").statusCode()).as("sessions survive a reset").isEqualTo(200);

    browser.get("/api/me");
    site.resetStats();
    assertThat(site.stats().requests()).isEmpty();
  }
}

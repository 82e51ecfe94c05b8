package dev.tessera.demosite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InvoicesTest {

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
  void secondPageOfAliceMatchesTheJsonApi() {
    browser.login(DemoUsers.ALICE);

    HttpResponse<String> response = browser.get("/invoices?page=2");

    assertThat(response.statusCode()).isEqualTo(200);
    Document page = SiteClient.html(response);
    assertThat(page.select("table#invoices thead th")).hasSize(5);
    List<Map<String, String>> htmlRows = rows(page);
    assertThat(htmlRows).hasSize(10);
    assertThat(page.selectFirst("#page-info").text()).isEqualTo("Page 2 of 4");
    assertThat(page.selectFirst("a#prev-page").attr("href")).isEqualTo("/invoices?page=1");
    assertThat(page.selectFirst("a#next-page").attr("href")).isEqualTo("/invoices?page=3");

    JsonNode api = SiteClient.json(browser.get("/api/invoices?page=2"));
    assertThat(api.get("page").asInt()).isEqualTo(2);
    assertThat(api.get("pages").asInt()).isEqualTo(4);
    assertThat(htmlRows).isEqualTo(rows(api));
  }

  @Test
  void everyPageOfEveryUserMatchesTheJsonApi() {
    for (DemoUser user : DemoUsers.ALL) {
      SiteClient client = new SiteClient(site);
      client.login(user);
      int pages = SiteClient.json(client.get("/api/invoices")).get("pages").asInt();
      int total = 0;
      for (int number = 1; number <= pages; number++) {
        Document page = SiteClient.html(client.get("/invoices?page=" + number));
        List<Map<String, String>> htmlRows = rows(page);
        assertThat(htmlRows)
            .as("%s page %d", user.username(), number)
            .isEqualTo(rows(SiteClient.json(client.get("/api/invoices?page=" + number))));
        htmlRows.forEach(
            row -> {
              assertThat(row.get("date")).matches("\\d{4}-\\d{2}-\\d{2}");
              assertThat(row.get("amount")).matches("\\d+\\.\\d{2}");
              assertThat(row.get("status")).isIn("Paid", "Open", "Overdue");
              assertThat(row.get("number")).isNotBlank();
              assertThat(row.get("customer")).isNotBlank();
            });
        total += htmlRows.size();
      }
      int expected = Map.of("alice", 34, "bob", 12, "carol", 7).get(user.username());
      assertThat(total).as(user.username()).isEqualTo(expected);
      assertThat(pages).isEqualTo((expected + 9) / 10);
    }
  }

  @Test
  void firstAndLastPagesHaveOnlyTheLinksThatExist() {
    browser.login(DemoUsers.ALICE);

    Document first = SiteClient.html(browser.get("/invoices"));
    assertThat(first.selectFirst("#page-info").text()).isEqualTo("Page 1 of 4");
    assertThat(first.select("a#prev-page")).isEmpty();
    assertThat(first.select("a#next-page")).hasSize(1);

    Document last = SiteClient.html(browser.get("/invoices?page=4"));
    assertThat(rows(last)).hasSize(4);
    assertThat(last.select("a#prev-page")).hasSize(1);
    assertThat(last.select("a#next-page")).isEmpty();
  }

  @Test
  void pageOutOfRangeIsNotFound() {
    browser.login(DemoUsers.ALICE);

    for (String page : List.of("0", "5", "-1")) {
      HttpResponse<String> html = browser.get("/invoices?page=" + page);
      assertThat(html.statusCode()).as(page).isEqualTo(404);
      assertThat(SiteClient.html(html).select("#not-found")).hasSize(1);
      assertThat(browser.get("/api/invoices?page=" + page).statusCode()).as(page).isEqualTo(404);
    }
    assertThat(browser.get("/invoices?page=two").statusCode()).isEqualTo(400);
  }

  @Test
  void invoicesAreFixedAcrossRunsAndDifferPerUser() {
    browser.login(DemoUsers.ALICE);
    List<Map<String, String>> alice = rows(SiteClient.json(browser.get("/api/invoices")));
    SiteClient bob = new SiteClient(site);
    bob.login(DemoUsers.BOB);
    List<Map<String, String>> bobs = rows(SiteClient.json(bob.get("/api/invoices")));

    assertThat(alice.get(0))
        .isEqualTo(
            Map.of(
                "number", "INV-A1034",
                "date", "2024-10-18",
                "customer", "Globex Inc.",
                "amount", "10290.22",
                "status", "Paid"));
    String token = SessionExpiryTest.apiToken(browser.get("/dashboard"));
    assertThat(
            SiteClient.json(browser.get("/api/reports", "Authorization", "Bearer " + token))
                .get("reports"))
        .anySatisfy(
            row -> {
              assertThat(row.get("name").asText()).isEqualTo("Total billed");
              assertThat(row.get("value").asText()).isEqualTo("226941.31");
            });
    assertThat(bobs.get(0).get("number")).startsWith("INV-B");
    assertThat(bobs).isNotEqualTo(alice);
  }

  @Test
  void customerNamesReachTheTableUnescaped() {
    browser.login(DemoUsers.ALICE);

    Document page = SiteClient.html(browser.get("/invoices?page=1"));

    assertThat(page.select("td.customer").eachText()).contains("Smith & Sons");
  }

  @Test
  void apiNeedsALogin() {
    HttpResponse<String> response = browser.get("/api/invoices?page=1");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(SiteClient.json(response).get("error").asText()).isEqualTo("not authenticated");
  }

  private static List<Map<String, String>> rows(Document page) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (Element row : page.select("table#invoices tbody tr.invoice")) {
      rows.add(
          Map.of(
              "number", row.selectFirst("td.number").text(),
              "date", row.selectFirst("td.date").text(),
              "customer", row.selectFirst("td.customer").text(),
              "amount", row.selectFirst("td.amount").text(),
              "status", row.selectFirst("td.status").text()));
    }
    return rows;
  }

  private static List<Map<String, String>> rows(JsonNode api) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (JsonNode invoice : api.get("invoices")) {
      assertThat(invoice.get("amount").isTextual()).isTrue();
      rows.add(
          Map.of(
              "number", invoice.get("number").asText(),
              "date", invoice.get("date").asText(),
              "customer", invoice.get("customer").asText(),
              "amount", invoice.get("amount").asText(),
              "status", invoice.get("status").asText()));
    }
    return rows;
  }
}

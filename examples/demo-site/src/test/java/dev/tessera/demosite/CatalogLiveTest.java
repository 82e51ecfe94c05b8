package dev.tessera.demosite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CatalogLiveTest {
  private DemoSite site;
  private SiteClient anonymous;

  @BeforeEach
  void start() {
    site = DemoSite.start();
    anonymous = new SiteClient(site);
  }

  @AfterEach
  void stop() {
    site.close();
  }

  @Test
  void pageIsPublicHasTheCatalogLayoutButNoRowsYet() {
    HttpResponse<String> response = anonymous.get("/catalog/live?page=1");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    Document page = SiteClient.html(response);
    Element table = page.selectFirst("table#products");
    assertThat(table).isNotNull();
    assertThat(table.select("thead th.sku, thead th.name, thead th.price")).hasSize(3);
    assertThat(table.select("tbody")).hasSize(1);
    assertThat(table.selectFirst("tbody").children()).isEmpty();
    assertThat(page.select("tr.product")).isEmpty();
    assertThat(table.hasAttr("data-complete")).isFalse();
    assertThat(table.attr("data-delay")).isEqualTo("1500");
    assertThat(page.selectFirst("#page-info").text()).isEmpty();
    assertThat(page.selectFirst("a#next-page").attr("href")).isEqualTo("/catalog/live?page=2");
    assertThat(site.stats().logins()).isEmpty();
    assertThat(site.stats().requestsTo("/catalog/live")).isEqualTo(1);
  }

  @Test
  void everyPageEmbedsTheSameProductsAsTheCatalog() {
    for (int number = 1; number <= 3; number++) {
      Document page = SiteClient.html(anonymous.get("/catalog/live?page=" + number));

      JsonNode data = embeddedData(page);
      assertThat(data).isEqualTo(SiteClient.json(anonymous.get("/api/catalog?page=" + number)));
      assertThat(data.get("page").asInt()).isEqualTo(number);
      assertThat(data.get("pages").asInt()).isEqualTo(3);
      List<Element> catalogRows =
          SiteClient.html(anonymous.get("/catalog?page=" + number))
              .select("table#products tbody tr.product");
      assertThat(data.get("products")).hasSize(catalogRows.size());
      for (int i = 0; i < catalogRows.size(); i++) {
        JsonNode product = data.get("products").get(i);
        Element row = catalogRows.get(i);
        for (String field : List.of("sku", "name", "price")) {
          assertThat(product.get(field).asText())
              .as("page %d row %d %s", number, i, field)
              .isEqualTo(row.selectFirst("td." + field).text());
        }
      }
      assertThat(page.select("a#next-page")).as("page %d", number).hasSize(number < 3 ? 1 : 0);
    }
  }

  @Test
  void theScriptDrawsBatchesOfThreeAfterTheLoadEventAndMarksTheTableComplete() {
    String script = inlineScript(SiteClient.html(anonymous.get("/catalog/live?page=2&delay=250")));

    assertThat(script)
        .contains(
            "var delay = 250;",
            "var batch = 3;",
            "var interval = 150;",
            "window.addEventListener('load', start)",
            "row.className = 'product'",
            "'Page ' + data.page + ' of ' + data.pages",
            "table.setAttribute('data-complete', 'true')");
    assertThat(script).doesNotContain("fetch(");
  }

  @Test
  void delayIsCappedDefaultsWhenEmptyAndIsKeptInTheNextLink() {
    Document zero = SiteClient.html(anonymous.get("/catalog/live?delay=0"));
    assertThat(zero.selectFirst("table#products").attr("data-delay")).isEqualTo("0");
    assertThat(embeddedData(zero).get("page").asInt()).isEqualTo(1);
    assertThat(zero.selectFirst("a#next-page").attr("href"))
        .isEqualTo("/catalog/live?page=2&delay=0");

    Document capped = SiteClient.html(anonymous.get("/catalog/live?page=2&delay=999999"));
    assertThat(capped.selectFirst("table#products").attr("data-delay")).isEqualTo("30000");
    assertThat(inlineScript(capped)).contains("var delay = 30000;");
    assertThat(capped.selectFirst("a#next-page").attr("href"))
        .isEqualTo("/catalog/live?page=3&delay=30000");

    Document empty = SiteClient.html(anonymous.get("/catalog/live?page=3&delay="));
    assertThat(empty.selectFirst("table#products").attr("data-delay")).isEqualTo("1500");
    assertThat(empty.select("a#next-page")).isEmpty();
  }

  @Test
  void badValuesAreBadRequests() {
    for (String query :
        List.of("page=two", "delay=soon", "delay=-1", "delay=1.5", "page=2&delay=x")) {
      HttpResponse<String> response = anonymous.get("/catalog/live?" + query);
      assertThat(response.statusCode()).as(query).isEqualTo(400);
      assertThat(SiteClient.html(response).select("#bad-request")).as(query).hasSize(1);
    }
  }

  @Test
  void pageOutOfRangeIsNotFound() {
    for (String query : List.of("page=0", "page=4", "page=-1&delay=100")) {
      HttpResponse<String> response = anonymous.get("/catalog/live?" + query);
      assertThat(response.statusCode()).as(query).isEqualTo(404);
      assertThat(SiteClient.html(response).select("#not-found")).as(query).hasSize(1);
    }
  }

  @Test
  void otherMethodsAreNotAllowed() {
    HttpResponse<String> response = anonymous.post("/catalog/live");

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue("GET");
  }

  private static JsonNode embeddedData(Document page) {
    Element data = page.selectFirst("script#catalog-data[type=application/json]");
    assertThat(data).as("script#catalog-data").isNotNull();
    return SiteClient.json(data.data());
  }

  private static String inlineScript(Document page) {
    return page.select("script:not([type])").stream()
        .map(Element::data)
        .filter(text -> text.contains("catalog-data"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no inline script reads #catalog-data"));
  }
}

package dev.tessera.demosite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CatalogTest {
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
  void catalogIsPublicAndEveryPageMatchesTheJsonApi() {
    int total = 0;
    for (int number = 1; number <= 3; number++) {
      HttpResponse<String> response = anonymous.get("/catalog?page=" + number);
      assertThat(response.statusCode()).isEqualTo(200);
      Document page = SiteClient.html(response);
      assertThat(page.selectFirst("#page-info").text()).isEqualTo("Page " + number + " of 3");
      JsonNode api = SiteClient.json(anonymous.get("/api/catalog?page=" + number));
      List<Map<String, String>> htmlRows = new ArrayList<>();
      for (Element row : page.select("table#products tbody tr.product")) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : List.of("sku", "name", "price")) {
          fields.put(field, row.selectFirst("td." + field).text());
        }
        htmlRows.add(fields);
      }
      List<Map<String, String>> apiRows = new ArrayList<>();
      for (JsonNode product : api.get("products")) {
        apiRows.add(
            Map.of(
                "sku",
                product.get("sku").asText(),
                "name",
                product.get("name").asText(),
                "price",
                product.get("price").asText()));
      }
      assertThat(htmlRows).hasSameSizeAs(apiRows);
      for (int i = 0; i < htmlRows.size(); i++) {
        assertThat(htmlRows.get(i)).containsExactlyInAnyOrderEntriesOf(apiRows.get(i));
      }
      total += htmlRows.size();
    }
    assertThat(total).isEqualTo(25);
    assertThat(site.stats().logins()).isEmpty();
  }

  @Test
  void pageOutOfRangeIsNotFound() {
    assertThat(anonymous.get("/catalog?page=4").statusCode()).isEqualTo(404);
    assertThat(anonymous.get("/api/catalog?page=0").statusCode()).isEqualTo(404);
  }
}

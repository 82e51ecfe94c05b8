package dev.tessera.runner.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import dev.tessera.runner.spi.ApiContext;
import dev.tessera.runner.spi.BrowserApi;

/** A check written in Java: true while the site's /api/me answers 200. */
public class LoggedInCheck implements BrowserApi {
  @Override
  public JsonNode run(ApiContext context) {
    String baseUrl = context.parameters().path("baseUrl").asText();
    return BooleanNode.valueOf(context.request().get(baseUrl + "/api/me").status() == 200);
  }
}

package dev.tessera.runner.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.APIResponse;
import dev.tessera.runner.spi.ApiContext;
import dev.tessera.runner.spi.BrowserApi;

/** An API written in Java: the logged-in user's profile, read from the site's /api/me. */
public class ProfileApi implements BrowserApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public JsonNode run(ApiContext context) throws Exception {
    String baseUrl = context.parameters().path("baseUrl").asText();
    APIResponse response = context.request().get(baseUrl + "/api/me");
    if (response.status() != 200) {
      throw new IllegalStateException("/api/me answered " + response.status());
    }
    JsonNode me = JSON.readTree(response.body());
    return JSON.createObjectNode().put("user", me.path("username").asText()).set("profile", me);
  }
}

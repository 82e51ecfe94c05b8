package dev.tessera.runner.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The localStorage part of a storage state, restored when the session first opens a page rather
 * than when the context is created.
 *
 * <p>Why: Playwright restores localStorage at context creation by opening a page and visiting every
 * stored origin, which costs ~250 ms here, against ~10 ms for cookies alone. A check made of {@code
 * request} steps never needs localStorage, so the runner creates the context with the cookies only
 * and restores localStorage the same way Playwright does (the page's requests are answered with an
 * empty document while each origin is visited) just before the first page is used. Java APIs, which
 * may open pages of their own, get it restored before they run.
 */
final class StoredOrigins {
  private static final StoredOrigins NONE = new StoredOrigins(Map.of());
  private static final String SET_ITEMS =
      "items => { for (const item of items) localStorage.setItem(item.name, item.value); }";

  /** Origin -> its localStorage entries (each a map with name and value). */
  private final Map<String, List<Map<String, String>>> origins;

  private StoredOrigins(Map<String, List<Map<String, String>>> origins) {
    this.origins = origins;
  }

  static StoredOrigins none() {
    return NONE;
  }

  /** The origins with localStorage entries in a storage state. */
  static StoredOrigins of(JsonNode storageState) {
    if (storageState == null) {
      return NONE;
    }
    Map<String, List<Map<String, String>>> origins = new LinkedHashMap<>();
    for (JsonNode origin : storageState.path("origins")) {
      List<Map<String, String>> items = new ArrayList<>();
      for (JsonNode item : origin.path("localStorage")) {
        items.add(Map.of("name", item.path("name").asText(), "value", item.path("value").asText()));
      }
      String name = origin.path("origin").asText();
      if (!items.isEmpty() && !name.isEmpty()) {
        origins.put(name, items);
      }
    }
    return origins.isEmpty() ? NONE : new StoredOrigins(origins);
  }

  /** The state without its origins, for creating the context. */
  static JsonNode cookiesOnly(JsonNode storageState) {
    if (storageState == null || !storageState.isObject()) {
      return storageState;
    }
    ObjectNode copy = ((ObjectNode) storageState).deepCopy();
    copy.putArray("origins");
    return copy;
  }

  /** The stored localStorage value of a key at an origin, or null. */
  String value(String origin, String key) {
    for (Map<String, String> item : origins.getOrDefault(origin, List.of())) {
      if (key.equals(item.get("name"))) {
        return item.get("value");
      }
    }
    return null;
  }

  boolean isEmpty() {
    return origins.isEmpty();
  }

  /** Writes the entries into each origin's localStorage, through the page, without the network. */
  void restoreInto(Page page) {
    page.route(
        "**/*",
        route ->
            route.fulfill(
                new Route.FulfillOptions()
                    .setStatus(200)
                    .setContentType("text/html")
                    .setBody("<!doctype html><title></title>")));
    try {
      for (Map.Entry<String, List<Map<String, String>>> origin : origins.entrySet()) {
        page.navigate(origin.getKey() + "/");
        page.evaluate(SET_ITEMS, origin.getValue());
      }
    } finally {
      page.unroute("**/*");
    }
    page.navigate("about:blank");
  }
}

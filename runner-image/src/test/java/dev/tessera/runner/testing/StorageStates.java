package dev.tessera.runner.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.stream.StreamSupport;

/** Reads Playwright storage states: cookies and each origin's localStorage. */
public final class StorageStates {
  private StorageStates() {}

  /** The value of the named cookie. */
  public static Optional<String> cookie(JsonNode state, String name) {
    return StreamSupport.stream(state.path("cookies").spliterator(), false)
        .filter(c -> name.equals(c.path("name").asText()))
        .map(c -> c.path("value").asText())
        .findFirst();
  }

  /** The value of a localStorage entry, in any origin. */
  public static Optional<String> localStorage(JsonNode state, String name) {
    return StreamSupport.stream(state.path("origins").spliterator(), false)
        .flatMap(o -> StreamSupport.stream(o.path("localStorage").spliterator(), false))
        .filter(e -> name.equals(e.path("name").asText()))
        .map(e -> e.path("value").asText())
        .findFirst();
  }

  /** The same state with the cookies only (no origin's localStorage). */
  public static JsonNode withoutLocalStorage(JsonNode state) {
    ObjectNode copy = state.deepCopy();
    copy.putArray("origins");
    return copy;
  }
}

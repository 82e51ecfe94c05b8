package dev.tessera.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeletionHistoryTest {
  private static final ResourcePath PODS = new ResourcePath("", "v1", "a", "pods", null, null);

  private static JsonNode pod(String namespace, String name, String app) {
    return Json.parse(
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\""
            + name
            + "\",\"namespace\":\""
            + namespace
            + "\",\"resourceVersion\":\"3\",\"labels\":{\"app\":\""
            + app
            + "\"}}}");
  }

  private static List<String> names(Optional<List<String>> events) {
    return events.orElseThrow().stream()
        .map(Json::parse)
        .map(
            e ->
                e.path("type").asText()
                    + " "
                    + e.path("object").path("metadata").path("name").asText())
        .toList();
  }

  @Test
  void aWatchIsSentTheDeletionsSinceItsVersionThatItsSelectorsMatch() {
    DeletionHistory history = new DeletionHistory();
    history.deleted(PODS, 4, List.of(pod("a", "early", "web")));
    history.deleted(PODS, 9, List.of(pod("a", "web-1", "web"), pod("a", "db-1", "db")));
    history.deleted(PODS, 9, List.of(pod("b", "web-2", "web")));

    assertThat(names(history.since("/api/v1/namespaces/a/pods?watch=true", 9)))
        .containsExactly("DELETED web-1", "DELETED db-1");
    assertThat(names(history.since("/api/v1/pods?watch=true&labelSelector=app%3Dweb", 5)))
        .containsExactly("DELETED web-1", "DELETED web-2");
    assertThat(names(history.since("/api/v1/pods?watch=true", 10))).isEmpty();
    assertThat(names(history.since("/api/v1/secrets?watch=true", 1))).isEmpty();
  }

  @Test
  void aRefusedDeleteIsTakenBack() {
    DeletionHistory history = new DeletionHistory();
    history.deleted(PODS, 5, List.of(pod("a", "kept", "web")));
    history.refused(PODS, 5, List.of(pod("a", "kept", "web")));
    assertThat(names(history.since("/api/v1/pods?watch=true", 1))).isEmpty();
  }

  @Test
  void aWatchFromBeforeWhatTheHistoryKeepsIsExpired() {
    DeletionHistory history = new DeletionHistory(2);
    history.deleted(PODS, 3, List.of(pod("a", "one", "web")));
    history.deleted(PODS, 6, List.of(pod("a", "two", "web")));
    history.deleted(PODS, 8, List.of(pod("a", "three", "web")));

    assertThat(history.since("/api/v1/pods?watch=true", 3)).isEmpty();
    assertThat(names(history.since("/api/v1/pods?watch=true", 4)))
        .containsExactly("DELETED two", "DELETED three");
    assertThat(Json.parse(DeletionHistory.expired(3)).path("object").path("code").asInt())
        .isEqualTo(410);
  }
}

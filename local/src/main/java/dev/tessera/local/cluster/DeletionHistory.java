package dev.tessera.local.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The objects each type's store deleted lately, for the watches that start from a resourceVersion.
 * An informer lists, then watches from the list's version; when its watch is cut it watches again
 * from the last version it saw. An object deleted in between must reach it as {@code DELETED}, or
 * it stays in the informer's cache for good. A kube-apiserver replays those deletions from its
 * watch cache, or answers {@code 410 Gone} when the version is older than the cache, and the
 * informer lists again; so does this history, which keeps the last {@link #PER_TYPE} deletions of
 * each type.
 *
 * <p>A deletion is recorded with the store's version at that moment (a deletion does not advance
 * it): a watch from version {@code v} is sent every deletion recorded at {@code v} or later. One
 * that happened just before a list at the same version is sent too; an informer ignores the
 * deletion of an object it does not hold.
 */
final class DeletionHistory {
  static final int PER_TYPE = 4096;

  private final int perType;
  private final KubernetesAttributesExtractor attributes = new KubernetesAttributesExtractor();
  private final Map<String, Deque<Tombstone>> byType = new HashMap<>();
  private final Map<String, Long> forgottenUpTo = new HashMap<>();

  DeletionHistory() {
    this(PER_TYPE);
  }

  /**
   * @param perType how many deletions of each type to keep
   */
  DeletionHistory(int perType) {
    this.perType = perType;
  }

  private record Tombstone(long version, String key, AttributeSet attributes, String event) {}

  /** The watch event a deleted object makes, and the attributes a watch's selectors match. */
  private Tombstone tombstone(ResourcePath type, long version, JsonNode object) {
    JsonNode metadata = object.path("metadata");
    ResourcePath path =
        new ResourcePath(
            type.group(),
            type.version(),
            metadata.hasNonNull("namespace") ? metadata.get("namespace").asText() : null,
            type.plural(),
            metadata.path("name").asText(),
            null);
    ObjectNode event = Json.object().put("type", "DELETED");
    event.set("object", object);
    return new Tombstone(
        version,
        path.objectPath(),
        AttributeSet.merge(
            attributes.fromPath(path.objectPath()), attributes.fromResource(Json.write(object))),
        Json.write(event));
  }

  /** Records that {@code objects} of {@code type} are deleted, at the store's {@code version}. */
  synchronized void deleted(ResourcePath type, long version, List<JsonNode> objects) {
    String key = key(type);
    Deque<Tombstone> deletions = byType.computeIfAbsent(key, k -> new ArrayDeque<>());
    for (JsonNode object : objects) {
      deletions.addLast(tombstone(type, version, object));
      if (deletions.size() > perType) {
        forgottenUpTo.merge(key, deletions.removeFirst().version(), Math::max);
      }
    }
  }

  /** Takes back deletions recorded ahead of a delete that was then refused. */
  synchronized void refused(ResourcePath type, long version, List<JsonNode> objects) {
    Deque<Tombstone> deletions = byType.get(key(type));
    if (deletions == null) {
      return;
    }
    for (JsonNode object : objects) {
      String path = tombstone(type, version, object).key();
      deletions.removeIf(t -> t.version() == version && t.key().equals(path));
    }
  }

  /**
   * The {@code DELETED} events a watch of {@code watchPath} (with its selectors) from {@code since}
   * has to be sent, or empty when the history no longer reaches back to {@code since}: the watch is
   * then answered {@code 410 Gone}, and its client lists again.
   */
  synchronized Optional<List<String>> since(String watchPath, long since) {
    int q = watchPath.indexOf('?');
    Optional<ResourcePath> type = ResourcePath.parse(q < 0 ? watchPath : watchPath.substring(0, q));
    if (type.isEmpty()) {
      return Optional.of(List.of());
    }
    String key = key(type.get());
    if (forgottenUpTo.getOrDefault(key, -1L) >= since) {
      return Optional.empty();
    }
    AttributeSet selected = attributes.fromPath(watchPath);
    List<String> events = new ArrayList<>();
    for (Tombstone deletion : byType.getOrDefault(key, new ArrayDeque<>())) {
      if (deletion.version() >= since && deletion.attributes().matches(selected)) {
        events.add(deletion.event());
      }
    }
    return Optional.of(events);
  }

  /** The event that ends a watch from a version this history no longer reaches. */
  static String expired(long since) {
    ObjectNode event = Json.object().put("type", "ERROR");
    event
        .putObject("object")
        .put("kind", "Status")
        .put("apiVersion", "v1")
        .put("status", "Failure")
        .put("reason", "Expired")
        .put("message", "too old resource version: " + since)
        .put("code", 410);
    return Json.write(event);
  }

  private static String key(ResourcePath type) {
    return type.group() + "/" + type.plural();
  }
}

package dev.tessera.local.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The patch formats of the Kubernetes API, applied to a stored object: JSON merge patch (RFC 7386)
 * and an approximation of strategic merge patch for built-in kinds.
 *
 * <p>Strategic merge patch merges lists of objects by a key instead of replacing them. The real
 * server knows the key of every list from the Go types; here the common keys are in a table ({@code
 * containers} by {@code name}, {@code volumeMounts} by {@code mountPath}...) and every other list
 * is replaced, as in a merge patch. Custom resources never get strategic merge semantics (a real
 * server refuses the format for them); their strategic patches are applied as merge patches.
 */
final class Patches {
  private static final Map<String, String> MERGE_KEYS =
      Map.ofEntries(
          Map.entry("containers", "name"),
          Map.entry("initContainers", "name"),
          Map.entry("ephemeralContainers", "name"),
          Map.entry("env", "name"),
          Map.entry("volumes", "name"),
          Map.entry("imagePullSecrets", "name"),
          Map.entry("volumeMounts", "mountPath"),
          Map.entry("volumeDevices", "devicePath"),
          Map.entry("ownerReferences", "uid"),
          Map.entry("conditions", "type"),
          Map.entry("hostAliases", "ip"),
          Map.entry("topologySpreadConstraints", "topologyKey"),
          Map.entry("secrets", "name"));
  private static final Set<String> MERGED_PRIMITIVE_LISTS = Set.of("finalizers");
  private static final String DIRECTIVE = "$patch";

  private Patches() {}

  /** RFC 7386: objects merge recursively, {@code null} removes, everything else replaces. */
  static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result = target != null && target.isObject() ? target.deepCopy() : Json.object();
    patch
        .properties()
        .forEach(
            field -> {
              if (field.getValue().isNull()) {
                result.remove(field.getKey());
              } else {
                result.set(field.getKey(), merge(result.get(field.getKey()), field.getValue()));
              }
            });
    return result;
  }

  /** Removes the directives of a strategic merge patch, leaving a merge patch. */
  static JsonNode withoutDirectives(JsonNode patch) {
    if (patch.isObject()) {
      ObjectNode result = Json.object();
      patch
          .properties()
          .forEach(
              field -> {
                if (!field.getKey().startsWith("$")) {
                  result.set(field.getKey(), withoutDirectives(field.getValue()));
                }
              });
      return result;
    }
    if (patch.isArray()) {
      ArrayNode result = Json.array();
      for (JsonNode element : patch) {
        if (!(element.isObject() && element.has(DIRECTIVE) && element.size() == 1)) {
          result.add(withoutDirectives(element));
        }
      }
      return result;
    }
    return patch.deepCopy();
  }

  /** Applies a strategic merge patch to a built-in object. */
  static JsonNode strategicMerge(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    String directive = patch.path(DIRECTIVE).asText("");
    if (directive.equals("replace")) {
      return withoutDirectives(patch);
    }
    if (directive.equals("delete")) {
      return null;
    }
    ObjectNode result = target != null && target.isObject() ? target.deepCopy() : Json.object();
    JsonNode retainKeys = patch.get("$retainKeys");
    if (retainKeys != null && retainKeys.isArray()) {
      Set<String> keep = new LinkedHashSet<>();
      retainKeys.forEach(k -> keep.add(k.asText()));
      result.retain(keep);
    }
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      if (key.startsWith("$deleteFromPrimitiveList/")) {
        String list = key.substring(key.indexOf('/') + 1);
        if (result.get(list) instanceof ArrayNode array) {
          removeValues(array, value);
        }
        continue;
      }
      if (key.startsWith("$")) {
        continue;
      }
      if (value.isNull()) {
        result.remove(key);
      } else if (value.isArray() && result.get(key) instanceof ArrayNode current) {
        result.set(key, mergeList(key, current, (ArrayNode) value));
      } else if (value.isObject()) {
        JsonNode merged = strategicMerge(result.get(key), value);
        if (merged == null) {
          result.remove(key);
        } else {
          result.set(key, merged);
        }
      } else {
        result.set(key, withoutDirectives(value));
      }
    }
    return result;
  }

  private static JsonNode mergeList(String field, ArrayNode current, ArrayNode patch) {
    for (JsonNode element : patch) {
      if (element.isObject()
          && element.size() == 1
          && "replace".equals(element.path(DIRECTIVE).asText())) {
        return withoutDirectives(patch);
      }
    }
    if (MERGED_PRIMITIVE_LISTS.contains(field)) {
      ArrayNode result = current.deepCopy();
      for (JsonNode value : patch) {
        if (!contains(result, value)) {
          result.add(value.deepCopy());
        }
      }
      return result;
    }
    String key = MERGE_KEYS.get(field);
    if (key == null || !allObjectsWith(patch, key)) {
      return withoutDirectives(patch);
    }
    List<JsonNode> result = new ArrayList<>();
    current.forEach(result::add);
    for (JsonNode element : patch) {
      int index = indexOf(result, key, element.get(key));
      if ("delete".equals(element.path(DIRECTIVE).asText())) {
        if (index >= 0) {
          result.remove(index);
        }
      } else if (index >= 0) {
        result.set(index, strategicMerge(result.get(index), element));
      } else {
        result.add(withoutDirectives(element));
      }
    }
    ArrayNode array = Json.array();
    result.forEach(array::add);
    return array;
  }

  private static boolean allObjectsWith(ArrayNode list, String key) {
    for (JsonNode element : list) {
      if (!element.isObject() || !element.has(key)) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(List<JsonNode> list, String key, JsonNode value) {
    for (int i = 0; i < list.size(); i++) {
      if (Objects.equals(list.get(i).get(key), value)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean contains(ArrayNode array, JsonNode value) {
    for (JsonNode element : array) {
      if (element.equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static void removeValues(ArrayNode array, JsonNode values) {
    for (int i = array.size() - 1; i >= 0; i--) {
      if (values.isArray() && contains((ArrayNode) values, array.get(i))) {
        array.remove(i);
      }
    }
  }
}

package dev.tessera.local.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a real API server does with a custom resource's structural schema on every write: it fills
 * in {@code default}s and prunes fields the schema does not declare (reporting them, so that {@code
 * fieldValidation=Strict} can reject them), and drops nulls the schema does not allow. Types,
 * bounds and rules are {@link CustomResourceValidation}'s.
 */
final class StructuralSchema {
  private static final Set<String> OBJECT_HEADER = Set.of("apiVersion", "kind", "metadata");

  private StructuralSchema() {}

  /**
   * Defaults and prunes a whole object in place.
   *
   * @return the paths of the unknown fields that were removed, e.g. {@code spec.foo}
   */
  static List<String> defaultAndPrune(ObjectNode object, JsonNode schema) {
    List<String> unknown = new ArrayList<>();
    if (schema != null) {
      walkObject(object, schema, "", true, unknown);
    }
    return unknown;
  }

  private static void walk(JsonNode node, JsonNode schema, String path, List<String> unknown) {
    if (schema == null || schema.isMissingNode()) {
      return;
    }
    if (node instanceof ObjectNode object) {
      walkObject(
          object,
          schema,
          path,
          schema.path("x-kubernetes-embedded-resource").asBoolean(false),
          unknown);
    } else if (node instanceof ArrayNode array) {
      JsonNode items = schema.get("items");
      for (int i = 0; i < array.size(); i++) {
        walk(array.get(i), items, path + "[" + i + "]", unknown);
      }
    }
  }

  private static void walkObject(
      ObjectNode object, JsonNode schema, String path, boolean header, List<String> unknown) {
    JsonNode properties = schema.get("properties");
    JsonNode additional = schema.get("additionalProperties");
    boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    if (properties != null) {
      properties
          .properties()
          .forEach(
              property -> {
                JsonNode defaultValue = property.getValue().get("default");
                if (defaultValue != null && !object.has(property.getKey())) {
                  object.set(property.getKey(), defaultValue.deepCopy());
                }
              });
    }
    for (String field : new ArrayList<>(iterable(object))) {
      String fieldPath = path.isEmpty() ? field : path + "." + field;
      if (properties != null
          && properties.has(field)
          && object.get(field).isNull()
          && !properties.get(field).path("nullable").asBoolean(false)) {
        // as the API server does: a null where the schema does not allow one is dropped
        object.remove(field);
      } else if (properties != null && properties.has(field)) {
        walk(object.get(field), properties.get(field), fieldPath, unknown);
      } else if (header && OBJECT_HEADER.contains(field)) {
        continue;
      } else if (additional != null && additional.isObject()) {
        walk(object.get(field), additional, fieldPath, unknown);
      } else if (preserve || (additional != null && additional.asBoolean(false))) {
        continue;
      } else if (properties == null && additional == null && !schema.has("type")) {
        continue;
      } else {
        object.remove(field);
        unknown.add(fieldPath);
      }
    }
  }

  private static List<String> iterable(ObjectNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}

package dev.tessera.local.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A field selector such as {@code involvedObject.name=run-1,type!=Normal}, evaluated on stored
 * objects. A missing field compares as the empty string, as on a real server.
 */
record FieldSelector(List<Requirement> requirements) {

  static FieldSelector parse(String selector) {
    List<Requirement> requirements = new ArrayList<>();
    for (String term : selector.split(",")) {
      String t = term.trim();
      if (t.isEmpty()) {
        continue;
      }
      int notEquals = t.indexOf("!=");
      if (notEquals > 0) {
        requirements.add(
            new Requirement(t.substring(0, notEquals), t.substring(notEquals + 2), false));
        continue;
      }
      int equals = t.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException("invalid field selector: " + term);
      }
      String value = t.substring(t.startsWith("==", equals) ? equals + 2 : equals + 1);
      requirements.add(new Requirement(t.substring(0, equals), value, true));
    }
    return new FieldSelector(List.copyOf(requirements));
  }

  boolean matches(JsonNode object) {
    for (Requirement requirement : requirements) {
      JsonNode node = object;
      for (String field : requirement.field().split("\\.")) {
        node = node.path(field);
      }
      String actual = node.isValueNode() ? node.asText() : "";
      if (actual.equals(requirement.value()) != requirement.equal()) {
        return false;
      }
    }
    return true;
  }

  /** {@code field=value} when {@code equal}, {@code field!=value} otherwise. */
  record Requirement(String field, String value, boolean equal) {}
}

package dev.tessera.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One request of an embedded API's audit log (local mode writes them under {@code
 * TESSERA_AUDIT_LOG_DIR}), in the terms RBAC grants: verb, group, resource, subresource.
 */
record ApiRequest(
    String user,
    String userAgent,
    String verb,
    String group,
    String resource,
    String subresource,
    String namespace,
    String name,
    String labelSelector,
    String nonResourceUrl) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** {@code resource/subresource}, as a rule names it. */
  String qualifiedResource() {
    return subresource == null ? resource : resource + "/" + subresource;
  }

  /** {@code verb group/resource[/subresource]}, as messages show it. */
  String describe() {
    if (nonResourceUrl != null) {
      return verb + " " + nonResourceUrl;
    }
    return verb
        + " "
        + (group.isEmpty() ? "core" : group)
        + "/"
        + qualifiedResource()
        + (namespace == null ? "" : " in " + namespace)
        + (name == null ? "" : " (" + name + ")");
  }

  static ApiRequest of(JsonNode entry) {
    return new ApiRequest(
        text(entry, "user"),
        text(entry, "userAgent"),
        text(entry, "verb"),
        text(entry, "group"),
        text(entry, "resource"),
        text(entry, "subresource"),
        text(entry, "namespace"),
        text(entry, "name"),
        text(entry, "labelSelector"),
        text(entry, "nonResourceURL"));
  }

  private static String text(JsonNode entry, String field) {
    JsonNode value = entry.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  /** Every request of one audit log. */
  static List<ApiRequest> read(Path file) {
    List<ApiRequest> requests = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          requests.add(of(JSON.readTree(line)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return requests;
  }

  /** Every request of the audit logs ({@code *.jsonl}) in a directory; none if it is missing. */
  static List<ApiRequest> readAll(Path directory) {
    List<ApiRequest> requests = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return requests;
    }
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
        requests.addAll(read(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return requests;
  }
}

package dev.tessera.local;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads Kubernetes manifests (one or more YAML documents) into the model. */
public final class Manifests {
  private static final ObjectMapper YAML =
      YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private Manifests() {}

  /** The first document of the given kind in a file, as that type. */
  public static <T> T read(Path file, String kind, Class<T> type) throws IOException {
    for (JsonNode document : documents(file)) {
      if (kind.equals(document.path("kind").asText())) {
        return YAML.treeToValue(document, type);
      }
    }
    throw new IOException(file + " holds no " + kind);
  }

  /** The keys and values of the first Secret in a file, from data (base64) and stringData. */
  public static Map<String, String> secretValues(Path file) throws IOException {
    for (JsonNode document : documents(file)) {
      if ("Secret".equals(document.path("kind").asText())) {
        Map<String, String> values = new LinkedHashMap<>();
        document
            .path("data")
            .fields()
            .forEachRemaining(
                e ->
                    values.put(
                        e.getKey(),
                        new String(
                            Base64.getDecoder().decode(e.getValue().asText()),
                            StandardCharsets.UTF_8)));
        document
            .path("stringData")
            .fields()
            .forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
        return values;
      }
    }
    throw new IOException(file + " holds no Secret");
  }

  private static List<JsonNode> documents(Path file) throws IOException {
    List<JsonNode> documents = new ArrayList<>();
    for (JsonNode node :
        YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile()).readAll()) {
      if (node != null && !node.isNull() && !node.isEmpty()) {
        documents.add(node);
      }
    }
    return documents;
  }
}

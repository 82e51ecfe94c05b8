package dev.tessera.api.protocol;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads and writes the runner protocol's documents, refusing versions it does not know. */
public final class ProtocolJson {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  private ProtocolJson() {}

  /** The mapper used for protocol documents. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Reads an attempt input, checking its version and kind. */
  public static AttemptInput readInput(InputStream in) throws IOException {
    JsonNode document = MAPPER.readTree(in);
    if (document == null || !document.isObject()) {
      throw new IOException("an attempt input is a JSON object");
    }
    // the version first: another version may have another shape
    requireVersion(
        document.path("apiVersion").asText(null),
        document.path("kind").asText(null),
        AttemptInput.KIND);
    if (!document.hasNonNull("operation")) {
      throw new IOException("attempt input has no operation");
    }
    return MAPPER.treeToValue(document, AttemptInput.class);
  }

  /** Reads an attempt result, checking its version and kind. */
  public static AttemptResult readResult(byte[] json) throws IOException {
    AttemptResult result = MAPPER.readValue(json, AttemptResult.class);
    requireVersion(result.apiVersion(), result.kind(), AttemptResult.KIND);
    return result;
  }

  /** Serializes a protocol document. */
  public static byte[] write(Object document) {
    try {
      return MAPPER.writeValueAsBytes(document);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void requireVersion(String apiVersion, String kind, String expectedKind)
      throws IOException {
    if (!AttemptInput.API_VERSION.equals(apiVersion) || !expectedKind.equals(kind)) {
      throw new IOException(
          "expected apiVersion "
              + AttemptInput.API_VERSION
              + " kind "
              + expectedKind
              + " but got apiVersion "
              + apiVersion
              + " kind "
              + kind);
    }
  }
}

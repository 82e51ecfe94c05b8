package dev.tessera.local.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The OpenAPI v2 document of the embedded API ({@code /openapi/v2}), for kubectl releases that
 * validate manifests and explain fields with it rather than with v3 (Debian's kubectl 1.20, say).
 * It holds the schemas of the kinds the catalog knows, converted the way a real server publishes
 * CRD schemas in v2: fields that preserve unknown fields, and objects without properties, accept
 * anything.
 *
 * <p>kubectl asks for it as protobuf ({@code application/com.github.proto-openapi.spec.v2@v1.0
 * +protobuf}); {@link #protobuf(JsonNode)} writes the subset of gnostic's {@code openapi_v2}
 * messages it needs (the document, its info, its definitions and their schemas).
 */
final class OpenApiV2 {
  /** The content type a real server answers with ("@" is not allowed in a media type). */
  static final String PROTOBUF = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

  private OpenApiV2() {}

  /** The document as JSON (Swagger 2.0). */
  static JsonNode document(ApiCatalog catalog) {
    ObjectNode document = Json.object().put("swagger", "2.0");
    document.putObject("info").put("title", "Kubernetes").put("version", "v1.32.0");
    document.putObject("paths");
    ObjectNode definitions = document.putObject("definitions");
    for (ApiResourceType type : catalog.types()) {
      if (type.schema() == null) {
        continue;
      }
      ObjectNode schema = convert(type.schema());
      ObjectNode properties =
          schema.get("properties") instanceof ObjectNode existing
              ? existing
              : schema.putObject("properties");
      ObjectNode head = Json.object();
      head.putObject("apiVersion")
          .put("type", "string")
          .put("description", "APIVersion defines the versioned schema of this object.");
      head.putObject("kind")
          .put("type", "string")
          .put("description", "Kind is a string value representing the REST resource.");
      head.putObject("metadata").put("description", "Standard object's metadata.");
      properties.properties().forEach(e -> head.set(e.getKey(), e.getValue()));
      schema.put("type", "object");
      schema.set("properties", head);
      schema
          .putArray("x-kubernetes-group-version-kind")
          .addObject()
          .put("group", type.group())
          .put("kind", type.kind())
          .put("version", type.version());
      definitions.set(OpenApiDocuments.schemaName(type), schema);
    }
    return document;
  }

  /** A structural schema in its v2 form. */
  private static ObjectNode convert(JsonNode schema) {
    ObjectNode result = Json.object();
    if (schema.hasNonNull("description")) {
      result.put("description", schema.get("description").asText());
    }
    boolean anything =
        schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
            || schema.path("x-kubernetes-int-or-string").asBoolean(false);
    JsonNode properties = schema.get("properties");
    JsonNode additional = schema.get("additionalProperties");
    JsonNode items = schema.get("items");
    String type = schema.path("type").asText("");
    if (anything || (type.equals("object") && properties == null && additional == null)) {
      return result;
    }
    if (!type.isEmpty()) {
      result.put("type", type);
    }
    if (schema.hasNonNull("format")) {
      result.put("format", schema.get("format").asText());
    }
    if (schema.get("required") != null && schema.get("required").isArray()) {
      result.set("required", schema.get("required").deepCopy());
    }
    if (properties != null) {
      ObjectNode converted = result.putObject("properties");
      properties.properties().forEach(e -> converted.set(e.getKey(), convert(e.getValue())));
    }
    if (additional != null) {
      result.set(
          "additionalProperties",
          additional.isObject() ? convert(additional) : additional.deepCopy());
    }
    if (items != null && items.isObject()) {
      result.set("items", convert(items));
    }
    return result;
  }

  /** The document in gnostic's protobuf encoding, as kubectl reads it. */
  static byte[] protobuf(JsonNode document) {
    Writer out = new Writer();
    out.string(1, document.path("swagger").asText("2.0"));
    Writer info = new Writer();
    info.string(1, document.path("info").path("title").asText());
    info.string(2, document.path("info").path("version").asText());
    out.message(2, info);
    Writer definitions = new Writer();
    for (Map.Entry<String, JsonNode> definition : document.path("definitions").properties()) {
      definitions.message(1, namedSchema(definition.getKey(), definition.getValue()));
    }
    out.message(9, definitions);
    return out.bytes();
  }

  private static Writer namedSchema(String name, JsonNode schema) {
    Writer named = new Writer();
    named.string(1, name);
    named.message(2, schema(schema));
    return named;
  }

  private static Writer schema(JsonNode schema) {
    Writer out = new Writer();
    if (schema.hasNonNull("$ref")) {
      out.string(1, schema.get("$ref").asText());
    }
    if (schema.hasNonNull("format")) {
      out.string(2, schema.get("format").asText());
    }
    if (schema.hasNonNull("description")) {
      out.string(4, schema.get("description").asText());
    }
    for (JsonNode required : schema.path("required")) {
      out.string(19, required.asText());
    }
    JsonNode additional = schema.get("additionalProperties");
    if (additional != null) {
      Writer item = new Writer();
      if (additional.isObject()) {
        item.message(1, schema(additional));
      } else {
        item.bool(2, additional.asBoolean());
      }
      out.message(21, item);
    }
    if (schema.hasNonNull("type")) {
      Writer type = new Writer();
      type.string(1, schema.get("type").asText());
      out.message(22, type);
    }
    if (schema.get("items") != null) {
      Writer items = new Writer();
      items.message(1, schema(schema.get("items")));
      out.message(23, items);
    }
    if (schema.get("properties") != null) {
      Writer properties = new Writer();
      schema
          .get("properties")
          .properties()
          .forEach(e -> properties.message(1, namedSchema(e.getKey(), e.getValue())));
      out.message(25, properties);
    }
    schema
        .properties()
        .forEach(
            e -> {
              if (e.getKey().startsWith("x-")) {
                Writer any = new Writer();
                any.string(2, Json.write(e.getValue()));
                Writer named = new Writer();
                named.string(1, e.getKey());
                named.message(2, any);
                out.message(31, named);
              }
            });
    return out;
  }

  /** The protobuf wire format, for the few field types the document uses. */
  private static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    void string(int field, String value) {
      bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    void bool(int field, boolean value) {
      varint(field << 3);
      varint(value ? 1 : 0);
    }

    void message(int field, Writer message) {
      bytes(field, message.bytes());
    }

    void bytes(int field, byte[] value) {
      varint(field << 3 | 2);
      varint(value.length);
      out.writeBytes(value);
    }

    private void varint(long value) {
      long v = value;
      while ((v & ~0x7FL) != 0) {
        out.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}

package dev.tessera.local.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The OpenAPI v3 documents of the embedded API ({@code /openapi/v3} and one document per group
 * version), built from the catalog. They give {@code kubectl explain} the CRD schemas, and they
 * declare the {@code fieldValidation} parameter on PATCH so that kubectl leaves validation to the
 * server (which prunes and reports unknown fields) instead of downloading OpenAPI v2.
 *
 * <p>No PATCH operation lists {@code application/strategic-merge-patch+json}: kubectl then patches
 * custom resources with a JSON merge patch, as with a real server.
 */
final class OpenApiDocuments {
  private static final String OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
  private static final String SERVER_VERSION = "v1.32.0";

  private final ApiCatalog catalog;

  OpenApiDocuments(ApiCatalog catalog) {
    this.catalog = catalog;
  }

  /** {@code GET /openapi/v3}: where each group version's document is. */
  JsonNode index() {
    ObjectNode index = Json.object();
    ObjectNode paths = index.putObject("paths");
    for (String groupVersion : catalog.groupVersions()) {
      String path = groupVersion.contains("/") ? "apis/" + groupVersion : "api/" + groupVersion;
      JsonNode document = document(path).orElseThrow();
      paths
          .putObject(path)
          .put("serverRelativeURL", "/openapi/v3/" + path + "?hash=" + hash(document));
    }
    return index;
  }

  /** {@code GET /openapi/v3/api/v1} or {@code GET /openapi/v3/apis/GROUP/VERSION}. */
  Optional<JsonNode> document(String groupVersionPath) {
    String[] parts = groupVersionPath.split("/");
    String group;
    String version;
    if (parts.length == 2 && parts[0].equals("api")) {
      group = "";
      version = parts[1];
    } else if (parts.length == 3 && parts[0].equals("apis")) {
      group = parts[1];
      version = parts[2];
    } else {
      return Optional.empty();
    }
    var types = catalog.typesOf(group, version);
    if (types.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode document = Json.object().put("openapi", "3.0.0");
    document.putObject("info").put("title", "Kubernetes").put("version", SERVER_VERSION);
    ObjectNode paths = document.putObject("paths");
    ObjectNode schemas = document.putObject("components").putObject("schemas");
    schemas.set(OBJECT_META, objectMeta());
    for (ApiResourceType type : types) {
      String schemaName = schemaName(type);
      schemas.set(schemaName, kindSchema(type));
      if (!type.verbs().contains("patch")) {
        continue;
      }
      String collection =
          "/"
              + groupVersionPath
              + (type.namespaced() ? "/namespaces/{namespace}/" : "/")
              + type.plural();
      ObjectNode gvk =
          Json.object()
              .put("group", type.group())
              .put("version", type.version())
              .put("kind", type.kind());
      ObjectNode collectionPath = paths.putObject(collection);
      collectionPath.set("post", operation(type, "post", schemaName, gvk, "application/json"));
      ObjectNode itemPath = paths.putObject(collection + "/{name}");
      itemPath.set("get", operation(type, "get", schemaName, gvk, null));
      itemPath.set("put", operation(type, "put", schemaName, gvk, "application/json"));
      itemPath.set("patch", operation(type, "patch", schemaName, gvk, null));
    }
    return Optional.of(document);
  }

  private static ObjectNode operation(
      ApiResourceType type, String verb, String schemaName, ObjectNode gvk, String bodyType) {
    ObjectNode operation = Json.object();
    operation.put("operationId", verb + type.kind());
    operation.set("x-kubernetes-group-version-kind", gvk.deepCopy());
    operation.put("x-kubernetes-action", verb);
    ArrayNode parameters = operation.putArray("parameters");
    if (!verb.equals("get")) {
      for (String name : new String[] {"dryRun", "fieldManager", "fieldValidation"}) {
        parameters
            .addObject()
            .put("name", name)
            .put("in", "query")
            .put("description", name)
            .putObject("schema")
            .put("type", "string")
            .put("uniqueItems", true);
      }
    }
    ObjectNode reference = Json.object().put("$ref", "#/components/schemas/" + schemaName);
    if (verb.equals("patch")) {
      ObjectNode content = operation.putObject("requestBody").putObject("content");
      for (String patchType :
          new String[] {"application/json-patch+json", "application/merge-patch+json"}) {
        content.putObject(patchType).putObject("schema").put("type", "object");
      }
    } else if (bodyType != null) {
      operation
          .putObject("requestBody")
          .putObject("content")
          .putObject(bodyType)
          .set("schema", reference.deepCopy());
    }
    operation
        .putObject("responses")
        .putObject("200")
        .put("description", "OK")
        .putObject("content")
        .putObject("application/json")
        .set("schema", reference);
    return operation;
  }

  private static ObjectNode kindSchema(ApiResourceType type) {
    ObjectNode schema =
        type.schema() != null
            ? (ObjectNode) type.schema().deepCopy()
            : Json.object()
                .put("type", "object")
                .put("x-kubernetes-preserve-unknown-fields", true)
                .put("description", type.kind() + " (no schema in the local API).");
    ObjectNode properties =
        schema.has("properties")
            ? (ObjectNode) schema.get("properties")
            : schema.putObject("properties");
    ObjectNode head = Json.object();
    head.putObject("apiVersion")
        .put("type", "string")
        .put(
            "description",
            "APIVersion defines the versioned schema of this representation of an object.");
    head.putObject("kind")
        .put("type", "string")
        .put(
            "description",
            "Kind is a string value representing the REST resource this object represents.");
    ObjectNode metadata = head.putObject("metadata");
    metadata.putArray("allOf").addObject().put("$ref", "#/components/schemas/" + OBJECT_META);
    metadata.put("description", "Standard object's metadata.");
    properties.properties().forEach(e -> head.set(e.getKey(), e.getValue()));
    schema.set("properties", head);
    ArrayNode gvk = schema.putArray("x-kubernetes-group-version-kind");
    gvk.addObject()
        .put("group", type.group())
        .put("kind", type.kind())
        .put("version", type.version());
    return schema;
  }

  private static ObjectNode objectMeta() {
    ObjectNode meta =
        Json.object()
            .put("type", "object")
            .put(
                "description",
                "ObjectMeta is metadata that all persisted resources must have, which includes all"
                    + " objects users must create.");
    ObjectNode properties = meta.putObject("properties");
    String[][] fields = {
      {"name", "string", "Name must be unique within a namespace."},
      {"namespace", "string", "Namespace defines the space within which each name must be unique."},
      {"generateName", "string", "An optional prefix used to generate a unique name."},
      {"uid", "string", "UID is the unique in time and space value for this object."},
      {"resourceVersion", "string", "An opaque value that represents the internal version."},
      {
        "generation", "integer", "A sequence number representing a specific generation of the spec."
      },
      {"creationTimestamp", "string", "The server time when this object was created."},
      {"deletionTimestamp", "string", "The time after which this resource will be deleted."}
    };
    for (String[] field : fields) {
      properties.putObject(field[0]).put("type", field[1]).put("description", field[2]);
    }
    for (String map : new String[] {"labels", "annotations"}) {
      ObjectNode property = properties.putObject(map).put("type", "object");
      property.putObject("additionalProperties").put("type", "string");
      property.put("description", "Map of string keys and values: " + map + ".");
    }
    properties
        .putObject("finalizers")
        .put("type", "array")
        .put("description", "Must be empty before the object is deleted from the registry.")
        .putObject("items")
        .put("type", "string");
    properties
        .putObject("ownerReferences")
        .put("type", "array")
        .put("description", "List of objects depended by this object.")
        .putObject("items")
        .put("type", "object")
        .put("x-kubernetes-preserve-unknown-fields", true);
    return meta;
  }

  /** {@code dev.tessera.v1alpha1.Run} for tessera.dev, {@code io.k8s.api.core.v1.Secret}... */
  static String schemaName(ApiResourceType type) {
    if (!type.custom()) {
      String group = type.group().isEmpty() ? "core" : type.group().split("\\.")[0];
      return "io.k8s.api." + group + "." + type.version() + "." + type.kind();
    }
    String[] parts = type.group().split("\\.");
    StringBuilder name = new StringBuilder();
    for (int i = parts.length - 1; i >= 0; i--) {
      name.append(parts[i]).append('.');
    }
    return name.append(type.version()).append('.').append(type.kind()).toString();
  }

  private static String hash(JsonNode document) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(Json.write(document).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().withUpperCase().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

package dev.tessera.local.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a real API server does to every object written to it, before storing it: Secret {@code
 * stringData} folded into {@code data}, the Namespace phase and name label, the schema's defaults
 * and pruning (with {@code fieldValidation}), and name validation. Plain objects in and out.
 */
final class Admission {
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private Admission() {}

  /**
   * Applies what a real server does to every written object: Secret {@code stringData}, Namespace
   * phase and name label, and for kinds with a schema, defaults and pruning.
   *
   * @return the unknown fields that were pruned
   */
  static List<String> normalize(ObjectNode object, ResourcePath resource, ApiResourceType type) {
    if (type == null) {
      return List.of();
    }
    if (isCore(type, "Secret")) {
      if (object.get("stringData") instanceof ObjectNode stringData) {
        ObjectNode data =
            object.get("data") instanceof ObjectNode existing ? existing : object.putObject("data");
        stringData
            .properties()
            .forEach(
                e ->
                    data.put(
                        e.getKey(),
                        Base64.getEncoder()
                            .encodeToString(
                                e.getValue().asText().getBytes(StandardCharsets.UTF_8))));
        object.remove("stringData");
      }
      if (object.path("type").asText("").isEmpty()) {
        object.put("type", "Opaque");
      }
    }
    if (isCore(type, "Namespace")) {
      ObjectNode metadata =
          object.get("metadata") instanceof ObjectNode existing
              ? existing
              : object.putObject("metadata");
      String name = metadata.path("name").asText(resource.name());
      if (name != null) {
        ObjectNode labels =
            metadata.get("labels") instanceof ObjectNode existing
                ? existing
                : metadata.putObject("labels");
        labels.put("kubernetes.io/metadata.name", name);
      }
      ObjectNode status =
          object.get("status") instanceof ObjectNode existing
              ? existing
              : object.putObject("status");
      if (!status.hasNonNull("phase")) {
        status.put("phase", "Active");
      }
    }
    return StructuralSchema.defaultAndPrune(object, type.schema());
  }

  /**
   * What a real server does to a Pod it creates: whatever status the client sent, the stored Pod
   * starts {@code Pending}, so readers never see a Pod without a phase.
   */
  static void prepareForCreate(ObjectNode object, ApiResourceType type) {
    if (type != null && isCore(type, "Pod")) {
      object.putObject("status").put("phase", "Pending");
    }
  }

  /** Whether the type is the core API's (group "") kind of that name. */
  private static boolean isCore(ApiResourceType type, String kind) {
    return !type.custom() && type.group().isEmpty() && type.kind().equals(kind);
  }

  /**
   * Applies the request's {@code fieldValidation} to the unknown fields: {@code Strict} rejects the
   * request, {@code Warn} (the default) returns warnings, {@code Ignore} drops them silently.
   */
  static List<String> enforce(
      List<String> unknown, ObjectNode object, ApiResourceType type, Map<String, String> query) {
    if (unknown.isEmpty()) {
      return List.of();
    }
    String validation = query.getOrDefault("fieldValidation", "Warn");
    List<String> messages = unknown.stream().map(f -> "unknown field \"" + f + "\"").toList();
    if (validation.equalsIgnoreCase("Strict")) {
      String kind = type != null ? type.kind() : object.path("kind").asText();
      String version = type != null ? type.version() : "";
      throw new ApiError(
          400,
          "BadRequest",
          kind
              + " in version \""
              + version
              + "\" cannot be handled as a "
              + kind
              + ": strict decoding error: "
              + String.join(", ", messages));
    }
    return validation.equalsIgnoreCase("Ignore") ? List.of() : messages;
  }

  /**
   * Refuses a custom resource that breaks its CRD's schema or CEL rules, with 422 and the fields
   * named, as a real API server does; nothing invalid is stored.
   *
   * @param old the stored object the write replaces, null on create
   */
  static void validate(
      ResourcePath resource, ApiResourceType type, ObjectNode object, JsonNode old) {
    if (type == null || !type.custom() || type.schema() == null) {
      return;
    }
    List<CustomResourceValidation.Cause> causes =
        CustomResourceValidation.validate(type.schema(), object, old);
    if (!causes.isEmpty()) {
      String name = object.path("metadata").path("name").asText(resource.name());
      throw ApiError.invalid(type.kind(), resource, name, causes);
    }
  }

  static void validateName(
      ResourcePath resource, ApiResourceType type, ObjectNode object, String name) {
    if (name.isEmpty()) {
      throw new ApiError(
          422,
          "Invalid",
          kindOf(type, object)
              + " is invalid: metadata.name: Required value: name or generateName"
              + " is required");
    }
    if (resource.group().equals("rbac.authorization.k8s.io")) {
      return;
    }
    boolean namespace = type != null && !type.custom() && type.kind().equals("Namespace");
    Pattern pattern = namespace ? DNS_LABEL : DNS_SUBDOMAIN;
    int max = namespace ? 63 : 253;
    if (name.length() > max || !pattern.matcher(name).matches()) {
      throw new ApiError(
          422,
          "Invalid",
          kindOf(type, object)
              + " \""
              + name
              + "\" is invalid: metadata.name: Invalid value: \""
              + name
              + "\": a lowercase RFC 1123 "
              + (namespace ? "label" : "subdomain")
              + " must consist of lower case alphanumeric characters, '-'"
              + (namespace ? "" : " or '.'")
              + ", and must start and end with an alphanumeric character (at most "
              + max
              + " characters)");
    }
  }

  private static String kindOf(ApiResourceType type, ObjectNode object) {
    String kind = object.path("kind").asText(type != null ? type.kind() : "Object");
    return type == null || type.group().isEmpty() ? kind : kind + "." + type.group();
  }
}

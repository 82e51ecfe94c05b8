package dev.tessera.local.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a real API server checks on every write of a custom resource, after defaulting and pruning:
 * the CRD's OpenAPI schema (types, required fields, enums, patterns, bounds and sizes, with a
 * well-kept JSON Schema validator in its OpenAPI 3.0 dialect) and, when the object passes it, the
 * schema's CEL rules ({@link CelRules}). Each problem is a {@link Cause} with the field it names,
 * worded as the API server words it.
 */
final class CustomResourceValidation {
  /**
   * OpenAPI 3.0, the dialect CRD schemas are written in, with Kubernetes' own keywords known (they
   * say nothing a JSON Schema validator checks: CEL rules are {@link CelRules}').
   */
  private static final SchemaRegistry SCHEMAS =
      SchemaRegistry.withDialect(
          Dialect.builder(Dialects.getOpenApi30())
              .keywords(
                  List.of(
                      new NonValidationKeyword("x-kubernetes-validations"),
                      new NonValidationKeyword("x-kubernetes-preserve-unknown-fields"),
                      new NonValidationKeyword("x-kubernetes-int-or-string"),
                      new NonValidationKeyword("x-kubernetes-embedded-resource"),
                      new NonValidationKeyword("x-kubernetes-list-type"),
                      new NonValidationKeyword("x-kubernetes-list-map-keys"),
                      new NonValidationKeyword("x-kubernetes-map-type")))
              .build());

  /** Compiled schemas, by the identity of the schema node a resource type carries. */
  private static final Map<JsonNode, Schema> COMPILED =
      Collections.synchronizedMap(new IdentityHashMap<>());

  private CustomResourceValidation() {}

  /**
   * One problem with a written object, as in a {@code Status}'s {@code details.causes}.
   *
   * @param field the path of the field, e.g. {@code spec.retry.maxAttempts}
   * @param reason the cause type: {@code FieldValueInvalid}, {@code FieldValueRequired}, ...
   * @param what the field and what is wrong with it, e.g. {@code spec.x: Invalid value: "string"}
   * @param detail why, e.g. {@code spec.x in body must be of type integer: "string"}; may be empty
   */
  record Cause(String field, String reason, String what, String detail) {
    /** The message, as in {@code spec.x: Invalid value: "string": spec.x in body must be ...}. */
    String message() {
      return detail.isEmpty() ? what : what + ": " + detail;
    }

    /** The message without the field it starts with, as a Status cause carries it. */
    String withoutField() {
      String prefix = (field.isEmpty() ? "<root>" : field) + ": ";
      String message = message();
      return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
  }

  /**
   * The problems of {@code object} against the OpenAPI v3 schema of its kind.
   *
   * @param old the stored object it replaces, for CEL transition rules; null on create
   */
  static List<Cause> validate(JsonNode schema, ObjectNode object, JsonNode old) {
    if (schema == null || schema.isNull()) {
      return List.of();
    }
    Schema compiled = COMPILED.computeIfAbsent(schema, SCHEMAS::getSchema);
    List<Cause> causes = new ArrayList<>();
    for (Error error : compiled.validate(object)) {
      causes.add(cause(error));
    }
    if (causes.isEmpty()) {
      causes.addAll(CelRules.violations(schema, object, old));
    }
    return causes.stream().distinct().toList();
  }

  private static Cause cause(Error error) {
    String field = fieldPath(error.getInstanceLocation().toString());
    JsonNode value = error.getInstanceNode();
    JsonNode rule = error.getSchemaNode();
    String inBody = (field.isEmpty() ? "body" : field + " in body");
    return switch (error.getKeyword()) {
      case "required" -> {
        String missing = join(field, error.getProperty());
        yield new Cause(missing, "FieldValueRequired", missing + ": Required value", "");
      }
      case "type" ->
          invalid(
              field,
              "\"" + typeOf(value) + "\"",
              inBody + " must be of type " + rule.asText() + ": \"" + typeOf(value) + "\"");
      case "enum" ->
          new Cause(
              field,
              "FieldValueNotSupported",
              field + ": Unsupported value: " + render(value),
              "supported values: " + values(rule));
      case "pattern" ->
          invalid(field, render(value), inBody + " should match '" + rule.asText() + "'");
      case "minimum" ->
          invalid(
              field, render(value), inBody + " should be greater than or equal to " + number(rule));
      case "maximum" ->
          invalid(
              field, render(value), inBody + " should be less than or equal to " + number(rule));
      case "maxLength" ->
          new Cause(
              field,
              "FieldValueTooLong",
              field + ": Too long",
              "may not be more than " + rule.asText() + " bytes");
      case "minLength" ->
          invalid(
              field,
              render(value),
              inBody + " should be at least " + rule.asText() + " chars long");
      case "maxItems" ->
          new Cause(
              field,
              "FieldValueTooMany",
              field + ": Too many: " + value.size(),
              "must have at most " + rule.asText() + " items");
      case "minItems" ->
          invalid(
              field,
              String.valueOf(value.size()),
              inBody + " should have at least " + rule.asText() + " items");
      default -> invalid(field, render(value), error.getMessage());
    };
  }

  private static Cause invalid(String field, String value, String detail) {
    return new Cause(field, "FieldValueInvalid", field + ": Invalid value: " + value, detail);
  }

  /**
   * A location the validator gives as a JSON pointer ({@code /spec/payload/0/api}) or a JSONPath
   * ({@code $.spec.payload[0].api}), as the API server names fields: {@code spec.payload[0].api}.
   */
  static String fieldPath(String location) {
    if (location.startsWith("$")) {
      String path = location.substring(1);
      return path.startsWith(".") ? path.substring(1) : path;
    }
    StringBuilder path = new StringBuilder();
    for (String segment : location.split("/")) {
      if (segment.isEmpty()) {
        continue;
      }
      String name = segment.replace("~1", "/").replace("~0", "~");
      if (name.chars().allMatch(Character::isDigit)) {
        path.append('[').append(name).append(']');
      } else {
        path.append(path.isEmpty() ? "" : ".").append(name);
      }
    }
    return path.toString();
  }

  /** A bound of the schema as written: {@code 1}, not {@code 1.0}. */
  private static String number(JsonNode bound) {
    return bound.isNumber() && bound.decimalValue().stripTrailingZeros().scale() <= 0
        ? bound.decimalValue().toBigInteger().toString()
        : bound.asText();
  }

  private static String join(String parent, String child) {
    return parent.isEmpty() ? child : parent + "." + child;
  }

  private static String values(JsonNode enumeration) {
    List<String> values = new ArrayList<>();
    enumeration.forEach(v -> values.add(v.toString()));
    return values.stream().collect(Collectors.joining(", "));
  }

  static String typeOf(JsonNode value) {
    if (value == null || value.isNull()) {
      return "null";
    }
    if (value.isObject()) {
      return "object";
    }
    if (value.isArray()) {
      return "array";
    }
    if (value.isTextual()) {
      return "string";
    }
    if (value.isBoolean()) {
      return "boolean";
    }
    return value.isIntegralNumber() ? "integer" : "number";
  }

  /** A value as the API server prints it in a message: strings quoted, containers by type. */
  static String render(JsonNode value) {
    if (value == null || value.isNull()) {
      return "null";
    }
    if (value.isContainerNode()) {
      return "\"" + typeOf(value) + "\"";
    }
    return value.toString();
  }
}

package dev.tessera.local.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.tessera.local.cluster.CustomResourceValidation.Cause;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code x-kubernetes-validations} rules of a CRD schema, evaluated as the API server does: a
 * rule runs on every value present at its place in the schema, with {@code self} bound to it; a
 * rule that reads {@code oldSelf} (a transition rule) runs only on update, where the stored object
 * has a value at the same place (map keys and object fields correlate, list items do not).
 */
final class CelRules {
  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .addVar("self", SimpleType.DYN)
          .addVar("oldSelf", SimpleType.DYN)
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();
  private static final Map<String, CelRuntime.Program> PROGRAMS = new ConcurrentHashMap<>();

  private CelRules() {}

  /** Every rule of a schema, as written. */
  static List<String> rules(JsonNode schema) {
    List<String> rules = new ArrayList<>();
    collect(schema, rules);
    return rules;
  }

  /**
   * Compiles a rule as the API server does when the CRD is installed.
   *
   * @throws IllegalArgumentException when it does not compile
   */
  static void compile(String expression) {
    program(expression);
  }

  /**
   * The messages of the rules {@code object} breaks: on create when {@code old} is null, else on
   * the update that replaces {@code old}.
   */
  static List<String> messages(JsonNode schema, JsonNode object, JsonNode old) {
    return violations(schema, object, old).stream().map(Cause::detail).toList();
  }

  static List<Cause> violations(JsonNode schema, JsonNode object, JsonNode old) {
    List<Cause> causes = new ArrayList<>();
    validate(schema, object, old, "", causes);
    return causes;
  }

  private static void collect(JsonNode schema, List<String> rules) {
    schema.path("x-kubernetes-validations").forEach(r -> rules.add(r.path("rule").asText()));
    schema.path("properties").forEach(p -> collect(p, rules));
    if (schema.has("items")) {
      collect(schema.get("items"), rules);
    }
    if (schema.path("additionalProperties").isObject()) {
      collect(schema.get("additionalProperties"), rules);
    }
  }

  private static void validate(
      JsonNode schema, JsonNode value, JsonNode old, String path, List<Cause> causes) {
    if (schema == null || value == null || value.isNull() || value.isMissingNode()) {
      return;
    }
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      String expression = rule.path("rule").asText();
      boolean transition = expression.contains("oldSelf");
      if (transition && (old == null || old.isNull() || old.isMissingNode())) {
        continue;
      }
      Map<String, Object> variables = new HashMap<>();
      variables.put("self", CelValues.of(value));
      if (transition) {
        variables.put("oldSelf", CelValues.of(old));
      }
      String field = path + rule.path("fieldPath").asText("");
      field = field.startsWith(".") ? field.substring(1) : field;
      Object result;
      try {
        result = program(expression).eval(variables);
      } catch (CelEvaluationException e) {
        causes.add(
            cause(field, "FieldValueInvalid", value, "rule evaluation error: " + e.getMessage()));
        continue;
      }
      if (!Boolean.TRUE.equals(result)) {
        String message = rule.path("message").asText("failed rule: " + expression);
        causes.add(cause(field, rule.path("reason").asText("FieldValueInvalid"), value, message));
      }
    }
    schema
        .path("properties")
        .properties()
        .forEach(
            property ->
                validate(
                    property.getValue(),
                    value.get(property.getKey()),
                    old == null ? null : old.get(property.getKey()),
                    path + "." + property.getKey(),
                    causes));
    if (schema.has("items") && value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        validate(schema.get("items"), value.get(i), null, path + "[" + i + "]", causes);
      }
    }
    if (schema.path("additionalProperties").isObject() && value.isObject()) {
      value
          .properties()
          .forEach(
              entry ->
                  validate(
                      schema.get("additionalProperties"),
                      entry.getValue(),
                      old == null ? null : old.get(entry.getKey()),
                      path + "[" + entry.getKey() + "]",
                      causes));
    }
  }

  private static Cause cause(String field, String reason, JsonNode value, String message) {
    String shown = field.isEmpty() ? "<root>" : field;
    return switch (reason) {
      case "FieldValueForbidden" -> new Cause(field, reason, shown + ": Forbidden", message);
      case "FieldValueRequired" -> new Cause(field, reason, shown + ": Required value", message);
      case "FieldValueDuplicate" -> new Cause(field, reason, shown + ": Duplicate value", message);
      default ->
          new Cause(
              field,
              "FieldValueInvalid",
              shown + ": Invalid value: \"" + CustomResourceValidation.typeOf(value) + "\"",
              message);
    };
  }

  private static CelRuntime.Program program(String expression) {
    return PROGRAMS.computeIfAbsent(
        expression,
        e -> {
          try {
            CelAbstractSyntaxTree ast = COMPILER.compile(e).getAst();
            return RUNTIME.createProgram(ast);
          } catch (CelValidationException | CelEvaluationException ex) {
            throw new IllegalArgumentException("rule does not compile: " + e, ex);
          }
        });
  }
}

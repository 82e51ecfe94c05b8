package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates the x-kubernetes-validations rules of a committed CRD against an object, as the API
 * server does on create (rules without oldSelf) and update (all rules where the old value exists).
 */
final class CrdCelValidator {
  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .addVar("self", SimpleType.DYN)
          .addVar("oldSelf", SimpleType.DYN)
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();
  private static final Map<String, CelRuntime.Program> PROGRAMS = new HashMap<>();

  private final JsonNode schema;

  CrdCelValidator(Class<?> kind) {
    try {
      JsonNode crd =
          new YAMLMapper()
              .readTree(
                  CrdFiles.repositoryRoot()
                      .resolve("crds")
                      .resolve(CrdFiles.fileName(kind))
                      .toFile());
      this.schema = crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every rule of the CRD, by schema path. */
  List<String> rules() {
    List<String> rules = new ArrayList<>();
    collectRules(schema, rules);
    return rules;
  }

  /** Compiles a rule as the API server does when the CRD is installed. */
  static void compile(String expression) {
    try {
      COMPILER.compile(expression).getAst();
    } catch (CelValidationException e) {
      throw new IllegalStateException("rule does not compile: " + expression, e);
    }
  }

  /** Messages of the rules the object breaks on create. */
  List<String> violationsOnCreate(JsonNode object) {
    List<String> messages = new ArrayList<>();
    validate(schema, object, null, messages);
    return messages;
  }

  /** Messages of the rules the object breaks when it replaces {@code old}. */
  List<String> violationsOnUpdate(JsonNode old, JsonNode object) {
    List<String> messages = new ArrayList<>();
    validate(schema, object, old, messages);
    return messages;
  }

  private static void collectRules(JsonNode schema, List<String> rules) {
    schema.path("x-kubernetes-validations").forEach(r -> rules.add(r.path("rule").asText()));
    schema.path("properties").forEach(p -> collectRules(p, rules));
    if (schema.has("items")) {
      collectRules(schema.get("items"), rules);
    }
    if (schema.path("additionalProperties").isObject()) {
      collectRules(schema.get("additionalProperties"), rules);
    }
  }

  private void validate(JsonNode schema, JsonNode value, JsonNode old, List<String> messages) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return;
    }
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      String expression = rule.path("rule").asText();
      boolean transition = expression.contains("oldSelf");
      if (transition && (old == null || old.isNull() || old.isMissingNode())) {
        continue;
      }
      Map<String, Object> variables = new HashMap<>();
      variables.put("self", toCel(value));
      if (transition) {
        variables.put("oldSelf", toCel(old));
      }
      if (!Boolean.TRUE.equals(evaluate(expression, variables))) {
        messages.add(rule.path("message").asText());
      }
    }
    Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
    while (properties.hasNext()) {
      Map.Entry<String, JsonNode> property = properties.next();
      JsonNode oldChild = old == null ? null : old.get(property.getKey());
      validate(property.getValue(), value.get(property.getKey()), oldChild, messages);
    }
    if (schema.has("items") && value.isArray()) {
      for (JsonNode item : value) {
        validate(schema.get("items"), item, null, messages);
      }
    }
    if (schema.path("additionalProperties").isObject() && value.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> entries = value.fields();
      while (entries.hasNext()) {
        Map.Entry<String, JsonNode> entry = entries.next();
        JsonNode oldChild = old == null ? null : old.get(entry.getKey());
        validate(schema.get("additionalProperties"), entry.getValue(), oldChild, messages);
      }
    }
  }

  private static Object evaluate(String expression, Map<String, Object> variables) {
    try {
      CelRuntime.Program program = PROGRAMS.get(expression);
      if (program == null) {
        CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
        program = RUNTIME.createProgram(ast);
        PROGRAMS.put(expression, program);
      }
      return program.eval(variables);
    } catch (CelValidationException | CelEvaluationException e) {
      throw new IllegalStateException("rule does not evaluate: " + expression, e);
    }
  }

  private static Object toCel(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.fields()
          .forEachRemaining(
              e -> {
                if (!e.getValue().isNull()) {
                  map.put(e.getKey(), toCel(e.getValue()));
                }
              });
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(n -> list.add(toCel(n)));
      return list;
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    return node.asText();
  }
}

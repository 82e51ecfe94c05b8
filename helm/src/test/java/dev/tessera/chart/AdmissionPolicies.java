package dev.tessera.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.NullValue;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.tessera.local.cluster.CelValues;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchCondition;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchResources;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.NamedRuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Validation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chart's ValidatingAdmissionPolicies and their bindings, evaluated the way the API server's
 * admission does: a binding applies its policy to a request the policy's {@code matchConstraints}
 * and the binding's {@code matchResources} both match; the policy's {@code matchConditions} must
 * all hold; then every validation's CEL expression must be true, or the request is refused with its
 * message ({@code validationActions: [Deny]}). An expression that fails to evaluate refuses it too
 * ({@code failurePolicy: Fail}).
 *
 * <p>Expressions are compiled with the variables the API server declares ({@code object}, {@code
 * oldObject}, {@code request}, {@code params}, {@code namespaceObject}), as dynamic values: a name
 * outside those fails to compile here as it would there. What the policies here do not use
 * (parameters, variables, audit annotations, object selectors, excluded rules) is refused rather
 * than ignored.
 */
final class AdmissionPolicies {
  /**
   * One admission request: {@code operation} CREATE, UPDATE or DELETE, the user's name, the
   * resource and subresource (empty for the main resource), and the object before and after (as
   * JSON; {@code null} where the API server gives none).
   */
  record Request(
      String operation,
      String username,
      String group,
      String version,
      String resource,
      String subresource,
      String namespace,
      JsonNode object,
      JsonNode oldObject) {

    /** {@code user} creates the Run {@code run} (in its namespace, else {@code default}). */
    static Request createRun(String user, JsonNode run) {
      return new Request(
          "CREATE", user, "tessera.dev", "v1alpha1", "runs", "", namespace(run), run, null);
    }

    /** {@code user} replaces the Run {@code old} with {@code run}. */
    static Request updateRun(String user, JsonNode old, JsonNode run) {
      return new Request(
          "UPDATE", user, "tessera.dev", "v1alpha1", "runs", "", namespace(run), run, old);
    }

    private static String namespace(JsonNode object) {
      return object.path("metadata").path("namespace").asText("default");
    }
  }

  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .addVar("object", SimpleType.DYN)
          .addVar("oldObject", SimpleType.DYN)
          .addVar("request", SimpleType.DYN)
          .addVar("params", SimpleType.DYN)
          .addVar("namespaceObject", SimpleType.DYN)
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  private final List<ValidatingAdmissionPolicy> policies;
  private final List<ValidatingAdmissionPolicyBinding> bindings;

  private AdmissionPolicies(
      List<ValidatingAdmissionPolicy> policies, List<ValidatingAdmissionPolicyBinding> bindings) {
    this.policies = policies;
    this.bindings = bindings;
  }

  static AdmissionPolicies of(RenderedChart chart) {
    return of(
        chart.all(ValidatingAdmissionPolicy.class),
        chart.all(ValidatingAdmissionPolicyBinding.class));
  }

  static AdmissionPolicies of(
      List<ValidatingAdmissionPolicy> policies, List<ValidatingAdmissionPolicyBinding> bindings) {
    return new AdmissionPolicies(List.copyOf(policies), List.copyOf(bindings));
  }

  /** Compiles an expression as the API server does when the policy is created. */
  static CelRuntime.Program compile(String expression) {
    try {
      return RUNTIME.createProgram(COMPILER.compile(expression).getAst());
    } catch (CelValidationException | CelEvaluationException e) {
      throw new AssertionError("the expression does not compile: " + expression, e);
    }
  }

  /** Why the request is refused, one message per failed validation; empty when it is admitted. */
  List<String> denials(Request request) {
    List<String> denials = new ArrayList<>();
    for (ValidatingAdmissionPolicyBinding binding : bindings) {
      ValidatingAdmissionPolicy policy =
          policies.stream()
              .filter(p -> p.getMetadata().getName().equals(binding.getSpec().getPolicyName()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "binding "
                              + binding.getMetadata().getName()
                              + " names a missing policy "
                              + binding.getSpec().getPolicyName()));
      if (policy.getSpec().getParamKind() != null
          || !policy.getSpec().getVariables().isEmpty()
          || !policy.getSpec().getAuditAnnotations().isEmpty()
          || binding.getSpec().getParamRef() != null) {
        throw new AssertionError("not evaluated here: parameters, variables, audit annotations");
      }
      if (!matches(policy.getSpec().getMatchConstraints(), request)
          || (binding.getSpec().getMatchResources() != null
              && !matches(binding.getSpec().getMatchResources(), request))) {
        continue;
      }
      Map<String, Object> variables = variables(request);
      boolean conditionsHold = true;
      for (MatchCondition condition : policy.getSpec().getMatchConditions()) {
        Object value = evaluate(condition.getExpression(), variables);
        if (!(value instanceof Boolean)) {
          denials.add("match condition " + condition.getName() + " failed: " + value);
          conditionsHold = false;
        } else if (!(Boolean) value) {
          conditionsHold = false;
        }
      }
      if (!conditionsHold) {
        continue;
      }
      for (Validation validation : policy.getSpec().getValidations()) {
        Object value = evaluate(validation.getExpression(), variables);
        if (!Boolean.TRUE.equals(value)) {
          String message =
              value instanceof Boolean
                  ? validation.getMessage()
                  : "expression failed (failurePolicy " + policy.getSpec().getFailurePolicy() + ")";
          if (binding.getSpec().getValidationActions().contains("Deny")) {
            denials.add(message);
          }
        }
      }
    }
    return denials;
  }

  private static boolean matches(MatchResources match, Request request) {
    if (match.getObjectSelector() != null
        || !match.getExcludeResourceRules().isEmpty()
        || (match.getMatchPolicy() != null && !match.getMatchPolicy().equals("Equivalent"))) {
      throw new AssertionError("not evaluated here: object selectors, excluded rules");
    }
    if (match.getNamespaceSelector() != null
        && !selects(match.getNamespaceSelector(), namespaceLabels(request.namespace()))) {
      return false;
    }
    List<NamedRuleWithOperations> rules = match.getResourceRules();
    if (rules.isEmpty()) {
      return true; // a binding without rules: its policy's decide
    }
    String resource =
        request.subresource().isEmpty()
            ? request.resource()
            : request.resource() + "/" + request.subresource();
    return rules.stream()
        .anyMatch(
            rule ->
                matchesAny(rule.getApiGroups(), request.group())
                    && matchesAny(rule.getApiVersions(), request.version())
                    && matchesAny(rule.getOperations(), request.operation())
                    && matchesAny(rule.getResources(), resource)
                    && (rule.getResourceNames().isEmpty()
                        || rule.getResourceNames().contains(name(request))));
  }

  private static boolean matchesAny(List<String> values, String value) {
    return values.contains("*") || values.contains(value);
  }

  /** The labels the API server gives every namespace: its name. */
  private static Map<String, String> namespaceLabels(String namespace) {
    return Map.of("kubernetes.io/metadata.name", namespace);
  }

  static boolean selects(LabelSelector selector, Map<String, String> labels) {
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> label : selector.getMatchLabels().entrySet()) {
        if (!label.getValue().equals(labels.get(label.getKey()))) {
          return false;
        }
      }
    }
    for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
      String value = labels.get(requirement.getKey());
      boolean holds =
          switch (requirement.getOperator()) {
            case "In" -> value != null && requirement.getValues().contains(value);
            case "NotIn" -> value == null || !requirement.getValues().contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> throw new AssertionError("operator " + requirement.getOperator());
          };
      if (!holds) {
        return false;
      }
    }
    return true;
  }

  private static String name(Request request) {
    JsonNode object = request.object() != null ? request.object() : request.oldObject();
    return object == null ? "" : object.path("metadata").path("name").asText("");
  }

  /** The variables of an admission request, as the API server binds them. */
  private static Map<String, Object> variables(Request request) {
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("username", request.username());
    user.put("groups", List.of("system:authenticated"));
    Map<String, Object> resource = new LinkedHashMap<>();
    resource.put("group", request.group());
    resource.put("version", request.version());
    resource.put("resource", request.resource());
    Map<String, Object> admission = new LinkedHashMap<>();
    admission.put("operation", request.operation());
    admission.put("userInfo", user);
    admission.put("resource", resource);
    admission.put("subResource", request.subresource());
    admission.put("namespace", request.namespace());
    admission.put("name", name(request));
    admission.put("dryRun", false);
    Map<String, Object> namespace = new LinkedHashMap<>();
    namespace.put(
        "metadata",
        Map.of("name", request.namespace(), "labels", namespaceLabels(request.namespace())));
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("object", CelValues.of(request.object()));
    variables.put("oldObject", CelValues.of(request.oldObject()));
    variables.put("request", admission);
    variables.put("params", NullValue.NULL_VALUE);
    variables.put("namespaceObject", namespace);
    return variables;
  }

  private static Object evaluate(String expression, Map<String, Object> variables) {
    try {
      return compile(expression).eval(variables);
    } catch (CelEvaluationException e) {
      return e; // an error: failurePolicy decides
    }
  }
}

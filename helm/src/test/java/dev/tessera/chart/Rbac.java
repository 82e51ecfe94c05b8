package dev.tessera.chart;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the chart's RBAC objects grant a ServiceAccount, evaluated the way the API server's RBAC
 * authorizer does: ClusterRoles bound by a ClusterRoleBinding apply everywhere; Roles (and
 * ClusterRoles) bound by a RoleBinding apply in the binding's namespace; a rule with resource names
 * grants only requests for those names.
 */
final class Rbac {
  /** A rule and where it applies: {@code null} for every namespace. */
  record Grant(String namespace, PolicyRule rule, String source) {}

  /**
   * What every authenticated user may do in any cluster (the built-in system:basic-user role),
   * which a chart need not grant.
   */
  static final Set<String> GRANTED_TO_EVERY_USER =
      Set.of(
          "authorization.k8s.io/selfsubjectrulesreviews",
          "authorization.k8s.io/selfsubjectaccessreviews",
          "authentication.k8s.io/selfsubjectreviews");

  private final List<Grant> grants = new ArrayList<>();

  /** The grants of {@code serviceAccount} (in {@code namespace}) in the rendered chart. */
  static Rbac of(RenderedChart chart, String namespace, String serviceAccount) {
    Rbac rbac = new Rbac();
    for (ClusterRoleBinding binding : chart.all(ClusterRoleBinding.class)) {
      if (binds(binding.getSubjects(), namespace, serviceAccount)) {
        rbac.add(null, rules(chart, binding.getRoleRef(), null), "ClusterRoleBinding/");
      }
    }
    for (RoleBinding binding : chart.all(RoleBinding.class)) {
      if (binds(binding.getSubjects(), namespace, serviceAccount)) {
        String where = binding.getMetadata().getNamespace();
        rbac.add(where, rules(chart, binding.getRoleRef(), where), "RoleBinding/" + where + "/");
      }
    }
    return rbac;
  }

  private void add(String namespace, List<PolicyRule> rules, String source) {
    for (PolicyRule rule : rules) {
      grants.add(new Grant(namespace, rule, source));
    }
  }

  List<Grant> grants() {
    return grants;
  }

  private static boolean binds(List<Subject> subjects, String namespace, String serviceAccount) {
    return subjects != null
        && subjects.stream()
            .anyMatch(
                s ->
                    "ServiceAccount".equals(s.getKind())
                        && serviceAccount.equals(s.getName())
                        && namespace.equals(s.getNamespace()));
  }

  private static List<PolicyRule> rules(RenderedChart chart, RoleRef ref, String namespace) {
    if (ref.getKind().equals("ClusterRole")) {
      return chart.get(ClusterRole.class, ref.getName()).getRules();
    }
    return chart.all(Role.class).stream()
        .filter(
            r ->
                r.getMetadata().getName().equals(ref.getName())
                    && r.getMetadata().getNamespace().equals(namespace))
        .findFirst()
        .orElseThrow(() -> new AssertionError("a RoleBinding names a missing Role " + ref))
        .getRules();
  }

  /** Whether the request is allowed. */
  boolean allows(ApiRequest request) {
    if (request.nonResourceUrl() != null) {
      return false;
    }
    if (GRANTED_TO_EVERY_USER.contains(request.group() + "/" + request.resource())
        && request.verb().equals("create")) {
      return true;
    }
    return grants.stream().anyMatch(grant -> matches(grant, request));
  }

  static boolean matches(Grant grant, ApiRequest request) {
    if (grant.namespace() != null && !grant.namespace().equals(request.namespace())) {
      return false;
    }
    PolicyRule rule = grant.rule();
    if (!matchesAny(rule.getApiGroups(), request.group())
        || !matchesAny(rule.getResources(), request.qualifiedResource())
        || !matchesAny(rule.getVerbs(), request.verb())) {
      return false;
    }
    List<String> names = rule.getResourceNames();
    return names == null
        || names.isEmpty()
        || (request.name() != null && names.contains(request.name()));
  }

  private static boolean matchesAny(List<String> values, String value) {
    return values != null && (values.contains("*") || values.contains(value));
  }
}

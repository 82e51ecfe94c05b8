package dev.tessera.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.operator.TesseraOperator;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's RBAC against what the operator really asks of the API: every request the operator
 * made in local mode's integration tests (their embedded APIs' audit logs) must be granted, and
 * every verb the chart grants must have been used, but for a reviewed few.
 *
 * <p>Local mode runs the operator with {@code POD_NAMESPACE=default}, so the chart is rendered for
 * a release in {@code default}.
 */
class RbacTest {
  /** Where local mode's integration tests leave their audit logs (see the root pom). */
  static final Path AUDIT_LOGS = RenderedChart.ROOT.resolve("local/target/api-audit");

  /**
   * Grants the operator needs in a cluster though the integration tests never make the call, each
   * with the reason.
   */
  static final Map<String, String> NEEDED_ONLY_IN_A_CLUSTER = Map.of();

  private static List<ApiRequest> operatorRequests;
  private static Rbac rbac;

  @BeforeAll
  static void readAuditLogs() {
    operatorRequests =
        ApiRequest.readAll(AUDIT_LOGS).stream()
            .filter(
                r -> r.userAgent() != null && r.userAgent().startsWith(TesseraOperator.USER_AGENT))
            .toList();
    assertThat(operatorRequests)
        .as(
            "no requests of the operator in %s: the integration tests of local/ write them"
                + " (./mvnw verify runs them before this module)",
            AUDIT_LOGS)
        .hasSizeGreaterThan(1000);
    rbac = Rbac.of(RenderedChart.render("default", t -> t), "default", "tessera");
  }

  @Test
  void everyRequestOfTheOperatorIsGranted() {
    TreeSet<String> denied = new TreeSet<>();
    for (ApiRequest request : operatorRequests) {
      if (!rbac.allows(request)) {
        denied.add(request.describe());
      }
    }
    assertThat(denied).as("requests the chart's RBAC would deny").isEmpty();
  }

  @Test
  void theChartGrantsNoVerbTheOperatorNeverUses() {
    TreeSet<String> unused = new TreeSet<>();
    for (Rbac.Grant grant : rbac.grants()) {
      PolicyRule rule = grant.rule();
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            String granted = verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource;
            boolean used =
                operatorRequests.stream()
                    .anyMatch(
                        r ->
                            r.nonResourceUrl() == null
                                && r.group().equals(group)
                                && r.qualifiedResource().equals(resource)
                                && r.verb().equals(verb)
                                && Rbac.matches(grant, r));
            if (!used && !NEEDED_ONLY_IN_A_CLUSTER.containsKey(granted)) {
              unused.add(granted + " (" + grant.source() + ")");
            }
          }
        }
      }
    }
    assertThat(unused).as("verbs the chart grants that the operator never used").isEmpty();
  }

  @Test
  void theOperatorCachesOnlyItsOwnSecretsAndPods() {
    List<ApiRequest> cached =
        operatorRequests.stream()
            .filter(r -> List.of("list", "watch").contains(r.verb()))
            .filter(r -> r.group() != null && r.group().isEmpty())
            .filter(r -> List.of("secrets", "pods").contains(r.resource()))
            .toList();
    assertThat(cached).isNotEmpty();
    assertThat(cached)
        .allSatisfy(
            r ->
                assertThat(r.labelSelector())
                    .as(r.describe())
                    .contains("app.kubernetes.io/managed-by=tessera")
                    .contains("tessera.dev/component"));
  }

  @Test
  void rulesAreCheckedTheWayTheApiServerChecksThem() {
    // the evaluation itself: a verb, a subresource, another namespace or another name is not
    // granted by a rule that does not name it
    ApiRequest getPod = request("get", "", "pods", null, "team-a", "p");
    assertThat(rbac.allows(getPod)).isTrue();
    assertThat(rbac.allows(request("update", "", "pods", null, "team-a", "p"))).isFalse();
    assertThat(rbac.allows(request("get", "", "pods", "exec", "team-a", "p"))).isFalse();
    assertThat(rbac.allows(request("get", "", "configmaps", null, "team-a", "c"))).isFalse();
    assertThat(rbac.allows(request("get", "rbac.authorization.k8s.io", "roles", null, "x", "r")))
        .isFalse();
    Rbac namespaced =
        Rbac.of(RenderedChart.withValues("namespaced.yaml"), RenderedChart.NAMESPACE, "tessera");
    assertThat(namespaced.allows(request("get", "", "pods", null, "team-a", "p"))).isTrue();
    assertThat(namespaced.allows(request("get", "", "pods", null, "team-c", "p"))).isFalse();
    assertThat(
            namespaced.allows(
                request(
                    "update", "coordination.k8s.io", "leases", null, "tessera-system", "other")))
        .isFalse();
    assertThat(
            namespaced.allows(
                request(
                    "patch",
                    "coordination.k8s.io",
                    "leases",
                    null,
                    "tessera-system",
                    "tessera-leader")))
        .isTrue();
    assertThat(Rbac.of(RenderedChart.render(t -> t), "other-namespace", "tessera").grants())
        .isEmpty();
  }

  private static ApiRequest request(
      String verb,
      String group,
      String resource,
      String subresource,
      String namespace,
      String name) {
    return new ApiRequest(
        null,
        TesseraOperator.USER_AGENT,
        verb,
        group,
        resource,
        subresource,
        namespace,
        name,
        null,
        null);
  }
}

package dev.tessera.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tessera.api.v1alpha1.JobRun;
import dev.tessera.operator.ops.OperatorMetrics;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The chart's PrometheusRule: the alerts docs/operations.md recommends, each reading only metrics
 * the operator serves.
 */
class AlertRulesTest {
  /** PromQL's words that are not metric names: functions, aggregations, keywords. */
  private static final Set<String> PROMQL =
      Set.of(
          "sum",
          "min",
          "max",
          "avg",
          "count",
          "rate",
          "irate",
          "increase",
          "absent",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "and",
          "or",
          "unless",
          "bool",
          "offset",
          "histogram_quantile",
          "delta",
          "deriv",
          "changes",
          "resets",
          "time");

  /** Series Prometheus makes itself, for every target. */
  private static final Set<String> PROMETHEUS_OWN = Set.of("up");

  private static PrometheusRule enabled() {
    return RenderedChart.render(
            t ->
                t.set("prometheusRule.enabled", "true").set("prometheusRule.labels.role", "alerts"))
        .get(PrometheusRule.class, "tessera");
  }

  private static List<Rule> rules(PrometheusRule rule) {
    assertThat(rule.getSpec().getGroups()).hasSize(1);
    return rule.getSpec().getGroups().get(0).getRules();
  }

  /** Alert name to its expression, {@code for} and labels, whitespace in expressions folded. */
  private static Map<String, List<Object>> summary(List<Rule> rules) {
    Map<String, List<Object>> summary = new LinkedHashMap<>();
    for (Rule rule : rules) {
      summary.put(
          rule.getAlert(),
          List.of(
              fold(rule.getExpr().getStrVal()),
              String.valueOf(rule.getFor()),
              rule.getLabels() == null ? Map.of() : rule.getLabels()));
    }
    return summary;
  }

  private static String fold(String expr) {
    return expr.trim().replaceAll("\\s+", " ");
  }

  /** The rules in the YAML block of docs/operations.md's "Alerts worth setting". */
  private static List<Rule> documentedRules() throws IOException {
    String doc = Files.readString(RenderedChart.ROOT.resolve("docs/operations.md"));
    int section = doc.indexOf("## Alerts worth setting");
    int start = doc.indexOf("```yaml\n", section) + "```yaml\n".length();
    int end = doc.indexOf("```", start);
    JsonNode groups = new YAMLMapper().readTree(doc.substring(start, end)).path("groups");
    assertThat(groups).hasSize(1);
    List<Rule> rules = new java.util.ArrayList<>();
    for (JsonNode rule : groups.get(0).path("rules")) {
      rules.add(new YAMLMapper().treeToValue(rule, Rule.class));
    }
    return rules;
  }

  /**
   * The names of every series the operator's /metrics serves once each of its metrics has been
   * recorded: Tessera's own and the SDK's of a controller whose reconciliation failed.
   */
  private static Set<String> servedSeries() {
    OperatorMetrics metrics = new OperatorMetrics();
    metrics.attemptEnded("Succeeded", Duration.ofSeconds(3));
    metrics.runFinished("Failed", "AttemptsExhausted");
    metrics.sessionChecks(1);
    metrics.sessionCreates(1);
    metrics.sessionRecreated();
    metrics.sessionLockWait();
    Metrics controllers = metrics.controllerMetrics();
    JobRun jobRun = new JobRun();
    jobRun.setMetadata(new ObjectMetaBuilder().withName("r").withNamespace("team-a").build());
    controllers.failedReconciliation(
        jobRun,
        new IllegalStateException("broken"),
        Map.of(
            Constants.RESOURCE_GVK_KEY,
            GroupVersionKind.gvkFor(JobRun.class),
            Constants.CONTROLLER_NAME,
            "jobrun"));
    Set<String> names = new TreeSet<>();
    for (String line : metrics.scrape().lines().toList()) {
      if (!line.startsWith("#") && !line.isBlank()) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }

  /** The metric names a PromQL expression reads. */
  static Set<String> metricsRead(String expr) {
    String bare =
        expr.replaceAll("\\{[^}]*}", " ") // label matchers
            .replaceAll("\\[[^]]*]", " ") // ranges
            .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", " "); // label lists
    Set<String> names = new TreeSet<>();
    Matcher word = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(bare);
    while (word.find()) {
      if (!PROMQL.contains(word.group())) {
        names.add(word.group());
      }
    }
    return names;
  }

  @Test
  void noRuleUnlessAskedFor() {
    assertThat(RenderedChart.render(t -> t).all(PrometheusRule.class)).isEmpty();
    assertThatThrownBy(() -> RenderedChart.render(t -> t.set("prometheusRule.enable", "true")))
        .hasMessageContaining("additional properties 'enable' not allowed");
  }

  @Test
  void theRuleHoldsTheAlertsTheOperationsGuideRecommends() throws IOException {
    PrometheusRule rule = enabled();
    assertThat(rule.getMetadata().getNamespace()).isEqualTo("tessera-system");
    assertThat(rule.getMetadata().getLabels())
        .containsEntry("role", "alerts")
        .containsEntry("app.kubernetes.io/instance", "tessera");
    assertThat(summary(rules(rule))).isEqualTo(summary(documentedRules()));
    assertThat(rules(rule))
        .allSatisfy(r -> assertThat(r.getAnnotations()).containsKey("summary"))
        .extracting(r -> r.getLabels().get("severity"))
        .containsOnly("critical", "warning");
  }

  @Test
  void everyExpressionReadsMetricsTheOperatorServes() {
    Set<String> served = servedSeries();
    assertThat(served)
        .contains("tessera_runs", "tessera_runs_finished_total")
        .contains("operator_sdk_reconciliations_failed_total");
    for (Rule rule : rules(enabled())) {
      Set<String> read = metricsRead(rule.getExpr().getStrVal());
      assertThat(read).as("metrics of %s", rule.getAlert()).isNotEmpty();
      for (String metric : read) {
        assertThat(served.contains(metric) || PROMETHEUS_OWN.contains(metric))
            .as(
                "%s reads %s, which the operator does not serve: %s",
                rule.getAlert(), metric, served)
            .isTrue();
      }
    }
  }

  @Test
  void theCheckFindsTheMetricsOfAnExpression() {
    assertThat(
            metricsRead(
                "sum by (reason) (increase(tessera_runs_finished_total{phase=\"Rejected\"}[1h]))"
                    + " / sum(rate(tessera_attempt_duration_seconds_count[5m])) > 5"))
        .containsExactly("tessera_attempt_duration_seconds_count", "tessera_runs_finished_total");
    assertThat(metricsRead("absent(up{namespace=\"x\", service=\"y\"} == 1)"))
        .containsExactly("up");
  }
}

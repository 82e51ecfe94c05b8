package dev.tessera.operator.ops;

import static dev.tessera.operator.MockCluster.create;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tessera.api.v1alpha1.Job;
import dev.tessera.api.v1alpha1.Project;
import dev.tessera.operator.MockCluster;
import dev.tessera.operator.job.JobReconciler;
import dev.tessera.operator.job.JobRunReconciler;
import dev.tessera.operator.project.ProjectReconciler;
import dev.tessera.operator.run.RunReconciler;
import dev.tessera.operator.session.AuthSessionReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's {@code /metrics} after it reconciled a Project and failed on two Jobs: the Java
 * Operator SDK's meters of each controller (reconciliations, failures, durations, queue and
 * executions) beside Tessera's own, without a series per object.
 */
@EnableKubernetesMockClient(crud = true)
class ControllerMetricsIT {
  private static final List<String> CONTROLLERS =
      List.of(
          RunReconciler.NAME,
          ProjectReconciler.NAME,
          AuthSessionReconciler.NAME,
          JobRunReconciler.NAME,
          JobReconciler.NAME);
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)$");

  KubernetesClient client;
  private MockCluster cluster;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    cluster = MockCluster.start(client);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private String scrape() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + cluster.operator().opsPort() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /** The sum of the samples of {@code name} whose labels include {@code labels}. */
  private static double value(String text, String name, Map<String, String> labels) {
    double sum = 0;
    for (String line : text.lines().toList()) {
      Matcher sample = SAMPLE.matcher(line);
      if (sample.matches()
          && sample.group(1).equals(name)
          && labels.entrySet().stream()
              .allMatch(
                  l ->
                      sample.group(2) != null
                          && sample.group(2).contains(l.getKey() + "=\"" + l.getValue() + "\""))) {
        sum += Double.parseDouble(sample.group(3));
      }
    }
    return sum;
  }

  @Test
  void reconciliationsFailuresAndDurationsAreCountedPerController() throws Exception {
    create(
        client,
        """
        apiVersion: tessera.dev/v1alpha1
        kind: Project
        metadata: {name: catalog, namespace: test}
        spec:
          apis: {list: {steps: [{goto: "http://site/catalog"}]}}
        """,
        Project.class);
    // no project, which a cluster's API server would refuse: its reconciliation fails
    // (ReconcileFailed) and is retried
    create(
        client,
        "{apiVersion: tessera.dev/v1alpha1, kind: Job, metadata: {name: no-project, namespace:"
            + " test}, spec: {payload: [{api: list}]}}",
        Job.class);
    // no spec: the operator cannot read it (InvalidSpec), and does not retry
    create(
        client,
        "{apiVersion: tessera.dev/v1alpha1, kind: Job, metadata: {name: no-spec, namespace: test}}",
        Job.class);
    Map<String, String> project = Map.of("kind", "Project", "group", "tessera.dev");
    Map<String, String> job = Map.of("kind", "Job", "group", "tessera.dev");

    String text =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                this::scrape,
                t ->
                    value(t, "operator_sdk_reconciliations_success_total", project) >= 1
                        && value(t, "operator_sdk_reconciliations_failed_total", job) >= 2);

    assertThat(value(text, "operator_sdk_reconciliations_started_total", project)).isEqualTo(1);
    assertThat(value(text, "operator_sdk_reconciliations_failed_total", project)).isZero();
    assertThat(
            value(
                text,
                "operator_sdk_reconciliations_failed_total",
                Map.of("kind", "Job", "exception", "IllegalArgumentException")))
        .isGreaterThanOrEqualTo(2);
    assertThat(value(text, "operator_sdk_reconciliations_started_total", job))
        .as("the first tries and the retries")
        .isGreaterThanOrEqualTo(3);

    // the duration of each controller's reconciliations, and their outcomes
    Map<String, String> projectController = Map.of("controller", ProjectReconciler.NAME);
    Map<String, String> jobController = Map.of("controller", JobReconciler.NAME);
    assertThat(
            value(
                text,
                "operator_sdk_controllers_execution_reconcile_seconds_count",
                projectController))
        .isEqualTo(1);
    assertThat(
            value(
                text,
                "operator_sdk_controllers_execution_reconcile_seconds_sum",
                projectController))
        .isPositive();
    assertThat(text)
        .contains("# TYPE operator_sdk_controllers_execution_reconcile_seconds histogram")
        .containsPattern(
            "operator_sdk_controllers_execution_reconcile_seconds_bucket\\{controller=\"project\",.*le=\"\\+Inf\".*\\} 1");
    assertThat(
            value(
                text, "operator_sdk_controllers_execution_reconcile_seconds_count", jobController))
        .isGreaterThanOrEqualTo(2);
    assertThat(
            value(
                text,
                "operator_sdk_controllers_execution_reconcile_success_total",
                projectController))
        .isEqualTo(1);
    assertThat(
            value(
                text, "operator_sdk_controllers_execution_reconcile_failure_total", jobController))
        .as("every reconciliation that threw, the unreadable Job's too")
        .isGreaterThanOrEqualTo(3);

    // every controller's queue and running reconciliations, as gauges named after it
    for (String controller : CONTROLLERS) {
      assertThat(text)
          .contains("# TYPE operator_sdk_reconciliations_queue_size_" + controller + " gauge")
          .contains("# TYPE operator_sdk_reconciliations_executions_" + controller + " gauge");
    }

    // per controller, not per object: no label names the object or its namespace
    assertThat(text.lines().filter(l -> l.startsWith("operator_sdk_")))
        .isNotEmpty()
        .noneMatch(l -> l.contains("name=\"") || l.contains("namespace=\""));
    assertThat(text)
        .doesNotContain("no-spec")
        .doesNotContain("no-project")
        .doesNotContain("catalog");

    // the SDK's timing wraps what a reconciler throws: the Job still says why, as before
    assertThat(
            client
                .resources(Job.class)
                .inNamespace("test")
                .withName("no-spec")
                .get()
                .getStatus()
                .getConditions())
        .singleElement()
        .satisfies(c -> assertThat(c.getReason()).isEqualTo("InvalidSpec"));

    // Tessera's own metrics are served as before, from the same registry
    assertThat(text).contains("# TYPE tessera_runs gauge");
    assertThat(value(text, "tessera_runs", Map.of("phase", "Pending"))).isZero();
  }
}

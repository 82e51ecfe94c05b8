package dev.tessera.chart;

import static dev.tessera.chart.AdmissionPolicies.Request.createRun;
import static dev.tessera.chart.AdmissionPolicies.Request.updateRun;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tessera.chart.AdmissionPolicies.Request;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart's admission policy evaluated for real (its CEL expressions with cel-java; the API
 * server runs the same language with cel-go): a Run with {@code spec.operation} is stored only when
 * the operator's ServiceAccount sends it, and nothing else about Runs changes.
 */
class AdmissionPolicyTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final String OPERATOR = "system:serviceaccount:tessera-system:tessera";

  /** An operation Run as the operator creates one for a session. */
  private static final JsonNode OPERATION_RUN =
      yaml(
          """
          apiVersion: tessera.dev/v1alpha1
          kind: Run
          metadata:
            name: demo-alice-create-1
            namespace: team-a
            labels: {tessera.dev/session: demo-alice}
          spec:
            project: demo
            operation: AuthSession:Create
            authSession: {name: demo-alice}
          """);

  private static final AdmissionPolicies DEFAULTS =
      AdmissionPolicies.of(RenderedChart.render(t -> t));

  @Test
  void theOperatorCreatesOperationRuns() {
    assertThat(DEFAULTS.denials(createRun(OPERATOR, OPERATION_RUN))).isEmpty();
  }

  @Test
  void anyoneElseCreatingAnOperationRunIsRefusedWithWhatToDoInstead() {
    for (String user :
        List.of(
            "alice",
            "system:admin",
            "system:serviceaccount:team-a:default",
            "system:serviceaccount:team-a:tessera", // the same name in another namespace
            "system:serviceaccount:tessera-system:tessera-other")) {
      assertThat(DEFAULTS.denials(createRun(user, OPERATION_RUN)))
          .as(user)
          .singleElement()
          .satisfies(
              message ->
                  assertThat(message)
                      .startsWith("spec.operation is set only by the Tessera operator")
                      .contains(OPERATOR)
                      .contains("annotate it with tessera.dev/update")
                      .contains("create an ordinary Run"));
    }
    for (String operation : List.of("AuthSession:Update", "AuthSession:Validate")) {
      ObjectNode run = OPERATION_RUN.deepCopy();
      ((ObjectNode) run.get("spec")).put("operation", operation);
      assertThat(DEFAULTS.denials(createRun("alice", run))).as(operation).hasSize(1);
      assertThat(DEFAULTS.denials(createRun(OPERATOR, run))).as(operation).isEmpty();
    }
  }

  @Test
  void ordinaryRunsPassWhoeverCreatesThem() throws IOException {
    List<JsonNode> runs = exampleRuns();
    assertThat(runs).hasSizeGreaterThan(5);
    for (JsonNode run : runs) {
      assertThat(run.path("spec").has("operation")).isFalse();
      for (String user : List.of("alice", "system:serviceaccount:team-a:ci", OPERATOR)) {
        assertThat(DEFAULTS.denials(createRun(user, run)))
            .as("%s creates %s", user, run.path("metadata").path("name").asText())
            .isEmpty();
      }
    }
  }

  @Test
  void onUpdateOnlySettingOrChangingTheOperationIsRefused() throws IOException {
    // labels, annotations, finalizers, owner references (the garbage collector), spec.cancel:
    // other changes of an operation Run are not the policy's business
    ObjectNode labelled = OPERATION_RUN.deepCopy();
    ((ObjectNode) labelled.get("metadata")).putObject("labels").put("team", "a");
    ((ObjectNode) labelled.get("spec")).put("cancel", true);
    assertThat(DEFAULTS.denials(updateRun("alice", OPERATION_RUN, labelled))).isEmpty();
    assertThat(
            DEFAULTS.denials(
                updateRun(
                    "system:serviceaccount:kube-system:generic-garbage-collector",
                    OPERATION_RUN,
                    labelled)))
        .isEmpty();

    // an ordinary Run turned into an operation, or an operation into another: refused (the
    // CRD's immutability rule refuses both too, before admission)
    JsonNode ordinary = exampleRuns().get(0);
    ObjectNode forged = ordinary.deepCopy();
    ((ObjectNode) forged.get("spec")).remove("api");
    ((ObjectNode) forged.get("spec")).put("operation", "AuthSession:Create");
    assertThat(DEFAULTS.denials(updateRun("alice", ordinary, forged))).hasSize(1);
    ObjectNode changed = OPERATION_RUN.deepCopy();
    ((ObjectNode) changed.get("spec")).put("operation", "AuthSession:Update");
    assertThat(DEFAULTS.denials(updateRun("alice", OPERATION_RUN, changed))).hasSize(1);
    assertThat(DEFAULTS.denials(updateRun(OPERATOR, OPERATION_RUN, changed))).isEmpty();
    // ordinary Runs are updated freely
    ObjectNode canceled = ordinary.deepCopy();
    ((ObjectNode) canceled.get("spec")).put("cancel", true);
    assertThat(DEFAULTS.denials(updateRun("alice", ordinary, canceled))).isEmpty();
  }

  @Test
  void deletionsStatusWritesAndOtherKindsAreNotMatched() {
    assertThat(
            DEFAULTS.denials(
                new Request(
                    "DELETE",
                    "alice",
                    "tessera.dev",
                    "v1alpha1",
                    "runs",
                    "",
                    "team-a",
                    null,
                    OPERATION_RUN)))
        .isEmpty();
    assertThat(
            DEFAULTS.denials(
                new Request(
                    "UPDATE",
                    "alice",
                    "tessera.dev",
                    "v1alpha1",
                    "runs",
                    "status",
                    "team-a",
                    OPERATION_RUN,
                    OPERATION_RUN)))
        .isEmpty();
    assertThat(
            DEFAULTS.denials(
                new Request(
                    "CREATE",
                    "alice",
                    "tessera.dev",
                    "v1alpha1",
                    "jobruns",
                    "",
                    "team-a",
                    OPERATION_RUN,
                    null)))
        .isEmpty();
  }

  @Test
  void withWatchNamespacesOnlyThoseAreGuarded() {
    AdmissionPolicies namespaced =
        AdmissionPolicies.of(RenderedChart.withValues("namespaced.yaml"));
    assertThat(namespaced.denials(createRun("alice", OPERATION_RUN))).hasSize(1); // team-a
    assertThat(namespaced.denials(createRun(OPERATOR, OPERATION_RUN))).isEmpty();
    ObjectNode elsewhere = OPERATION_RUN.deepCopy();
    ((ObjectNode) elsewhere.get("metadata")).put("namespace", "team-c");
    // another installation's operator, with its own policy, may create it there
    assertThat(namespaced.denials(createRun("system:serviceaccount:other:tessera", elsewhere)))
        .isEmpty();
  }

  @Test
  void theOperatorIsTheServiceAccountTheChartRunsItAs() {
    AdmissionPolicies existing =
        AdmissionPolicies.of(RenderedChart.withValues("existing-service-account.yaml"));
    assertThat(
            existing.denials(
                createRun("system:serviceaccount:tessera-system:platform-tessera", OPERATION_RUN)))
        .isEmpty();
    assertThat(existing.denials(createRun(OPERATOR, OPERATION_RUN))).hasSize(1);
    AdmissionPolicies otherNamespace =
        AdmissionPolicies.of(RenderedChart.render("automation", t -> t));
    assertThat(
            otherNamespace.denials(
                createRun("system:serviceaccount:automation:tessera", OPERATION_RUN)))
        .isEmpty();
    assertThat(otherNamespace.denials(createRun(OPERATOR, OPERATION_RUN))).hasSize(1);
  }

  @Test
  void turnedOffNothingIsRefused() {
    AdmissionPolicies off =
        AdmissionPolicies.of(RenderedChart.render(t -> t.set("admissionPolicy.enabled", "false")));
    assertThat(off.denials(createRun("alice", OPERATION_RUN))).isEmpty();
  }

  @Test
  void everyExpressionCompilesWithTheApiServersVariablesOnly() {
    List<ValidatingAdmissionPolicy> policies =
        RenderedChart.render(t -> t).all(ValidatingAdmissionPolicy.class);
    assertThat(policies).isNotEmpty();
    for (ValidatingAdmissionPolicy policy : policies) {
      policy.getSpec().getValidations().forEach(v -> AdmissionPolicies.compile(v.getExpression()));
      policy
          .getSpec()
          .getMatchConditions()
          .forEach(c -> AdmissionPolicies.compile(c.getExpression()));
    }
  }

  /** Every Run of examples/. */
  private static List<JsonNode> exampleRuns() throws IOException {
    List<JsonNode> runs = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(RenderedChart.ROOT.resolve("examples"))) {
      files =
          walk.filter(p -> p.toString().endsWith(".yaml"))
              .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/src/"))
              .sorted()
              .toList();
    }
    for (Path file : files) {
      for (JsonNode document :
          YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile()).readAll()) {
        if (document != null && "Run".equals(document.path("kind").asText())) {
          runs.add(document);
        }
      }
    }
    return runs;
  }

  private static JsonNode yaml(String text) {
    try {
      return YAML.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}

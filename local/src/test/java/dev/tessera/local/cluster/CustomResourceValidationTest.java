package dev.tessera.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tessera.local.cluster.CustomResourceValidation.Cause;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Objects checked against the committed CRDs as local mode's API checks every write: each problem
 * names its field and says what is wrong, in the API server's words.
 */
class CustomResourceValidationTest {
  private static final YAMLMapper YAML = new YAMLMapper();

  private static List<Cause> problems(String plural, String yaml) throws IOException {
    JsonNode schema = CelRulesTest.schema(plural);
    ObjectNode object = (ObjectNode) YAML.readTree(yaml);
    StructuralSchema.defaultAndPrune(object, schema);
    return CustomResourceValidation.validate(schema, object, null);
  }

  private static List<String> messages(String plural, String yaml) throws IOException {
    return problems(plural, yaml).stream().map(Cause::message).toList();
  }

  @Test
  void aValidRunHasNoProblems() throws IOException {
    assertThat(
            problems(
                "runs",
                "{apiVersion: tessera.dev/v1alpha1, kind: Run, metadata: {name: r}, spec: {project:"
                    + " p, api: a, parameters: {page: 2}, authSession: {name: s, checkAttempts: 2}}}"))
        .isEmpty();
  }

  @Test
  void everyKindNeedsASpec() throws IOException {
    for (String plural : CelRulesTest.PLURALS) {
      assertThat(problems(plural, "{apiVersion: tessera.dev/v1alpha1, metadata: {name: x}}"))
          .as(plural)
          .extracting(Cause::field, Cause::reason, Cause::message)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  "spec", "FieldValueRequired", "spec: Required value"));
    }
  }

  @Test
  void aValueOfTheWrongTypeIsNamedWithItsType() throws IOException {
    assertThat(
            messages(
                "runs",
                "{metadata: {name: r}, spec: {project: p, authSession: {name: s, checkAttempts:"
                    + " three}}}"))
        .containsExactly(
            "spec.authSession.checkAttempts: Invalid value: \"string\":"
                + " spec.authSession.checkAttempts in body must be of type integer: \"string\"");
    assertThat(messages("projects", "{metadata: {name: p}, spec: {apis: [{className: A}]}}"))
        .containsExactly(
            "spec.apis: Invalid value: \"array\": spec.apis in body must be of type object:"
                + " \"array\"");
  }

  @Test
  void boundsPatternsAndEnumsAreChecked() throws IOException {
    assertThat(
            messages(
                "jobs",
                "{metadata: {name: j}, spec: {project: p, payload: [{api: a}], maxConcurrentRuns: 0,"
                    + " successfulJobRunsHistoryLimit: -1, concurrencyPolicy: Sometimes}}"))
        .containsExactlyInAnyOrder(
            "spec.maxConcurrentRuns: Invalid value: 0: spec.maxConcurrentRuns in body should be"
                + " greater than or equal to 1",
            "spec.successfulJobRunsHistoryLimit: Invalid value: -1:"
                + " spec.successfulJobRunsHistoryLimit in body should be greater than or equal to"
                + " 0",
            "spec.concurrencyPolicy: Invalid value: \"Sometimes\": spec.concurrencyPolicy in body"
                + " should match '^(Allow|Forbid|Replace)$'");
    assertThat(
            messages(
                "runs",
                "{metadata: {name: r}, spec: {project: p, api: a, retry: {maxAttempts: 100000}}}"))
        .containsExactly(
            "spec.retry.maxAttempts: Invalid value: 100000: spec.retry.maxAttempts in body should"
                + " be less than or equal to 20");
    assertThat(messages("runs", "{metadata: {name: r}, spec: {project: p, operation: Delete}}"))
        .containsExactly(
            "spec.operation: Unsupported value: \"Delete\": supported values:"
                + " \"AuthSession:Create\", \"AuthSession:Update\", \"AuthSession:Validate\"");
  }

  @Test
  void aMissingRequiredFieldIsNamed() throws IOException {
    assertThat(problems("authsessions", "{metadata: {name: s}, spec: {type: Runtime}}"))
        .extracting(Cause::field, Cause::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("spec.project", "spec.project: Required value"));
  }

  @Test
  void theRulesRunOnceTheSchemaHoldsAndNameTheirField() throws IOException {
    assertThat(
            problems(
                "authsessions",
                "{metadata: {name: s}, spec: {project: p, type: Runtime, healthCheck: {interval:"
                    + " 1s}}}"))
        .extracting(Cause::field, Cause::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "spec.healthCheck.interval",
                "spec.healthCheck.interval: Invalid value: \"object\": interval must be at least 1m:"
                    + " every health check starts a browser"));
    assertThat(
            messages(
                "runs",
                "{metadata: {name: r}, spec: {project: p, api: a, operation:"
                    + " 'AuthSession:Create'}}"))
        .hasSize(1)
        .first()
        .asString()
        .startsWith("spec: Invalid value: \"object\": a Run names an api, or nothing");
  }

  @Test
  void aNullTheSchemaDoesNotAllowIsDroppedAsTheServerDoes() throws IOException {
    ObjectNode run =
        (ObjectNode)
            YAML.readTree(
                "{metadata: {name: r}, spec: {project: p, api: a, timeoutSeconds: null}}");
    JsonNode schema = CelRulesTest.schema("runs");
    StructuralSchema.defaultAndPrune(run, schema);
    assertThat(run.path("spec").has("timeoutSeconds")).isFalse();
    assertThat(CustomResourceValidation.validate(schema, run, null)).isEmpty();
  }
}

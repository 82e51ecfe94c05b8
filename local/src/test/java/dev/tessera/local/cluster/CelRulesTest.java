package dev.tessera.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed CRDs' cross-field rules, evaluated as local mode's API evaluates them on every
 * write: they accept what users should write and reject what they should not.
 */
class CelRulesTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  static final List<String> PLURALS =
      List.of("projects", "authsessions", "runs", "jobs", "jobruns");

  /** The repository root, above the module's working directory. */
  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("crds"))) {
      dir = dir.getParent();
    }
    return dir;
  }

  /** The OpenAPI v3 schema of a committed CRD. */
  static JsonNode schema(String plural) throws IOException {
    return YAML.readTree(root().resolve("crds").resolve(plural + ".tessera.dev.yaml").toFile())
        .path("spec")
        .path("versions")
        .get(0)
        .path("schema")
        .path("openAPIV3Schema");
  }

  /** The rules of one CRD. */
  private record Rules(JsonNode schema) {
    Rules(String plural) throws IOException {
      this(CelRulesTest.schema(plural));
    }

    List<String> violationsOnCreate(JsonNode object) {
      return CelRules.messages(schema, object, null);
    }

    List<String> violationsOnUpdate(JsonNode old, JsonNode object) {
      return CelRules.messages(schema, object, old);
    }
  }

  private static ObjectNode yaml(String text) throws IOException {
    return (ObjectNode) YAML.readTree(text);
  }

  @Test
  void everyRuleOfEveryCrdCompiles() throws IOException {
    for (String plural : PLURALS) {
      List<String> rules = CelRules.rules(schema(plural));
      assertThat(rules).as("rules of %s", plural).isNotEmpty();
      rules.forEach(CelRules::compile);
    }
  }

  @Test
  void credentialsSessionNeedsACredentialsSecretAndOnlyIt() throws IOException {
    Rules rules = new Rules("authsessions");
    assertThat(rules.violationsOnCreate(yaml("spec: {project: p, type: Credentials}")))
        .containsExactly(
            "credentialsSecretRef is required for type Credentials and not allowed for Recorder or"
                + " Runtime");
    assertThat(
            rules.violationsOnCreate(
                yaml("spec: {project: p, type: Recorder, credentialsSecretRef: {name: s}}")))
        .hasSize(1);
    assertThat(
            rules.violationsOnCreate(
                yaml("spec: {project: p, type: Credentials, credentialsSecretRef: {name: s}}")))
        .isEmpty();
    assertThat(rules.violationsOnCreate(yaml("spec: {project: p, type: Runtime}"))).isEmpty();
  }

  @Test
  void sessionProjectAndTypeCannotChange() throws IOException {
    Rules rules = new Rules("authsessions");
    ObjectNode old = yaml("spec: {project: p, type: Runtime}");
    assertThat(rules.violationsOnUpdate(old, yaml("spec: {project: q, type: Runtime}")))
        .containsExactly("project is immutable; create a new AuthSession instead");
    assertThat(
            rules.violationsOnUpdate(
                old, yaml("spec: {project: p, type: Runtime, proxy: {server: 'http://x:1'}}")))
        .isEmpty();
  }

  @Test
  void runSpecIsImmutableExceptCancelAndTtl() throws IOException {
    Rules rules = new Rules("runs");
    ObjectNode old =
        yaml("spec: {project: p, api: a, parameters: {page: 2}, authSession: {name: s}}");
    assertThat(rules.violationsOnCreate(old)).isEmpty();
    assertThat(
            rules.violationsOnUpdate(
                old,
                yaml(
                    "spec: {project: p, api: a, parameters: {page: 2}, authSession: {name: s},"
                        + " cancel: true, ttlSecondsAfterFinished: 60}")))
        .isEmpty();
    for (String changed :
        new String[] {
          "spec: {project: p, api: a, parameters: {page: 3}, authSession: {name: s}}",
          "spec: {project: p, api: b, parameters: {page: 2}, authSession: {name: s}}",
          "spec: {project: p, api: a, authSession: {name: s}}",
          "spec: {project: p, api: a, parameters: {page: 2}, authSession: {name: t}}",
          "spec: {project: p, api: a, parameters: {page: 2}, authSession: {name: s}, retry:"
              + " {maxAttempts: 5}}"
        }) {
      assertThat(rules.violationsOnUpdate(old, yaml(changed)))
          .as("update to %s", changed)
          .containsExactly(
              "spec is immutable after creation except cancel and ttlSecondsAfterFinished; create"
                  + " a new Run instead");
    }
  }

  @Test
  void runNamesAnApiOrAnOperationOrNeitherToOnlyValidate() throws IOException {
    Rules rules = new Rules("runs");
    String message =
        "a Run names an api, or nothing (it then only validates its session); spec.operation is"
            + " set only by the operator";
    assertThat(rules.violationsOnCreate(yaml("spec: {project: p, authSession: {name: s}}")))
        .isEmpty();
    assertThat(
            rules.violationsOnCreate(
                yaml("spec: {project: p, api: a, operation: 'AuthSession:Create'}")))
        .containsExactly(message);
    assertThat(
            rules.violationsOnCreate(yaml("spec: {project: p, operation: 'AuthSession:Create'}")))
        .isEmpty();
  }

  @Test
  void aStepHasExactlyOneActionAndAnApiOneImplementation() throws IOException {
    Rules rules = new Rules("projects");
    assertThat(
            rules.violationsOnCreate(
                yaml("spec: {apis: {a: {steps: [{goto: 'http://x', click: {selector: '#b'}}]}}}")))
        .containsExactly(
            "a step has exactly one action: goto, fill, click, press, select, waitFor, expect,"
                + " extract, request, screenshot");
    assertThat(rules.violationsOnCreate(yaml("spec: {apis: {a: {steps: [{name: nothing}]}}}")))
        .hasSize(1);
    assertThat(
            rules.violationsOnCreate(
                yaml("spec: {apis: {a: {className: com.example.A, steps: [{goto: 'http://x'}]}}}")))
        .containsExactly("set exactly one of steps or className");
    assertThat(rules.violationsOnCreate(yaml("spec: {apis: {}}")))
        .containsExactly("a project needs at least one API");
  }

  @Test
  void enabledAuthenticationNeedsACheckAndAWayToCreate() throws IOException {
    Rules rules = new Rules("projects");
    assertThat(
            rules.violationsOnCreate(
                yaml("spec: {apis: {a: {className: A}}, authentication: {enabled: true}}")))
        .containsExactlyInAnyOrder(
            "check is required when authentication is enabled",
            "create or recorder is required when authentication is enabled");
    assertThat(
            rules.violationsOnCreate(
                yaml("spec: {apis: {a: {className: A}}, authentication: {enabled: false}}")))
        .isEmpty();
  }

  @Test
  void jobTimeZoneAndDeadlineNeedASchedule() throws IOException {
    Rules rules = new Rules("jobs");
    assertThat(
            rules.violationsOnCreate(
                yaml("spec: {project: p, payload: [{api: a}], timeZone: UTC}")))
        .containsExactly("timeZone needs a schedule");
    assertThat(
            rules.violationsOnCreate(
                yaml(
                    "spec: {project: p, payload: [{api: a}], schedule: '0 6 * * *', timeZone: UTC}")))
        .isEmpty();
  }

  @Test
  void jobRunKeepsItsJob() throws IOException {
    Rules rules = new Rules("jobruns");
    assertThat(rules.violationsOnUpdate(yaml("spec: {job: a}"), yaml("spec: {job: b}")))
        .containsExactly("job is immutable");
    assertThat(
            rules.violationsOnUpdate(yaml("spec: {job: a}"), yaml("spec: {job: a, paused: true}")))
        .isEmpty();
  }

  @Test
  void aHealthCheckRunsAtMostOnceAMinute() throws IOException {
    Rules rules = new Rules("authsessions");
    String session = "spec: {project: p, type: Runtime, healthCheck: {interval: '%s'}}";
    for (String often : List.of("1s", "59s", "0m")) {
      assertThat(rules.violationsOnCreate(yaml(session.formatted(often))))
          .as(often)
          .containsExactly("interval must be at least 1m: every health check starts a browser");
    }
    for (String enough : List.of("60s", "1m", "1h30m", "24h")) {
      assertThat(rules.violationsOnCreate(yaml(session.formatted(enough)))).as(enough).isEmpty();
    }
  }

  @Test
  void everyExampleSatisfiesTheSchemaAndTheRules() throws IOException {
    Path examples = root().resolve("examples");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(examples)) {
      files =
          walk.filter(p -> p.toString().endsWith(".yaml"))
              .filter(p -> !examples.relativize(p).startsWith("demo-site"))
              .sorted()
              .toList();
    }
    int checked = 0;
    for (Path file : files) {
      for (JsonNode document :
          YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile()).readAll()) {
        String plural = document.path("kind").asText().toLowerCase() + "s";
        if (document.path("apiVersion").asText().startsWith("tessera.dev/")) {
          ObjectNode object = document.deepCopy();
          JsonNode schema = schema(plural);
          StructuralSchema.defaultAndPrune(object, schema);
          assertThat(CustomResourceValidation.validate(schema, object, null))
              .as("%s in %s", document.path("kind").asText(), file)
              .isEmpty();
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(10);
  }
}

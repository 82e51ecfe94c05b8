package dev.tessera.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The CRDs' cross-field rules accept what users should write and reject what they should not. */
class CelRulesTest {
  private static final YAMLMapper YAML = new YAMLMapper();

  private static ObjectNode yaml(String text) throws IOException {
    return (ObjectNode) YAML.readTree(text);
  }

  @Test
  void everyRuleOfEveryCrdCompiles() throws IOException {
    for (Class<?> kind : CrdFiles.KINDS) {
      CrdCelValidator validator = new CrdCelValidator(kind);
      assertThat(validator.rules()).as("rules of %s", kind.getSimpleName()).isNotEmpty();
      validator.rules().forEach(CrdCelValidator::compile);
    }
  }

  @Test
  void credentialsSessionNeedsACredentialsSecretAndOnlyIt() throws IOException {
    CrdCelValidator rules = new CrdCelValidator(AuthSession.class);
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
    CrdCelValidator rules = new CrdCelValidator(AuthSession.class);
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
    CrdCelValidator rules = new CrdCelValidator(Run.class);
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
    CrdCelValidator rules = new CrdCelValidator(Run.class);
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
    CrdCelValidator rules = new CrdCelValidator(Project.class);
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
    CrdCelValidator rules = new CrdCelValidator(Project.class);
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
    CrdCelValidator rules = new CrdCelValidator(Job.class);
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
    CrdCelValidator rules = new CrdCelValidator(JobRun.class);
    assertThat(rules.violationsOnUpdate(yaml("spec: {job: a}"), yaml("spec: {job: b}")))
        .containsExactly("job is immutable");
    assertThat(
            rules.violationsOnUpdate(yaml("spec: {job: a}"), yaml("spec: {job: a, paused: true}")))
        .isEmpty();
  }

  @Test
  void everyExampleSatisfiesTheRules() throws IOException {
    for (var file : ExamplesTest.manifests().toList()) {
      for (JsonNode document :
          YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile()).readAll()) {
        String kind = document.path("kind").asText();
        CrdFiles.KINDS.stream()
            .filter(k -> k.getSimpleName().equals(kind))
            .findFirst()
            .ifPresent(
                k ->
                    assertThat(new CrdCelValidator(k).violationsOnCreate(document))
                        .as("%s in %s", kind, file)
                        .isEmpty());
      }
    }
  }
}

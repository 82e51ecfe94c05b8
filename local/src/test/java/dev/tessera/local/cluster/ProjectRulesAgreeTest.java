package dev.tessera.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tessera.api.v1alpha1.Project;
import dev.tessera.operator.project.ProjectValidation;
import dev.tessera.operator.status.UnreadableObjects;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One table of Projects, judged by what an API server applies (the committed CRD's schema and CEL
 * rules, as local mode's API applies them) and by what the operator applies (reading the object
 * into its model as its client does, then {@link ProjectValidation}). Where a rule belongs to both,
 * both must refuse, with the same message. The table also says which rules belong to one side only:
 * bounds and patterns are the schema's (an object breaking them never reaches the operator), and
 * URLs, credentials, JSON Schemas and CIDRs are the operator's (no schema can say them).
 */
class ProjectRulesAgreeTest {
  private static final YAMLMapper YAML = new YAMLMapper();

  /** The operator's reading of objects: its client's serialization (see TesseraOperator). */
  private static final KubernetesSerialization OPERATOR =
      new KubernetesSerialization(
          new ObjectMapper().registerModule(UnreadableObjects.module()), true);

  /** Who refuses a Project. */
  enum Verdict {
    /** Both accept it. */
    VALID,
    /** Both refuse it, each with a message containing the row's fragment. */
    INVALID,
    /** Only the API server refuses it: a bound or a pattern of the schema. */
    SCHEMA_ONLY,
    /** Only the operator refuses it: a rule no schema can express. */
    OPERATOR_ONLY
  }

  record Row(String name, Verdict verdict, String fragment, String spec) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final String GOTO = "{goto: 'https://example.test/'}";
  private static final String API = "apis: {a: {steps: [" + GOTO + "]}}";

  static List<Row> table() {
    return List.of(
        new Row("one goto", Verdict.VALID, null, API),
        new Row("a Java API", Verdict.VALID, null, "apis: {a: {className: com.example.Api}}"),
        new Row(
            "one step of each action, with what each needs and nothing more",
            Verdict.VALID,
            null,
            """
            apis:
              a:
                steps:
                - goto: https://example.test/
                - fill: {selector: '#user', value: $(params.user)}
                - click: {selector: '#login'}
                - press: {key: Enter}
                - select: {selector: '#country', value: FR}
                - waitFor: {loadState: load}
                - expect: {url: '**/dashboard'}
                - extract: {as: name, selector: '#name'}
                - request: {url: https://example.test/api}
                - screenshot: {as: page}
            """),
        new Row(
            "a named step with its own time limit",
            Verdict.VALID,
            null,
            "apis: {a: {steps: [{name: open, timeoutSeconds: 5, goto: 'https://x.test/'}]}}"),
        new Row(
            "authentication with a check and a create",
            Verdict.VALID,
            null,
            API
                + "\nauthentication: {enabled: true, check: {steps: ["
                + GOTO
                + "]}, create: {steps: [{fill: {selector: '#p', value: $(credentials.p)}}]}}"),
        new Row(
            "authentication with a check and a recorder",
            Verdict.VALID,
            null,
            API
                + "\nauthentication: {enabled: true, check: {className: A},"
                + " recorder: {startUrl: 'https://example.test/login'}}"),
        new Row(
            "authentication disabled, with nothing else",
            Verdict.VALID,
            null,
            API + "\nauthentication: {enabled: false}"),
        new Row(
            "a step with two actions",
            Verdict.INVALID,
            "a step has exactly one action: goto, fill, click, press, select, waitFor, expect,"
                + " extract, request, screenshot",
            "apis: {a: {steps: [{goto: 'https://x.test/', click: {selector: b}}]}}"),
        new Row(
            "a step with no action",
            Verdict.INVALID,
            "a step has exactly one action",
            "apis: {a: {steps: [{name: nothing}]}}"),
        new Row(
            "an API with steps and a class",
            Verdict.INVALID,
            "set exactly one of steps or className",
            "apis: {a: {className: A, steps: [" + GOTO + "]}}"),
        new Row(
            "an API with neither steps nor a class",
            Verdict.INVALID,
            "set exactly one of steps or className",
            "apis: {a: {description: nothing}}"),
        new Row(
            "a check with steps and a class",
            Verdict.INVALID,
            "set exactly one of steps or className",
            API
                + "\nauthentication: {enabled: true, recorder: {startUrl: 'https://x.test/'},"
                + " check: {className: A, steps: ["
                + GOTO
                + "]}}"),
        new Row("no API", Verdict.INVALID, "a project needs at least one API", "apis: {}"),
        new Row(
            "a waitFor with only a state",
            Verdict.INVALID,
            "waitFor needs a selector, a url, a loadState or anyOf",
            "apis: {a: {steps: [{waitFor: {state: visible}}]}}"),
        new Row(
            "a waitFor of outcomes",
            Verdict.VALID,
            null,
            "apis: {a: {steps: [{waitFor: {anyOf: [{selector: '#ok'}, {url: '**/login*', then:"
                + " Fail}]}}]}}"),
        new Row(
            "a waitFor of outcomes next to a selector",
            Verdict.INVALID,
            "anyOf stands alone: put each selector or url in one of its outcomes",
            "apis: {a: {steps: [{waitFor: {selector: '#x', anyOf: [{selector: '#ok'}, {selector:"
                + " '#no'}]}}]}}"),
        new Row(
            "an outcome with a selector and a url",
            Verdict.INVALID,
            "an outcome has either a selector or a url",
            "apis: {a: {steps: [{waitFor: {anyOf: [{selector: '#ok', url: '**/x'}, {selector:"
                + " '#no'}]}}]}}"),
        new Row(
            "an expect with nothing to look at",
            Verdict.INVALID,
            "expect needs a selector or a url",
            "apis: {a: {steps: [{expect: {}}]}}"),
        new Row(
            "an expect of text on a URL",
            Verdict.INVALID,
            "text, visible and count need a selector",
            "apis: {a: {steps: [{expect: {url: '**/x', text: Welcome}}]}}"),
        new Row(
            "an expect of a count on a URL",
            Verdict.INVALID,
            "text, visible and count need a selector",
            "apis: {a: {steps: [{expect: {url: '**/x', count: 2}}]}}"),
        new Row(
            "authentication enabled without a check",
            Verdict.INVALID,
            "check is required when authentication is enabled",
            API + "\nauthentication: {enabled: true, create: {className: A}}"),
        new Row(
            "authentication enabled without a create or a recorder",
            Verdict.INVALID,
            "create or recorder is required when authentication is enabled",
            API + "\nauthentication: {enabled: true, check: {className: A}}"),
        new Row(
            "a click without a selector",
            Verdict.INVALID,
            "click.selector: Required value",
            "apis: {a: {steps: [{click: {}}]}}"),
        new Row(
            "a fill without a value",
            Verdict.INVALID,
            "fill.value: Required value",
            "apis: {a: {steps: [{fill: {selector: '#a'}}]}}"),
        new Row(
            "a press without a key",
            Verdict.INVALID,
            "press.key: Required value",
            "apis: {a: {steps: [{press: {selector: '#a'}}]}}"),
        new Row(
            "a select without a selector",
            Verdict.INVALID,
            "select.selector: Required value",
            "apis: {a: {steps: [{select: {value: FR}}]}}"),
        new Row(
            "an extract without a selector",
            Verdict.INVALID,
            "extract.selector: Required value",
            "apis: {a: {steps: [{extract: {as: x}}]}}"),
        new Row(
            "an extract without a name",
            Verdict.INVALID,
            "extract.as: Required value",
            "apis: {a: {steps: [{extract: {selector: '#x'}}]}}"),
        new Row(
            "a request without a URL",
            Verdict.INVALID,
            "request.url: Required value",
            "apis: {a: {steps: [{request: {method: GET}}]}}"),
        new Row(
            "a screenshot without a name",
            Verdict.INVALID,
            "screenshot.as: Required value",
            "apis: {a: {steps: [{screenshot: {fullPage: true}}]}}"),
        new Row(
            "a request of an unknown method",
            Verdict.SCHEMA_ONLY,
            "FETCH",
            "apis: {a: {steps: [{request: {url: 'https://x.test/', method: FETCH}}]}}"),
        new Row(
            "a step of no time at all",
            Verdict.SCHEMA_ONLY,
            "timeoutSeconds",
            "apis: {a: {steps: [{timeoutSeconds: 0, goto: 'https://x.test/'}]}}"),
        new Row(
            "a waitFor of an unknown state",
            Verdict.SCHEMA_ONLY,
            "gone",
            "apis: {a: {steps: [{waitFor: {selector: '#a', state: gone}}]}}"),
        new Row(
            "an extract into a name that is no identifier",
            Verdict.SCHEMA_ONLY,
            "as",
            "apis: {a: {steps: [{extract: {as: 1st, selector: '#a'}}]}}"),
        new Row(
            "a goto to a file",
            Verdict.OPERATOR_ONLY,
            "only http and https URLs are allowed",
            "apis: {a: {steps: [{goto: 'file:///etc/passwd'}]}}"),
        new Row(
            "an API reading credentials",
            Verdict.OPERATOR_ONLY,
            "credentials reach only the create API",
            "apis: {a: {steps: [{fill: {selector: '#p', value: $(credentials.p)}}]}}"),
        new Row(
            "a parametersSchema that is no JSON Schema",
            Verdict.OPERATOR_ONLY,
            "is not valid JSON Schema",
            "apis: {a: {className: A, parametersSchema: {type: 12}}}"),
        new Row(
            "a blocked network without a prefix length",
            Verdict.INVALID,
            "spec.runner.blockedNetworks[0]",
            API + "\nrunner: {blockedNetworks: [10.0.0.0]}"),
        new Row(
            "a blocked network the schema's pattern lets through but no CIDR parser reads",
            Verdict.OPERATOR_ONLY,
            "is not a CIDR",
            API + "\nrunner: {blockedNetworks: ['1:2:3:4:5:6:7:8:9/64']}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void theApiServerAndTheOperatorGiveTheVerdictOfTheTable(Row row) throws IOException {
    ObjectNode project = project(row.spec());
    List<String> server = serverProblems(project);
    List<String> operator = operatorProblems(project);
    String seen = "API server: " + server + "\noperator: " + operator;

    switch (row.verdict()) {
      case VALID -> assertThat(server.isEmpty() && operator.isEmpty()).as(seen).isTrue();
      case INVALID -> {
        assertThat(server).as(seen).anySatisfy(p -> assertThat(p).contains(row.fragment()));
        assertThat(operator).as(seen).anySatisfy(p -> assertThat(p).contains(row.fragment()));
      }
      case SCHEMA_ONLY -> {
        assertThat(server).as(seen).anySatisfy(p -> assertThat(p).contains(row.fragment()));
        assertThat(operator).as(seen).isEmpty();
      }
      case OPERATOR_ONLY -> {
        assertThat(server).as(seen).isEmpty();
        assertThat(operator).as(seen).anySatisfy(p -> assertThat(p).contains(row.fragment()));
      }
    }
  }

  @Test
  void everyCelRuleOfTheProjectCrdHasARowBothSidesRefuse() throws IOException {
    Set<String> messages = new TreeSet<>();
    collectRuleMessages(CelRulesTest.schema("projects"), messages);
    assertThat(messages).hasSizeGreaterThan(5);
    List<String> fragments =
        table().stream()
            .filter(row -> row.verdict() == Verdict.INVALID)
            .map(Row::fragment)
            .toList();
    assertThat(messages).allSatisfy(message -> assertThat(fragments).contains(message));
  }

  @Test
  void everyExampleProjectIsValidOnBothSides() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(CelRulesTest.root().resolve("examples"))) {
      files = walk.filter(p -> p.getFileName().toString().equals("project.yaml")).toList();
    }
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      ObjectNode project = (ObjectNode) YAML.readTree(file.toFile());
      assertThat(serverProblems(project)).as("%s", file).isEmpty();
      assertThat(operatorProblems(project)).as("%s", file).isEmpty();
    }
  }

  private static ObjectNode project(String spec) throws IOException {
    ObjectNode project = YAML.createObjectNode();
    project.put("apiVersion", "tessera.dev/v1alpha1").put("kind", "Project");
    project.putObject("metadata").put("name", "p").put("namespace", "default");
    project.set("spec", YAML.readTree(spec));
    return project;
  }

  private static List<String> serverProblems(ObjectNode project) throws IOException {
    return CustomResourceValidation.validate(CelRulesTest.schema("projects"), project, null)
        .stream()
        .map(CustomResourceValidation.Cause::message)
        .toList();
  }

  /** What the operator says: why it cannot read the object, or what ProjectValidation finds. */
  private static List<String> operatorProblems(ObjectNode project) {
    Project read = OPERATOR.unmarshal(project.toString(), Project.class);
    Optional<String> unreadable = UnreadableObjects.problem(read);
    if (unreadable.isPresent()) {
      return List.of(unreadable.get());
    }
    return ProjectValidation.problems(read.getSpec());
  }

  private static void collectRuleMessages(JsonNode schema, Set<String> messages) {
    if (schema.isObject()) {
      schema
          .path("x-kubernetes-validations")
          .forEach(rule -> messages.add(rule.path("message").asText()));
      schema.forEach(child -> collectRuleMessages(child, messages));
    } else if (schema.isArray()) {
      schema.forEach(child -> collectRuleMessages(child, messages));
    }
  }
}

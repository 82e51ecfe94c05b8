package dev.tessera.api.v1alpha1.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Steps read and write the YAML users write, the same before and after the round trip. */
class StepJsonTest {
  private static final ObjectMapper STRICT =
      YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private static final ObjectMapper LENIENT =
      YAMLMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  @Test
  void everyStepOfTheExamplesWritesBackAsItWasRead() throws IOException {
    List<JsonNode> steps = stepsOfTheExamples();
    assertThat(steps).hasSizeGreaterThan(10);
    List<String> actions = new ArrayList<>();
    for (JsonNode written : steps) {
      Step step = STRICT.treeToValue(written, Step.class);
      assertThat((JsonNode) STRICT.valueToTree(step))
          .as("round trip of %s", written)
          .isEqualTo(written);
      actions.add(Action.keyOf(step.action()));
    }
    assertThat(actions).contains("goto", "fill", "click", "waitFor", "extract", "request");
  }

  @Test
  void everyActionWithEveryFieldWritesBackAsItWasRead() throws IOException {
    JsonNode written =
        STRICT.readTree(
            """
            - {name: open, timeoutSeconds: 30, goto: "https://example.test/$(params.page)"}
            - fill: {selector: "#user", value: $(credentials.username)}
            - click: {selector: "#login"}
            - press: {selector: "#q", key: Enter}
            - select: {selector: "#country", value: FR}
            - waitFor: {selector: "#late", state: attached, url: "**/done", loadState: load}
            - expect: {selector: li, text: one, visible: true, count: 3, url: "**/list"}
            - extract: {as: rows, selector: tr, attribute: id, multiple: true, fields: {a: td}}
            - request:
                method: POST
                url: https://example.test/api
                headers: {X-A: b}
                body: "{}"
                expectStatus: 201
                as: created
            - screenshot: {as: page, fullPage: true}
            """);
    List<Step> steps = STRICT.convertValue(written, new TypeReference<List<Step>>() {});
    assertThat((JsonNode) STRICT.valueToTree(steps)).isEqualTo(written);
    assertThat(steps.stream().map(step -> Action.keyOf(step.action())))
        .as("one step of each action")
        .containsExactlyElementsOf(Action.KEYS.keySet());
  }

  @Test
  void aStepReadsIntoItsNameTimeAndOneActionRecord() throws IOException {
    List<Step> steps =
        STRICT.readValue(
            """
            - goto: https://example.test/login
            - name: log in
              timeoutSeconds: 5
              click: {selector: "#login"}
            - waitFor: {url: "**/dashboard"}
            """,
            new TypeReference<List<Step>>() {});
    assertThat(steps)
        .containsExactly(
            Step.of(new Goto("https://example.test/login")),
            new Step("log in", 5, new Click("#login")),
            Step.of(new WaitFor(null, null, "**/dashboard", null, null)));
  }

  @Test
  void aStepWithoutExactlyOneActionIsRefusedWithTheCrdsMessage() {
    assertThatThrownBy(() -> STRICT.readValue("name: nothing", Step.class))
        .hasMessageContaining(StepSchema.ONE_ACTION_MESSAGE + "; this one has none");
    assertThatThrownBy(() -> STRICT.readValue("{goto: x, click: {selector: a}}", Step.class))
        .hasMessageContaining("this one has [goto, click]");
  }

  @Test
  void anActionMissingWhatTheCrdRequiresIsRefused() {
    assertThatThrownBy(() -> STRICT.readValue("click: {}", Step.class))
        .hasMessageContaining("click.selector: Required value");
    assertThatThrownBy(() -> STRICT.readValue("expect: {text: Welcome}", Step.class))
        .hasMessageContaining("expect needs a selector or a url");
    assertThatThrownBy(() -> STRICT.readValue("waitFor: {state: visible}", Step.class))
        .hasMessageContaining("waitFor needs a selector, a url, a loadState or anyOf");
  }

  @Test
  void aKeySetToNullCountsAsAbsentAsAnApiServerPrunesIt() throws IOException {
    assertThat(STRICT.readValue("{name: null, goto: x, click: null}", Step.class))
        .isEqualTo(Step.of(new Goto("x")));
  }

  @Test
  void anUnknownKeyIsRefusedOnlyByAStrictMapper() throws IOException {
    assertThatThrownBy(() -> STRICT.readValue("{goto: x, hover: {selector: a}}", Step.class))
        .isInstanceOf(UnrecognizedPropertyException.class)
        .hasMessageContaining("hover");
    assertThat(LENIENT.readValue("{goto: x, hover: {selector: a}}", Step.class))
        .isEqualTo(Step.of(new Goto("x")));
  }

  /** Every object of a {@code steps} list in the examples' manifests. */
  static List<JsonNode> stepsOfTheExamples() throws IOException {
    Path examples = repositoryRoot().resolve("examples");
    List<JsonNode> steps = new ArrayList<>();
    try (Stream<Path> files = Files.walk(examples)) {
      for (Path file :
          files
              .filter(p -> p.toString().endsWith(".yaml"))
              .filter(p -> !examples.relativize(p).startsWith("demo-site"))
              .toList()) {
        try (var parser = STRICT.createParser(file.toFile())) {
          STRICT.readValues(parser, JsonNode.class).readAll().forEach(d -> collect(d, steps));
        }
      }
    }
    return steps;
  }

  private static void collect(JsonNode node, List<JsonNode> steps) {
    if (node.isObject()) {
      for (var it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getKey().equals("steps") && field.getValue().isArray()) {
          field.getValue().forEach(steps::add);
        } else {
          collect(field.getValue(), steps);
        }
      }
    } else if (node.isArray()) {
      node.forEach(child -> collect(child, steps));
    }
  }

  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("examples"))) {
      dir = dir.getParent();
    }
    return dir;
  }
}

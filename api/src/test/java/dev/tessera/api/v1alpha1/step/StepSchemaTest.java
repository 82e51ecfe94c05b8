package dev.tessera.api.v1alpha1.step;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The class the CRD generator reads lists every action of {@link Action}: a new action that is not
 * added here fails this test, and the CRD then differs from the committed one.
 */
class StepSchemaTest {
  @Test
  void theSchemaHasOnePropertyPerActionTypedByItsRecord() {
    Map<String, Class<?>> properties = new LinkedHashMap<>();
    for (Field field : StepSchema.class.getDeclaredFields()) {
      if (!Modifier.isStatic(field.getModifiers())) {
        JsonProperty renamed = field.getAnnotation(JsonProperty.class);
        properties.put(renamed == null ? field.getName() : renamed.value(), field.getType());
      }
    }
    Map<String, Class<?>> expected = new LinkedHashMap<>();
    expected.put("name", String.class);
    expected.put("timeoutSeconds", Integer.class);
    Action.KEYS.forEach((key, type) -> expected.put(key, type == Goto.class ? String.class : type));
    assertThat(properties).containsExactlyEntriesOf(expected);
  }

  @Test
  void theOneActionRuleAndItsMessageNameEveryAction() {
    List<String> has = new ArrayList<>();
    Action.KEYS.keySet().forEach(key -> has.add("has(self." + key + ")"));
    assertThat(StepSchema.ONE_ACTION_RULE)
        .isEqualTo("[" + String.join(", ", has) + "].exists_one(x, x)");
    assertThat(StepSchema.ONE_ACTION_MESSAGE)
        .isEqualTo(
            "a step has exactly one action: "
                + Action.KEYS.keySet().stream().collect(Collectors.joining(", ")));
  }

  @Test
  void thePropertyOfEachActionIsItsYamlKey() throws Exception {
    List<Step> steps =
        new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
            .readValue(
                """
                - goto: https://example.test
                - fill: {selector: "#user", value: x}
                - click: {selector: "#login"}
                - press: {selector: "#q", key: Enter}
                - select: {selector: "#country", value: FR}
                - waitFor: {selector: "#late"}
                - expect: {selector: li, count: 3}
                - extract: {as: rows, selector: tr}
                - request: {url: https://example.test/api, as: created}
                - screenshot: {as: page}
                """,
                new com.fasterxml.jackson.core.type.TypeReference<List<Step>>() {});
    assertThat(steps.stream().map(step -> step.action().accept(new StepSchema.Property())))
        .containsExactlyElementsOf(Action.KEYS.keySet());
  }
}

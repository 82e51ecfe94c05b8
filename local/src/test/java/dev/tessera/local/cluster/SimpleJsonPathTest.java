package dev.tessera.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class SimpleJsonPathTest {
  static final JsonNode RUN =
      Json.parse(
          """
          {"metadata": {"name": "r", "labels": {"app.kubernetes.io/name": "tessera"}},
           "spec": {"project": "demo", "payload": [{"api": "a"}, {"api": "b"}]},
           "status": {"attemptCount": 2, "conditions": [
             {"type": "Progressing", "status": "True"},
             {"type": "Ready", "status": "False", "reason": "Running"}]}}
          """);

  @Test
  void followsFields() {
    assertThat(SimpleJsonPath.parse(".spec.project").first(RUN).asText()).isEqualTo("demo");
    assertThat(SimpleJsonPath.parse(".status.attemptCount").first(RUN).asInt()).isEqualTo(2);
    assertThat(SimpleJsonPath.parse(".status.phase").first(RUN)).isNull();
  }

  @Test
  void filtersListsByAField() {
    assertThat(
            SimpleJsonPath.parse(".status.conditions[?(@.type==\"Ready\")].status")
                .first(RUN)
                .asText())
        .isEqualTo("False");
    assertThat(
            SimpleJsonPath.parse(".status.conditions[?(@.type!='Ready')].type").first(RUN).asText())
        .isEqualTo("Progressing");
    assertThat(SimpleJsonPath.parse(".status.conditions[?(@.type==\"Gone\")].status").first(RUN))
        .isNull();
  }

  @Test
  void indexesWildcardsAndQuotedNames() {
    assertThat(SimpleJsonPath.parse(".spec.payload[1].api").first(RUN).asText()).isEqualTo("b");
    assertThat(SimpleJsonPath.parse(".spec.payload[-1].api").first(RUN).asText()).isEqualTo("b");
    assertThat(SimpleJsonPath.parse(".spec.payload[*].api").evaluate(RUN))
        .extracting(JsonNode::asText)
        .containsExactly("a", "b");
    assertThat(
            SimpleJsonPath.parse(".metadata.labels['app.kubernetes.io/name']").first(RUN).asText())
        .isEqualTo("tessera");
    assertThat(SimpleJsonPath.parse("{.metadata.name}").first(RUN).asText()).isEqualTo("r");
  }

  @Test
  void rejectsWhatItDoesNotSupport() {
    assertThatThrownBy(() -> SimpleJsonPath.parse("spec..x["))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

package dev.tessera.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class StructuralSchemaTest {
  static final JsonNode SCHEMA =
      Json.parse(
          """
          {"type": "object", "properties": {
            "spec": {"type": "object", "properties": {
              "retry": {"type": "object", "default": {},
                        "properties": {"maxAttempts": {"type": "integer", "default": 1}}},
              "parameters": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
              "labels": {"type": "object", "additionalProperties": {"type": "string"}},
              "steps": {"type": "array", "items": {"type": "object",
                        "properties": {"goto": {"type": "string"}}}},
              "template": {"type": "object", "x-kubernetes-embedded-resource": true,
                           "properties": {"spec": {"type": "object"}}}}},
            "status": {"type": "object"}}}
          """);

  @Test
  void fillsInDefaultsOfPresentObjects() {
    ObjectNode run = (ObjectNode) Json.parse("{\"kind\": \"Run\", \"spec\": {}}");
    assertThat(StructuralSchema.defaultAndPrune(run, SCHEMA)).isEmpty();
    assertThat(run.path("spec").path("retry").path("maxAttempts").asInt()).isEqualTo(1);
    assertThat(run.has("status")).isFalse();
  }

  @Test
  void prunesAndReportsUnknownFields() {
    ObjectNode run =
        (ObjectNode)
            Json.parse(
                """
                {"apiVersion": "tessera.dev/v1alpha1", "kind": "Run", "metadata": {"name": "r"},
                 "spec": {"typo": 1, "parameters": {"anything": {"goes": true}},
                          "labels": {"a": "b"},
                          "steps": [{"goto": "x", "click": "y"}],
                          "template": {"apiVersion": "v1", "kind": "Pod", "metadata": {}, "spec": {}, "bad": 1}},
                 "extra": true}
                """);
    assertThat(StructuralSchema.defaultAndPrune(run, SCHEMA))
        .containsExactly("spec.typo", "spec.steps[0].click", "spec.template.bad", "extra");
    assertThat(run.path("spec").path("parameters").path("anything").path("goes").asBoolean())
        .isTrue();
    assertThat(run.path("spec").path("labels").path("a").asText()).isEqualTo("b");
    assertThat(run.path("spec").path("template").path("kind").asText()).isEqualTo("Pod");
    assertThat(run.path("metadata").path("name").asText()).isEqualTo("r");
    assertThat(run.has("extra")).isFalse();
  }
}

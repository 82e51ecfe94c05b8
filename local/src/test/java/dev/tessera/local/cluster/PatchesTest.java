package dev.tessera.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class PatchesTest {

  @Test
  void mergePatchFollowsRfc7386() {
    JsonNode target =
        Json.parse("{\"a\": \"b\", \"c\": {\"d\": \"e\", \"f\": \"g\"}, \"list\": [1, 2, 3]}");
    JsonNode patch = Json.parse("{\"a\": \"z\", \"c\": {\"f\": null}, \"list\": [4]}");
    assertThat(Patches.merge(target, patch))
        .isEqualTo(Json.parse("{\"a\": \"z\", \"c\": {\"d\": \"e\"}, \"list\": [4]}"));
    assertThat(Patches.merge(target, Json.parse("[1]"))).isEqualTo(Json.parse("[1]"));
  }

  @Test
  void strategicMergeMergesContainersAndEnvByName() {
    JsonNode pod =
        Json.parse(
            """
            {"spec": {"containers": [
              {"name": "main", "image": "a:1", "env": [{"name": "X", "value": "1"}, {"name": "Y", "value": "2"}]},
              {"name": "sidecar", "image": "s:1"}]}}
            """);
    JsonNode patch =
        Json.parse(
            """
            {"spec": {"$setElementOrder/containers": [{"name": "main"}, {"name": "sidecar"}],
              "containers": [{"name": "main", "image": "a:2", "env": [{"name": "Y", "value": "3"}]}]}}
            """);
    JsonNode merged = Patches.strategicMerge(pod, patch);
    assertThat(merged.path("spec").path("containers")).hasSize(2);
    JsonNode main = merged.path("spec").path("containers").get(0);
    assertThat(main.path("image").asText()).isEqualTo("a:2");
    assertThat(main.path("env").findValuesAsText("value")).containsExactly("1", "3");
    assertThat(merged.path("spec").has("$setElementOrder/containers")).isFalse();
  }

  @Test
  void strategicMergeHonoursDirectives() {
    JsonNode target =
        Json.parse(
            """
            {"metadata": {"finalizers": ["a"]},
             "spec": {"volumes": [{"name": "x", "emptyDir": {}}, {"name": "y", "emptyDir": {}}],
                      "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}},
                      "args": ["-v", "-q"]}}
            """);
    JsonNode patch =
        Json.parse(
            """
            {"metadata": {"finalizers": ["b"]},
             "spec": {"volumes": [{"name": "x", "$patch": "delete"}],
                      "strategy": {"$retainKeys": ["type"], "type": "Recreate"},
                      "$deleteFromPrimitiveList/args": ["-q"]}}
            """);
    JsonNode merged = Patches.strategicMerge(target, patch);
    assertThat(merged.path("metadata").path("finalizers").toString()).isEqualTo("[\"a\",\"b\"]");
    assertThat(merged.path("spec").path("volumes").findValuesAsText("name")).containsExactly("y");
    assertThat(merged.path("spec").path("strategy"))
        .isEqualTo(Json.parse("{\"type\": \"Recreate\"}"));
    assertThat(merged.path("spec").path("args").toString()).isEqualTo("[\"-v\"]");
  }

  @Test
  void strategicPatchesOfCustomResourcesLoseTheirDirectives() {
    JsonNode patch =
        Json.parse(
            "{\"spec\": {\"$retainKeys\": [\"a\"], \"list\": [{\"$patch\": \"replace\"}, 1]}}");
    assertThat(Patches.withoutDirectives(patch))
        .isEqualTo(Json.parse("{\"spec\": {\"list\": [1]}}"));
  }
}

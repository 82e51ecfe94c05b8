package dev.tessera.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TableConverterTest {
  static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

  @ParameterizedTest
  @CsvSource({
    "0, 0s",
    "59, 59s",
    "119, 119s",
    "120, 2m",
    "185, 3m5s",
    "600, 10m",
    "10799, 179m",
    "10800, 3h",
    "12600, 3h30m",
    "172800, 2d",
    "180000, 2d2h",
    "864000, 10d",
    "63072000, 2y",
    "-5, <invalid>"
  })
  void printsAgesTheWayKubectlDoes(long seconds, String expected) {
    assertThat(TableConverter.humanDuration(Duration.ofSeconds(seconds))).isEqualTo(expected);
  }

  @Test
  void customResourcesGetTheirPrinterColumns() {
    ApiResourceType jobs =
        ApiCatalog.of(
                List.of(
                    Json.parse(
                        """
                        {"spec": {"group": "tessera.dev", "scope": "Namespaced",
                          "names": {"kind": "Job", "plural": "jobs"},
                          "versions": [{"name": "v1alpha1", "served": true,
                            "additionalPrinterColumns": [
                              {"name": "Schedule", "type": "string", "jsonPath": ".spec.schedule"},
                              {"name": "Suspend", "type": "boolean", "jsonPath": ".spec.suspend"},
                              {"name": "Ready", "type": "string",
                               "jsonPath": ".status.conditions[?(@.type==\\"Ready\\")].status"},
                              {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"}]}]}}
                        """)))
            .find("tessera.dev", "v1alpha1", "jobs")
            .orElseThrow();
    JsonNode list =
        Json.parse(
            """
            {"kind": "List", "metadata": {"resourceVersion": "7"}, "items": [
              {"metadata": {"name": "daily", "creationTimestamp": "2025-01-01T11:55:00Z"},
               "spec": {"schedule": "0 6 * * *", "suspend": false},
               "status": {"conditions": [{"type": "Ready", "status": "True"}]}}]}
            """);
    JsonNode table = new TableConverter(NOW).convert(list, jobs, null);
    assertThat(table.path("columnDefinitions").findValuesAsText("name"))
        .containsExactly("Name", "Schedule", "Suspend", "Ready", "Age");
    assertThat(table.path("rows").get(0).path("cells").toString())
        .isEqualTo("[\"daily\",\"0 6 * * *\",false,\"True\",\"5m\"]");
    assertThat(table.path("rows").get(0).path("object").path("kind").asText())
        .isEqualTo("PartialObjectMetadata");
    assertThat(table.path("metadata").path("resourceVersion").asText()).isEqualTo("7");
  }

  @Test
  void podsShowReadinessAndTheContainerReason() {
    JsonNode pod =
        Json.parse(
            """
            {"kind": "Pod", "metadata": {"name": "p", "creationTimestamp": "2025-01-01T11:59:00Z"},
             "spec": {"containers": [{"name": "runner"}]},
             "status": {"phase": "Failed", "containerStatuses": [{"ready": false, "restartCount": 0,
               "state": {"terminated": {"exitCode": 3, "reason": "Error"}}}]}}
            """);
    JsonNode table = new TableConverter(NOW).convert(pod, null, "None");
    assertThat(table.path("columnDefinitions").findValuesAsText("name"))
        .containsExactly("Name", "Ready", "Status", "Restarts", "Age", "IP", "Node");
    assertThat(table.path("rows").get(0).path("cells").toString())
        .startsWith("[\"p\",\"0/1\",\"Error\",0,\"60s\"");
    assertThat(table.path("rows").get(0).has("object")).isFalse();
  }
}

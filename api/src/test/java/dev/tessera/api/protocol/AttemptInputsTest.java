package dev.tessera.api.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tessera.api.v1alpha1.Project;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Attempt inputs carry what their operation needs, and survive the trip to the runner. */
class AttemptInputsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Project demoProject() throws IOException {
    Path file = Path.of("").toAbsolutePath().getParent().resolve("examples/demo/project.yaml");
    return new YAMLMapper().readValue(file.toFile(), Project.class);
  }

  @Test
  void apiAttemptCarriesStateAndCheckButNoCredentials() throws IOException {
    JsonNode state = JSON.readTree("{\"cookies\":[],\"origins\":[]}");
    AttemptInput.Api input =
        AttemptInputs.api(
            "ns/run",
            1,
            demoProject().getSpec(),
            "invoices",
            JSON.readTree("{\"page\":2}"),
            true,
            3,
            state,
            null);
    assertThat(input.operation()).isEqualTo(Operation.API);
    assertThat(JSON.readTree(ProtocolJson.write(input)).has("credentials")).isFalse();
    assertThat(input.check()).isNotNull();
    assertThat(input.checkAttempts()).isEqualTo(3);
    assertThat(input.storageState()).isEqualTo(state);
    assertThat(input.parameters().get("page").asInt()).isEqualTo(2);
    assertThat(input.parameters().get("baseUrl").asText()).isEqualTo("http://127.0.0.1:8088");
    assertThat(input.browser().viewportWidth()).isEqualTo(1280);
    assertThat(input.stepTimeoutSeconds()).isEqualTo(15);
  }

  @Test
  void createCarriesCredentialsAndNoState() throws IOException {
    AttemptInput.Create input =
        AttemptInputs.create(
            "ns/run",
            1,
            demoProject().getSpec(),
            null,
            Map.of("username", "alice", "password", "pw"),
            3,
            2,
            null);
    assertThat(input.operation()).isEqualTo(Operation.CREATE);
    assertThat(input.storageState()).isNull();
    assertThat(input.credentials()).containsEntry("username", "alice");
    assertThat(input.toString()).doesNotContain("pw");
  }

  @Test
  void unknownApiIsRefused() {
    assertThatThrownBy(
            () ->
                AttemptInputs.api(
                    "ns/run", 1, demoProject().getSpec(), "nope", null, false, 1, null, null))
        .hasMessageContaining("nope");
  }

  @Test
  void runParametersWinAndObjectsMergeKeyByKey() throws IOException {
    JsonNode merged =
        AttemptInputs.mergeParameters(
            JSON.readTree("{\"a\":1,\"o\":{\"x\":1,\"y\":2},\"l\":[1]}"),
            JSON.readTree("{\"b\":2,\"o\":{\"y\":3},\"l\":[2]}"));
    assertThat(merged)
        .isEqualTo(JSON.readTree("{\"a\":1,\"o\":{\"x\":1,\"y\":3},\"l\":[2],\"b\":2}"));
  }

  @Test
  void inputRoundTripsThroughTheProtocolAndRefusesOtherVersions() throws IOException {
    AttemptInput input =
        AttemptInputs.check(
            "ns/run", 2, demoProject().getSpec(), null, 3, JSON.readTree("{}"), null);
    AttemptInput read = ProtocolJson.readInput(new ByteArrayInputStream(ProtocolJson.write(input)));
    assertThat(read).isInstanceOf(AttemptInput.Check.class);
    assertThat(read.attempt()).isEqualTo(2);
    assertThat(((AttemptInput.Check) read).check().getSteps()).hasSize(1);

    String other =
        new String(ProtocolJson.write(input))
            .replace(AttemptInput.API_VERSION, "runner.tessera.dev/v9");
    assertThatThrownBy(() -> ProtocolJson.readInput(new ByteArrayInputStream(other.getBytes())))
        .hasMessageContaining("runner.tessera.dev/v9");
  }

  @Test
  void theWireFormatNamesTheOperationBesideTheVersion() throws IOException {
    JsonNode written =
        JSON.readTree(
            ProtocolJson.write(
                AttemptInputs.check(
                    "ns/run", 2, demoProject().getSpec(), null, 3, JSON.readTree("{}"), null)));
    assertThat(written.get("apiVersion").asText()).isEqualTo(AttemptInput.API_VERSION);
    assertThat(written.get("kind").asText()).isEqualTo(AttemptInput.KIND);
    assertThat(written.get("operation").asText()).isEqualTo("CHECK");
    assertThat(written.has("api")).isFalse();
    assertThat(written.has("credentials")).isFalse();
  }

  @Test
  void aFieldItsOperationDoesNotHaveIsRefusedOnReading() throws IOException {
    ObjectNode check =
        (ObjectNode)
            JSON.readTree(
                ProtocolJson.write(
                    AttemptInputs.check(
                        "ns/run", 1, demoProject().getSpec(), null, 3, JSON.readTree("{}"), null)));
    check.putObject("credentials").put("password", "pw");
    assertThatThrownBy(() -> read(check)).hasMessageContaining("credentials");
  }

  @Test
  void anInputItsOperationCannotRunCannotBeBuiltOrRead() throws IOException {
    ObjectNode check =
        (ObjectNode)
            JSON.readTree(
                ProtocolJson.write(
                    AttemptInputs.check(
                        "ns/run", 1, demoProject().getSpec(), null, 3, JSON.readTree("{}"), null)));
    check.remove("storageState");
    assertThatThrownBy(() -> read(check)).hasMessageContaining("a CHECK needs storageState");
    check.put("storageState", "[]").put("operation", "API");
    assertThatThrownBy(() -> read(check)).hasMessageContaining("an API Attempt needs api");
    assertThatThrownBy(
            () ->
                new AttemptInput.Create(
                    "ns/run", 1, null, 0, null, null, null, null, null, null, null, null, null))
        .hasMessage("a CREATE needs create");
    ObjectNode withoutOperation = check.deepCopy();
    withoutOperation.remove("operation");
    assertThatThrownBy(() -> read(withoutOperation)).hasMessageContaining("no operation");
  }

  private static AttemptInput read(JsonNode document) throws IOException {
    return ProtocolJson.readInput(new ByteArrayInputStream(JSON.writeValueAsBytes(document)));
  }
}

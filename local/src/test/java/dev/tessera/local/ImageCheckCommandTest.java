package dev.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.api.protocol.Artifact;
import dev.tessera.api.protocol.AttemptResult;
import dev.tessera.api.protocol.ErrorCode;
import dev.tessera.api.protocol.Outcome;
import dev.tessera.api.protocol.RunnerError;
import dev.tessera.api.protocol.Timings;
import dev.tessera.api.protocol.Validation;
import dev.tessera.api.protocol.ValidationOutcome;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageCheckCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String INVOICES =
      """
      {"invoices": [
         {"number": "INV-1011", "date": "2024-02-01", "customer": "Acme", "amount": "120.00",
          "status": "paid"},
         {"number": "INV-1012", "date": "2024-02-03", "customer": "Globex", "amount": "80.50",
          "status": "open"}],
       "pageInfo": "Page 2 of 3"}
      """;

  private static final String STATE =
      """
      {"cookies": [{"name": "demo_session", "value": "%s", "domain": "127.0.0.1", "path": "/"}],
       "origins": [{"origin": "http://127.0.0.1:8088",
                    "localStorage": [{"name": "reportsToken", "value": "%s"}]}]}
      """;

  @Test
  void theSameAnswersHaveNoDifferences() {
    assertThat(ImageCheckCommand.differences("invoices", api(INVOICES), api(INVOICES))).isEmpty();
  }

  @Test
  void timingsLogsAndErrorWordingDoNotCount() {
    var local =
        execution(
            result(
                Outcome.DEPENDENCY_FAILED,
                new Validation(1, 0, ValidationOutcome.Invalid),
                json("false"),
                null,
                new RunnerError(
                    ErrorCode.CheckAttemptsFailed, "answered 401 in 12 ms", false, "s1"),
                1200),
            "a log");
    var container =
        execution(
            result(
                Outcome.DEPENDENCY_FAILED,
                new Validation(1, 0, ValidationOutcome.Invalid),
                json("false"),
                null,
                new RunnerError(
                    ErrorCode.CheckAttemptsFailed, "answered 401 in 30 ms", false, "s1"),
                640),
            "another log");

    assertThat(ImageCheckCommand.differences("check", local, container)).isEmpty();
  }

  @Test
  void aChangedFieldOfARecordIsNamedByItsPathWithBothValues() {
    var container = api(INVOICES.replace("\"80.50\"", "\"80.05\""));

    assertThat(ImageCheckCommand.differences("invoices", api(INVOICES), container))
        .containsExactly(
            "invoices: result $.invoices[1].amount: local \"80.50\", container \"80.05\"");
  }

  @Test
  void aMissingRecordAndAMissingFieldAreDifferences() {
    JsonNode fewer = json(INVOICES);
    ((ArrayNode) fewer.get("invoices")).remove(1);
    ((ObjectNode) fewer).remove("pageInfo");

    assertThat(ImageCheckCommand.differences("invoices", api(INVOICES), api(fewer.toString())))
        .containsExactly(
            "invoices: result $.invoices: local has 2 item(s), container 1",
            "invoices: result $.pageInfo: local \"Page 2 of 3\", container absent");
  }

  @Test
  void anotherOutcomeValidationOrErrorCodeIsADifference() {
    var container =
        execution(
            result(
                Outcome.FAILED,
                new Validation(1, 0, ValidationOutcome.Valid),
                null,
                null,
                new RunnerError(ErrorCode.SelectorNotFound, "no #invoices", true, "step 2"),
                900),
            "");

    assertThat(ImageCheckCommand.differences("invoices", api(INVOICES), container))
        .contains(
            "invoices: outcome: local SUCCEEDED, container FAILED",
            "invoices: error code: local null, container SelectorNotFound")
        .anyMatch(d -> d.startsWith("invoices: result $: local {\"invoices\""));

    var invalid =
        execution(
            result(
                Outcome.SUCCEEDED,
                new Validation(3, 1, ValidationOutcome.Created),
                json(INVOICES),
                null,
                null,
                900),
            "");
    assertThat(ImageCheckCommand.differences("invoices", api(INVOICES), invalid))
        .containsExactly(
            "invoices: validation: local Validation[checks=1, creates=0, outcome=Valid],"
                + " container Validation[checks=3, creates=1, outcome=Created]");
  }

  @Test
  void storageStatesCountByTheirCookiesAndKeysNotTheirValues() {
    var local = create(json(STATE.formatted("abc", "t1")));
    var sameKeys = create(json(STATE.formatted("xyz", "t2")));
    var otherCookie = create(json(STATE.formatted("xyz", "t2").replace("demo_session", "sid")));
    var none = create(null);

    assertThat(ImageCheckCommand.differences("create", local, sameKeys)).isEmpty();
    assertThat(ImageCheckCommand.differences("create", local, otherCookie))
        .containsExactly(
            "create: storage state cookies: only local [demo_session (127.0.0.1/)],"
                + " only container [sid (127.0.0.1/)]");
    assertThat(ImageCheckCommand.differences("create", local, none))
        .containsExactly("create: storage state: the local runner made one, the container none");
  }

  @Test
  void aContainerWithoutAResultIsADifference() {
    var crashed = new RunnerProcess.Execution(null, 125, "Error: image not known");

    assertThat(ImageCheckCommand.differences("create", api(INVOICES), crashed))
        .containsExactly("create: the container delivered no result (exit code 125)");
    assertThat(ImageCheckCommand.differences("create", crashed, crashed))
        .containsExactly("create: neither side delivered a result");
  }

  @Test
  void artifactsCountByName() {
    AttemptResult shot =
        new AttemptResult(
            "runner.tessera.dev/v1",
            AttemptResult.KIND,
            Outcome.SUCCEEDED,
            new Validation(1, 0, ValidationOutcome.Valid),
            json(INVOICES),
            null,
            null,
            List.of(new Artifact("page", "page.png", "image/png", 1234)),
            null);

    assertThat(ImageCheckCommand.differences("invoices", api(INVOICES), execution(shot, "")))
        .containsExactly("invoices: artifacts: local [], container [page]");
  }

  @Test
  void aResultHoldsRecordsWhenOneOfItsFieldsIsANonEmptyList() {
    assertThat(ImageCheckCommand.holdsRecords(json(INVOICES))).isTrue();
    assertThat(ImageCheckCommand.holdsRecords(json("{\"invoices\": [], \"pageInfo\": \"x\"}")))
        .isFalse();
    assertThat(ImageCheckCommand.holdsRecords(json("true"))).isFalse();
    assertThat(ImageCheckCommand.holdsRecords(null)).isFalse();
  }

  @Test
  void theContainerRunsAsARunnerPodDoes() {
    List<String> command =
        new RunnerContainer("podman", "ghcr.io/tessera-dev/tessera-runner:0.1.0")
            .command("c1", Path.of("/work/in.json"), Path.of("/work/out"), "result.json");

    assertThat(String.join(" ", command))
        .startsWith("podman run --rm --pull=never --name c1 ")
        .contains(" --user 65532:65532 ", " --read-only ", " --tmpfs /tmp:rw,mode=1777 ")
        .contains(" --cap-drop=ALL ", " --security-opt=no-new-privileges ", " --network=host ")
        .contains(" -v /work/in.json:/var/run/tessera/input/attempt.json:ro ")
        .contains(" -e TESSERA_INPUT=/var/run/tessera/input/attempt.json ")
        .contains(" -e TESSERA_OUTPUT=/var/run/tessera/output/result.json ")
        .endsWith(" ghcr.io/tessera-dev/tessera-runner:0.1.0");
  }

  private static RunnerProcess.Execution api(String records) {
    return execution(
        result(
            Outcome.SUCCEEDED,
            new Validation(1, 0, ValidationOutcome.Valid),
            json(records),
            null,
            null,
            1500),
        "");
  }

  private static RunnerProcess.Execution create(JsonNode state) {
    return execution(
        result(
            Outcome.SUCCEEDED,
            new Validation(1, 1, ValidationOutcome.Created),
            null,
            state,
            null,
            2000),
        "");
  }

  private static AttemptResult result(
      Outcome outcome,
      Validation validation,
      JsonNode result,
      JsonNode state,
      RunnerError error,
      long finishedMs) {
    return AttemptResult.of(
        outcome, validation, result, state, error, null, new Timings(100L, 200L, finishedMs));
  }

  private static RunnerProcess.Execution execution(AttemptResult result, String log) {
    return new RunnerProcess.Execution(result, 0, log);
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}

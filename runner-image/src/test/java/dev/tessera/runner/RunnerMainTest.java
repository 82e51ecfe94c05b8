package dev.tessera.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.api.protocol.AttemptInput;
import dev.tessera.api.protocol.AttemptResult;
import dev.tessera.api.protocol.ErrorCode;
import dev.tessera.api.protocol.Outcome;
import dev.tessera.api.protocol.ProtocolJson;
import dev.tessera.api.v1alpha1.ApiDefinition;
import dev.tessera.api.v1alpha1.step.Request;
import dev.tessera.api.v1alpha1.step.Step;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's command line, without a browser: the cases that end before one starts. */
class RunnerMainTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  @Test
  void anUnreadableInputYieldsAnInvalidInputResult() throws Exception {
    Path input = Files.writeString(dir.resolve("in.json"), "{\"apiVersion\": \"v0\"");

    int status = run("--input", input.toString());

    assertThat(status).isZero();
    AttemptResult result = ProtocolJson.readResult(stdout.toByteArray());
    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.error().code()).isEqualTo(ErrorCode.InvalidInput);
    assertThat(result.error().retriable()).isFalse();
  }

  @Test
  void aStepWithTwoActionsIsRefusedAsItIsRead() throws Exception {
    String json =
        new String(ProtocolJson.write(createInput()), StandardCharsets.UTF_8)
            .replace(
                "{\"request\":{\"url\":\"http://127.0.0.1:9/\"}}",
                "{\"goto\":\"http://127.0.0.1:9/\",\"click\":{\"selector\":\"#b\"}}");
    assertThat(json).contains("\"click\"");
    Path input = Files.writeString(dir.resolve("in.json"), json);

    run("--input", input.toString());

    AttemptResult result = ProtocolJson.readResult(stdout.toByteArray());
    assertThat(result.error().code()).isEqualTo(ErrorCode.InvalidInput);
    assertThat(result.error().message())
        .contains("a step has exactly one action", "this one has [goto, click]");
  }

  @Test
  void anInputItsOperationCannotRunYieldsAnInvalidInputResult() throws Exception {
    ObjectNode check = (ObjectNode) new ObjectMapper().readTree(ProtocolJson.write(createInput()));
    check.put("operation", "CHECK").remove(List.of("create", "createAttempts", "credentials"));
    Path input = Files.writeString(dir.resolve("in.json"), check.toString());

    run("--input", input.toString());

    AttemptResult result = ProtocolJson.readResult(stdout.toByteArray());
    assertThat(result.error().code()).isEqualTo(ErrorCode.InvalidInput);
    assertThat(result.error().message()).contains("a CHECK needs storageState");
  }

  @Test
  void anInputOfAnotherVersionIsRefused() throws Exception {
    Path input =
        Files.writeString(
            dir.resolve("in.json"),
            "{\"apiVersion\":\"runner.tessera.dev/v2\",\"kind\":\"AttemptInput\",\"attempt\":1}");

    run("--input", input.toString());

    AttemptResult result = ProtocolJson.readResult(stdout.toByteArray());
    assertThat(result.error().code()).isEqualTo(ErrorCode.InvalidInput);
    assertThat(result.error().message()).contains("runner.tessera.dev/v2");
  }

  @Test
  void aMissingChromiumFailsTheAttemptWithoutTouchingTheSecretInTheLogs() throws Exception {
    Path input = Files.write(dir.resolve("in.json"), ProtocolJson.write(createInput()));
    Path output = dir.resolve("out/result.json");
    Path termination = dir.resolve("termination-log");

    int status =
        run(
            "--input",
            input.toString(),
            "--output",
            output.toString(),
            "--chromium",
            dir.resolve("no-chromium").toString(),
            "--termination-log",
            termination.toString());

    assertThat(status).isZero();
    AttemptResult result = ProtocolJson.readResult(Files.readAllBytes(output));
    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.error().code()).isEqualTo(ErrorCode.BrowserLaunchFailed);
    assertThat(result.error().message()).contains("no Chromium executable");
    assertThat(Files.readString(termination))
        .isEqualTo("outcome=FAILED code=BrowserLaunchFailed\n");
    assertThat(stdout.size()).isZero();
    assertThat(stderr.toString(StandardCharsets.UTF_8))
        .contains("operation=CREATE")
        .doesNotContain("open-sesame");
  }

  @Test
  void aResultThatCannotBeWrittenExitsNonZero() throws Exception {
    Path input = Files.writeString(dir.resolve("in.json"), "not json");
    Path blocker = Files.writeString(dir.resolve("file"), "");

    int status = run("--input", input.toString(), "--output", blocker + "/result.json");

    assertThat(status).isEqualTo(RunnerMain.EXIT_UNDELIVERED);
    assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("could not be delivered");
  }

  @Test
  void badUsageExitsWithTwo() {
    assertThat(run()).isEqualTo(RunnerMain.EXIT_USAGE);
    assertThat(run("--inptu", "x")).isEqualTo(RunnerMain.EXIT_USAGE);
    assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("usage: java -jar");
    assertThat(stdout.size()).isZero();
  }

  /** Runs the runner; without a Chromium unless the arguments name one. */
  private int run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (args.length > 0 && !all.contains("--chromium")) {
      all.addAll(List.of("--chromium", dir.resolve("no-chromium").toString()));
    }
    return RunnerMain.run(
        all.toArray(String[]::new),
        Map.of(),
        new ByteArrayInputStream(new byte[0]),
        stdout,
        new PrintStream(stderr, true, StandardCharsets.UTF_8));
  }

  private static AttemptInput createInput() {
    ApiDefinition api = new ApiDefinition();
    api.setSteps(List.of(Step.of(Request.get("http://127.0.0.1:9/"))));
    return new AttemptInput.Create(
        "ns/run",
        1,
        api,
        1,
        api,
        1,
        Map.of("password", "open-sesame"),
        null,
        null,
        null,
        null,
        null,
        null);
  }
}

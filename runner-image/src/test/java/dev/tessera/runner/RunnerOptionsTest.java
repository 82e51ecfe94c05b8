package dev.tessera.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunnerOptionsTest {
  private static final Path TMP = Path.of("/tmp/artifacts");

  @Test
  void everyOptionComesFromItsEnvironmentVariable() throws Exception {
    RunnerOptions options =
        RunnerOptions.parse(
            new String[0],
            Map.of(
                "TESSERA_INPUT", "/in.json",
                "TESSERA_OUTPUT", "/out.json",
                "TESSERA_ARTIFACTS", "/art",
                "TESSERA_CHROMIUM", "/opt/chromium",
                "TESSERA_PLUGINS", "/plugins",
                "TESSERA_TERMINATION_LOG", "/dev/termination-log"),
            TMP);

    assertThat(options)
        .isEqualTo(
            new RunnerOptions(
                Path.of("/in.json"),
                Path.of("/out.json"),
                Path.of("/art"),
                Path.of("/opt/chromium"),
                Path.of("/plugins"),
                Path.of("/dev/termination-log"),
                null));
  }

  @Test
  void resultsEndpointNeedsTokenNamespaceAndPod() throws Exception {
    Map<String, String> pod =
        Map.of(
            "TESSERA_INPUT", "/in.json",
            "TESSERA_RESULTS_URL", "http://operator:8081",
            "TESSERA_RESULTS_TOKEN_FILE", "/var/run/tessera/input/token",
            "TESSERA_ATTEMPT_NAMESPACE", "team-a",
            "TESSERA_ATTEMPT_POD", "run-a1");
    RunnerOptions options = RunnerOptions.parse(new String[0], pod, TMP);
    assertThat(options.results())
        .isEqualTo(
            new RunnerOptions.Results(
                java.net.URI.create("http://operator:8081"),
                Path.of("/var/run/tessera/input/token"),
                "team-a",
                "run-a1"));
    Map<String, String> withoutPod = new java.util.HashMap<>(pod);
    withoutPod.remove("TESSERA_ATTEMPT_POD");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> RunnerOptions.parse(new String[0], withoutPod, TMP))
        .hasMessageContaining("--attempt-pod");
  }

  @Test
  void flagsWinOverTheEnvironment() throws Exception {
    RunnerOptions options =
        RunnerOptions.parse(
            new String[] {"--input", "/flag.json", "--chromium=/flag/chromium"},
            Map.of("TESSERA_INPUT", "/env.json", "TESSERA_CHROMIUM", "/env/chromium"),
            TMP);

    assertThat(options.input()).isEqualTo(Path.of("/flag.json"));
    assertThat(options.chromium()).isEqualTo(Path.of("/flag/chromium"));
  }

  @Test
  void defaultsAreStdoutDebianChromiumAndNoPlugins() throws Exception {
    RunnerOptions options = RunnerOptions.parse(new String[] {"--input", "-"}, Map.of(), TMP);

    assertThat(options.output()).isNull();
    assertThat(options.chromium()).isEqualTo(Path.of("/usr/lib/chromium/chromium"));
    assertThat(options.artifacts()).isEqualTo(TMP);
    assertThat(options.plugins()).isNull();
    assertThat(options.terminationLog()).isNull();
    assertThat(options.inputFromStdin()).isTrue();
  }

  @Test
  void badUsageIsRefused() {
    assertThatThrownBy(() -> RunnerOptions.parse(new String[0], Map.of(), TMP))
        .hasMessageContaining("--input (or TESSERA_INPUT) is required");
    assertThatThrownBy(() -> RunnerOptions.parse(new String[] {"--bogus", "x"}, Map.of(), TMP))
        .hasMessageContaining("unknown argument: --bogus");
    assertThatThrownBy(() -> RunnerOptions.parse(new String[] {"--input"}, Map.of(), TMP))
        .hasMessageContaining("--input needs a value");
    assertThatThrownBy(
            () -> RunnerOptions.parse(new String[] {"--input", "a", "--input", "b"}, Map.of(), TMP))
        .hasMessageContaining("given twice");
  }
}

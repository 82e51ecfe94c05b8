package dev.tessera.local;

import dev.tessera.api.protocol.AttemptInput;
import dev.tessera.api.protocol.AttemptResult;
import dev.tessera.api.protocol.ProtocolJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one Attempt with the real runner, as a separate process on this machine: the input is
 * written to a file only its owner can read, and removed as soon as the runner has exited.
 */
public final class RunnerProcess {
  /** Where the runner jar is looked for when {@code TESSERA_RUNNER_JAR} is not set. */
  public static final Path DEFAULT_JAR = Path.of("runner-image/target/tessera-runner.jar");

  private final Path runnerJar;
  private final String chromium;

  /**
   * @param runnerJar the runner's jar (with its lib/ folder beside it)
   * @param chromium the Chromium executable, or null for the runner's default
   */
  public RunnerProcess(Path runnerJar, String chromium) {
    this.runnerJar = runnerJar;
    this.chromium = chromium;
  }

  /** The runner jar named by {@code TESSERA_RUNNER_JAR}, else the one the build makes. */
  public static Path defaultJar() {
    String env = System.getenv("TESSERA_RUNNER_JAR");
    return env == null || env.isBlank() ? DEFAULT_JAR : Path.of(env);
  }

  /** What a runner process left behind: its result (when it wrote one), exit code and log. */
  public record Execution(AttemptResult result, int exitCode, String log) {}

  /** Runs the Attempt and waits for it, at most {@code timeout}. */
  public Execution run(AttemptInput input, Path workDir, Duration timeout)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(runnerJar)) {
      throw new IOException(
          "runner jar not found at "
              + runnerJar.toAbsolutePath()
              + "; build it with ./mvnw package");
    }
    Files.createDirectories(workDir);
    Path inputFile = workDir.resolve("input.json");
    Path outputFile = workDir.resolve("result.json");
    Path logFile = workDir.resolve("runner.log");
    Files.deleteIfExists(inputFile);
    Files.createFile(
        inputFile,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(inputFile, ProtocolJson.write(input));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-jar", runnerJar.toAbsolutePath().toString()));
    command.addAll(List.of("--input", inputFile.toString(), "--output", outputFile.toString()));
    command.addAll(List.of("--artifacts", workDir.resolve("artifacts").toString()));
    if (chromium != null) {
      command.addAll(List.of("--chromium", chromium));
    }
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(logFile.toFile())
            .start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } finally {
      Files.deleteIfExists(inputFile);
    }
    AttemptResult result =
        Files.exists(outputFile) ? ProtocolJson.readResult(Files.readAllBytes(outputFile)) : null;
    return new Execution(result, process.exitValue(), Files.readString(logFile));
  }
}

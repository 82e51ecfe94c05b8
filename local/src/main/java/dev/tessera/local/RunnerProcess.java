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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs one Attempt with the real runner, as a separate process: the runner jar on this machine, or
 * the runner image in a container ({@link RunnerContainer}). Both get the same input file and leave
 * the same result file; the input is removed as soon as the runner has exited.
 *
 * <p>A local runner's input is readable by its owner only. A container's user (65532) is another
 * user, so there the input is readable by all and the output directory writable by all: both sit in
 * the work directory, which only the owner can enter.
 */
public final class RunnerProcess {
  /** Where the runner jar is looked for when {@code TESSERA_RUNNER_JAR} is not set. */
  public static final Path DEFAULT_JAR = Path.of("runner-image/target/tessera-runner.jar");

  private static final String RESULT = "result.json";

  private final Path runnerJar;
  private final String chromium;
  private final RunnerContainer container;

  /**
   * A runner process on this machine.
   *
   * @param runnerJar the runner's jar (with its lib/ folder beside it)
   * @param chromium the Chromium executable, or null for the runner's default
   */
  public RunnerProcess(Path runnerJar, String chromium) {
    this(runnerJar, chromium, null);
  }

  private RunnerProcess(Path runnerJar, String chromium, RunnerContainer container) {
    this.runnerJar = runnerJar;
    this.chromium = chromium;
    this.container = container;
  }

  /** A runner in a container of the runner image. */
  public static RunnerProcess inContainer(RunnerContainer container) {
    return new RunnerProcess(null, null, container);
  }

  /** The runner jar named by {@code TESSERA_RUNNER_JAR}, else the one the build makes. */
  public static Path defaultJar() {
    String env = System.getenv("TESSERA_RUNNER_JAR");
    return env == null || env.isBlank() ? DEFAULT_JAR : Path.of(env);
  }

  /** What a runner process left behind: its result (when it wrote one), exit code and log. */
  public record Execution(AttemptResult result, int exitCode, String log) {}

  /** Runs the Attempt in {@code workDir} and waits for it, at most {@code timeout}. */
  public Execution run(AttemptInput input, Path workDir, Duration timeout)
      throws IOException, InterruptedException {
    if (container == null && !Files.isRegularFile(runnerJar)) {
      throw new IOException(
          "runner jar not found at "
              + runnerJar.toAbsolutePath()
              + "; build it with ./mvnw package");
    }
    Files.createDirectories(workDir);
    Path inputFile = workDir.resolve("input.json");
    Path outputDir = workDir.resolve("output");
    Path outputFile = outputDir.resolve(RESULT);
    Path logFile = workDir.resolve("runner.log");
    Files.deleteIfExists(inputFile);
    Files.createDirectories(outputDir);
    Files.deleteIfExists(outputFile);
    Files.createFile(
        inputFile,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(inputFile, ProtocolJson.write(input));
    String name = "tessera-runner-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    List<String> command;
    if (container == null) {
      command = localCommand(inputFile, outputFile, workDir.resolve("artifacts"));
    } else {
      Files.setPosixFilePermissions(inputFile, PosixFilePermissions.fromString("r--r--r--"));
      Files.setPosixFilePermissions(outputDir, PosixFilePermissions.fromString("rwxrwxrwx"));
      command = container.command(name, inputFile, outputDir, RESULT);
    }
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile());
    if (container == null && System.getenv("PLAYWRIGHT_DRIVER_DIR") == null) {
      PlaywrightDriver.extractedFor(runnerJar, javaExecutable())
          .ifPresent(dir -> builder.environment().put("PLAYWRIGHT_DRIVER_DIR", dir.toString()));
    }
    Process process = builder.start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        if (container != null) {
          new ProcessBuilder(container.killCommand(name))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .start()
              .waitFor(30, TimeUnit.SECONDS);
        }
        process.destroyForcibly().waitFor();
      }
    } finally {
      Files.deleteIfExists(inputFile);
    }
    AttemptResult result =
        Files.exists(outputFile) ? ProtocolJson.readResult(Files.readAllBytes(outputFile)) : null;
    return new Execution(result, process.exitValue(), Files.readString(logFile));
  }

  private List<String> localCommand(Path inputFile, Path outputFile, Path artifacts) {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.addAll(List.of("-jar", runnerJar.toAbsolutePath().toString()));
    command.addAll(List.of("--input", inputFile.toString(), "--output", outputFile.toString()));
    command.addAll(List.of("--artifacts", artifacts.toString()));
    if (chromium != null) {
      command.addAll(List.of("--chromium", chromium));
    }
    return command;
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}

package dev.tessera.runner.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.api.protocol.AttemptInput;
import dev.tessera.api.protocol.AttemptResult;
import dev.tessera.api.protocol.ProtocolJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the packaged runner ({@code target/tessera-runner.jar}) as a separate process, the way a
 * runner Pod does, and reads back its result.
 */
public final class RunnerProcess {
  private static final Path MODULE = moduleDir();
  private static final Path WORK = MODULE.resolve("target/runner-work");

  private Path driverDir;
  private Path plugins;
  private boolean terminationLog;
  private boolean resultOnStdout;
  private List<String> jvmOptions = List.of();

  private RunnerProcess() {}

  /** A run with Playwright's default driver extraction and no plugins. */
  public static RunnerProcess runner() {
    return new RunnerProcess();
  }

  /** Uses a pre-extracted Playwright driver, as the runner image does. */
  public RunnerProcess withPreExtractedDriver() {
    this.driverDir = preExtractedDriver();
    return this;
  }

  /** Loads Java APIs from this directory. */
  public RunnerProcess withPlugins(Path dir) {
    this.plugins = dir;
    return this;
  }

  /** Starts the runner's JVM with these options. */
  public RunnerProcess withJvmOptions(List<String> options) {
    this.jvmOptions = List.copyOf(options);
    return this;
  }

  /** Lets the result go to stdout (no {@code --output}), which then must hold nothing else. */
  public RunnerProcess withResultOnStdout() {
    this.resultOnStdout = true;
    return this;
  }

  /** Asks for a termination-message file. */
  public RunnerProcess withTerminationLog() {
    this.terminationLog = true;
    return this;
  }

  /** What one runner process did. */
  public record Run(
      int exitCode,
      AttemptResult result,
      String output,
      String stderr,
      String terminationMessage,
      Path artifacts,
      long wallMillis) {

    /** Everything the process printed, for assertion messages. */
    public String describe() {
      return "exit " + exitCode + "\n--- result ---\n" + output + "\n--- stderr ---\n" + stderr;
    }

    /** The storage state the run returned. */
    public JsonNode storageState() {
      return result.storageState();
    }
  }

  /** Runs the runner on this input and waits for it (at most two minutes). */
  public Run run(AttemptInput input) {
    return start(input, Map.of()).await();
  }

  /** A runner process that was started and may still run. */
  public final class Started {
    private final Process process;
    private final Path out;
    private final Path err;
    private final Path term;
    private final Path artifacts;
    private final long start;

    private Started(Process process, Path out, Path err, Path term, Path artifacts, long start) {
      this.process = process;
      this.out = out;
      this.err = err;
      this.term = term;
      this.artifacts = artifacts;
      this.start = start;
    }

    /** What the runner has written to stderr so far. */
    public String stderr() {
      try {
        return Files.readString(err);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Waits for the process to end (at most two minutes) and returns what it did. */
    public Run await() {
      try {
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
          process.destroyForcibly();
          throw new AssertionError(
              "the runner did not finish within two minutes\n" + Files.readString(err));
        }
        long wall = (System.nanoTime() - start) / 1_000_000;
        String output = Files.exists(out) ? Files.readString(out) : "";
        String stderr = Files.readString(err);
        AttemptResult result =
            output.isEmpty()
                ? null
                : ProtocolJson.readResult(output.getBytes(StandardCharsets.UTF_8));
        String message = Files.exists(term) ? Files.readString(term).strip() : null;
        return new Run(process.exitValue(), result, output, stderr, message, artifacts, wall);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Starts the runner on this input, with more environment variables, without waiting. */
  public Started start(AttemptInput input, Map<String, String> extraEnv) {
    try {
      Files.createDirectories(WORK);
      Path dir = Files.createTempDirectory(WORK, "attempt-");
      Path in = dir.resolve("input.json");
      Path out = dir.resolve("result.json");
      Path err = dir.resolve("stderr.log");
      Path term = dir.resolve("termination-log");
      Path artifacts = dir.resolve("artifacts");
      Files.write(in, ProtocolJson.write(input));
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(jvmOptions);
      command.addAll(List.of("-jar", runnerJar().toString()));
      command.addAll(List.of("--input", in.toString()));
      if (!resultOnStdout) {
        command.addAll(List.of("--output", out.toString()));
      }
      command.addAll(List.of("--artifacts", artifacts.toString()));
      command.addAll(List.of("--chromium", chromium().toString()));
      if (plugins != null) {
        command.addAll(List.of("--plugins", plugins.toString()));
      }
      if (terminationLog) {
        command.addAll(List.of("--termination-log", term.toString()));
      }
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectOutput(
                  resultOnStdout
                      ? ProcessBuilder.Redirect.to(out.toFile())
                      : ProcessBuilder.Redirect.DISCARD)
              .redirectError(err.toFile());
      Map<String, String> env = builder.environment();
      env.keySet().removeIf(k -> k.startsWith("TESSERA_") || k.startsWith("PLAYWRIGHT_"));
      if (driverDir != null) {
        env.put("PLAYWRIGHT_DRIVER_DIR", driverDir.toString());
      }
      env.putAll(extraEnv);
      long start = System.nanoTime();
      return new Started(builder.start(), out, err, term, artifacts, start);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The packaged runner. */
  public static Path runnerJar() {
    Path jar = MODULE.resolve("target/tessera-runner.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run ./mvnw -pl runner-image package");
    }
    return jar;
  }

  /** The Chromium the build names ({@code tessera.chromium}), else Debian's. */
  public static Path chromium() {
    return Path.of(System.getProperty("tessera.chromium", "/usr/lib/chromium/chromium"));
  }

  /** The runner module's directory. */
  public static Path moduleDirectory() {
    return MODULE;
  }

  /** The test classes, used as a plugin directory of Java APIs. */
  public static Path testClasses() {
    return MODULE.resolve("target/test-classes");
  }

  /**
   * A Playwright driver extracted once into {@code target/}, as the image's build does, with the
   * same command ({@code com.microsoft.playwright.CLI install-driver}).
   */
  public static synchronized Path preExtractedDriver() {
    Path lib = MODULE.resolve("target/lib");
    try (Stream<Path> jars = Files.list(lib)) {
      String driverJar =
          jars.map(p -> p.getFileName().toString())
              .filter(n -> n.startsWith("driver-") && !n.startsWith("driver-bundle"))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no Playwright driver jar in " + lib));
      Path dir = MODULE.resolve("target/playwright-" + driverJar.replace(".jar", ""));
      if (Files.isRegularFile(dir.resolve("package/cli.js"))) {
        return dir;
      }
      // Extracted next to the target and renamed into place, so that test JVMs running in
      // parallel never see half a driver.
      Path tmp = Files.createTempDirectory(dir.getParent(), "playwright-driver-");
      Process process =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  lib.resolve("*").toString(),
                  "com.microsoft.playwright.CLI",
                  "install-driver",
                  tmp.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IllegalStateException("install-driver failed for " + tmp);
      }
      try {
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException lostTheRace) {
        if (!Files.isRegularFile(dir.resolve("package/cli.js"))) {
          throw lostTheRace;
        }
        deleteTree(tmp);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static Path moduleDir() {
    Path cwd = Path.of("").toAbsolutePath();
    return Files.isDirectory(cwd.resolve("runner-image")) ? cwd.resolve("runner-image") : cwd;
  }
}

package dev.tessera.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How local mode starts a runner: as the runner image's entrypoint does, with its JVM options and a
 * class-data-sharing archive of the classes an Attempt loads, recorded once per runner jar and Java
 * beside the jar (the image records it at build time). Without the archive a runner still starts,
 * as a JVM ignores an archive it cannot use.
 */
final class RunnerJvm {
  private static final Logger LOG = Logger.getLogger(RunnerJvm.class.getName());

  /** The runner image's JVM options (runner-image/Dockerfile), but for the archive. */
  static final List<String> IMAGE_OPTIONS =
      List.of(
          "-XX:TieredStopAtLevel=1",
          "-XX:+UseSerialGC",
          "-XX:+ExitOnOutOfMemoryError",
          "-Xlog:disable",
          "-Xlog:all=warning:stderr");

  /** The offline Attempt the image records its archive with. */
  static final String TRAINING_INPUT = "runner-image/src/main/image/cds-training-input.json";

  private RunnerJvm() {}

  /**
   * The command that starts a runner: {@code java}, the image's options, the archive when it exists
   * or can be recorded now, {@code -jar} and the jar.
   *
   * @param env the runner's environment (its Chromium and driver), for recording the archive
   */
  static List<String> command(String java, Path runnerJar, Path root, Map<String, String> env) {
    List<String> command = new ArrayList<>();
    command.add(java);
    archiveFor(java, runnerJar, root.resolve(TRAINING_INPUT), env)
        .ifPresent(archive -> command.add("-XX:SharedArchiveFile=" + archive));
    command.addAll(IMAGE_OPTIONS);
    command.add("-jar");
    command.add(runnerJar.toAbsolutePath().toString());
    return command;
  }

  /** Records the archive of this jar and Java once; empty when it cannot be made. */
  static Optional<Path> archiveFor(
      String java, Path runnerJar, Path trainingInput, Map<String, String> env) {
    try {
      Path jar = runnerJar.toAbsolutePath();
      String key =
          HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-256")
                      .digest(
                          (jar
                                  + "|"
                                  + Files.size(jar)
                                  + "|"
                                  + Files.getLastModifiedTime(jar).toMillis()
                                  + "|"
                                  + java
                                  + "|"
                                  + Runtime.version())
                              .getBytes(StandardCharsets.UTF_8)))
              .substring(0, 16);
      Path archive = jar.getParent().resolve("runner-" + key + ".jsa");
      if (Files.isRegularFile(archive) && Files.size(archive) > 0) {
        return Optional.of(archive);
      }
      if (!Files.isRegularFile(trainingInput)) {
        return Optional.empty();
      }
      Path work = Files.createTempDirectory(jar.getParent(), "runner-cds-");
      try {
        Path recorded = work.resolve("runner.jsa");
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("-XX:ArchiveClassesAtExit=" + recorded);
        command.addAll(IMAGE_OPTIONS);
        command.addAll(
            List.of(
                "-jar",
                jar.toString(),
                "--input",
                trainingInput.toAbsolutePath().toString(),
                "--output",
                work.resolve("result.json").toString(),
                "--artifacts",
                work.resolve("artifacts").toString()));
        ProcessBuilder builder =
            new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
          process.destroyForcibly();
        }
        if (!Files.isRegularFile(recorded) || Files.size(recorded) == 0) {
          LOG.warning("could not record the runners' class-data archive; they start without one");
          return Optional.empty();
        }
        try {
          Files.move(recorded, archive, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException anotherWasFaster) {
          // the other one is as good
        }
        return Files.isRegularFile(archive) ? Optional.of(archive) : Optional.empty();
      } finally {
        TemporaryFolders.delete(work);
      }
    } catch (IOException | NoSuchAlgorithmException e) {
      LOG.log(Level.WARNING, "could not record the runners' class-data archive: " + e.getMessage());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}

package dev.tessera.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Playwright's driver (Node.js and playwright-core), extracted once beside the runner's jars, as
 * the runner image's build does. A runner without one extracts the driver from its jar into a
 * temporary folder at every start (~134 MB): 1 s on a quiet machine, several on a busy one.
 */
final class PlaywrightDriver {
  private static final Logger LOG = Logger.getLogger(PlaywrightDriver.class.getName());

  private PlaywrightDriver() {}

  /**
   * The driver folder for the runner jar's {@code lib/} (made on first use, with Playwright's own
   * {@code install-driver}), or empty when it cannot be made: runners then extract it themselves.
   */
  static Optional<Path> extractedFor(Path runnerJar, String java) {
    Path lib = runnerJar.toAbsolutePath().getParent().resolve("lib");
    try (Stream<Path> jars = Files.list(lib)) {
      Optional<String> driverJar =
          jars.map(p -> p.getFileName().toString())
              .filter(n -> n.startsWith("driver-") && !n.startsWith("driver-bundle"))
              .findFirst();
      if (driverJar.isEmpty()) {
        return Optional.empty();
      }
      Path dir = lib.getParent().resolve("playwright-" + driverJar.get().replace(".jar", ""));
      if (Files.isRegularFile(dir.resolve("package/cli.js"))) {
        return Optional.of(dir);
      }
      // extracted beside it and renamed into place: a runner never sees half a driver
      Path tmp = Files.createTempDirectory(lib.getParent(), "playwright-driver-");
      Process process =
          new ProcessBuilder(
                  java,
                  "-cp",
                  lib.resolve("*").toString(),
                  "com.microsoft.playwright.CLI",
                  "install-driver",
                  tmp.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
        process.destroyForcibly();
        TemporaryFolders.delete(tmp);
        LOG.warning("could not extract Playwright's driver; each runner extracts it itself");
        return Optional.empty();
      }
      try {
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException anotherWasFaster) {
        TemporaryFolders.delete(tmp);
      }
      return Files.isRegularFile(dir.resolve("package/cli.js"))
          ? Optional.of(dir)
          : Optional.empty();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "could not extract Playwright's driver: " + e.getMessage());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}

package dev.tessera.runner.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where Playwright's driver (Node.js plus playwright-core) comes from. Playwright for Java 1.62
 * uses a pre-extracted driver when the environment variable {@value #ENV} (or the system property
 * {@value #PROPERTY}) names its directory; otherwise it extracts the driver from its jar into a
 * temporary directory on every start (~134 MB, ~0.7 s). A pre-extracted directory is made with
 * {@code java -cp 'lib/*' com.microsoft.playwright.CLI install-driver DIR}.
 */
public final class DriverLocation {
  /** The environment variable Playwright reads. */
  public static final String ENV = "PLAYWRIGHT_DRIVER_DIR";

  /** The system property Playwright reads first. */
  public static final String PROPERTY = "playwright.cli.dir";

  private DriverLocation() {}

  /**
   * The pre-extracted driver directory Playwright will use, if one is configured. Like Playwright,
   * any value counts, even an empty one.
   */
  public static Optional<Path> preExtracted(Map<String, String> env) {
    String dir = System.getProperty(PROPERTY);
    if (dir == null) {
      dir = env.get(ENV);
    }
    return Optional.ofNullable(dir).map(Path::of);
  }

  /** Why a configured directory cannot work, or empty when it holds a driver. */
  public static Optional<String> problem(Path dir, Map<String, String> env) {
    if (!Files.isRegularFile(dir.resolve("package").resolve("cli.js"))) {
      return Optional.of(
          "the Playwright driver directory "
              + dir
              + " holds no driver (package/cli.js is missing)");
    }
    boolean ownNode = env.get("PLAYWRIGHT_NODEJS_PATH") != null;
    if (!ownNode && !Files.isExecutable(dir.resolve("node"))) {
      return Optional.of("the Playwright driver directory " + dir + " holds no executable node");
    }
    return Optional.empty();
  }
}

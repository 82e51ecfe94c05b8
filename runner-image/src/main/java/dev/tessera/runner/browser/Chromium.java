package dev.tessera.runner.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import dev.tessera.api.protocol.ErrorCode;
import dev.tessera.api.protocol.RunnerError;
import dev.tessera.runner.attempt.BrowserLauncher;
import dev.tessera.runner.attempt.SessionException;
import dev.tessera.runner.log.RunnerLog;
import dev.tessera.runner.step.PlaywrightErrors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Playwright's driver and a headless Chromium from the configured executable (Playwright never
 * downloads a browser here).
 *
 * <p>Nothing about the browser process depends on the Attempt's input (context options and the
 * proxy are set per context), so it starts on a background thread as soon as the runner knows the
 * executable, while the main thread reads and checks the input: the two take ~0.3-0.6 s each.
 * Playwright objects are not thread-safe; the hand-over through the future is the only sharing, and
 * from then on only the main thread uses them.
 */
public final class Chromium implements AutoCloseable {
  /**
   * Added to the driver's environment: never download a browser, and no {@code DEBUG=pw:*} logging,
   * which would print the values that steps type (passwords included).
   */
  static final Map<String, String> DRIVER_ENV =
      Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1", "DEBUG", "");

  private final RunnerLog log;
  private final CompletableFuture<Started> start;

  /** The driver and the browser it launched. */
  private record Started(Playwright playwright, Browser browser) {}

  private Chromium(RunnerLog log, CompletableFuture<Started> start) {
    this.log = log;
    this.start = start;
  }

  /**
   * Starts the driver and the browser on a background thread.
   *
   * @param executable the Chromium binary ({@code /usr/lib/chromium/chromium} on Debian: the real
   *     binary, not the {@code /usr/bin/chromium} wrapper script)
   * @param log the runner's log
   * @param env the process environment (to check which driver Playwright will use)
   */
  public static Chromium startInBackground(
      Path executable, RunnerLog log, Map<String, String> env) {
    CompletableFuture<Started> start = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                start.complete(launch(executable, log, env));
              } catch (SessionException | RuntimeException e) {
                start.completeExceptionally(e);
              }
            },
            "chromium-start");
    thread.setDaemon(true);
    thread.start();
    return new Chromium(log, start);
  }

  /** Launches the Attempt's browser: waits for the start, then opens contexts with settings. */
  public BrowserLauncher launcher(SessionSettings settings) {
    return () -> new PlaywrightBrowser(await().browser(), settings, log);
  }

  private Started await() throws SessionException {
    try {
      return start.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof SessionException failure) {
        throw failure;
      }
      throw failure("the browser did not start: " + e.getCause(), e.getCause());
    }
  }

  private static Started launch(Path executable, RunnerLog log, Map<String, String> env)
      throws SessionException {
    if (!Files.isExecutable(executable)) {
      throw failure(
          "no Chromium executable at "
              + executable
              + "; set --chromium or TESSERA_CHROMIUM to the browser binary",
          null);
    }
    Optional<Path> driverDir = DriverLocation.preExtracted(env);
    if (driverDir.isPresent()) {
      Optional<String> problem = DriverLocation.problem(driverDir.get(), env);
      if (problem.isPresent()) {
        throw failure(problem.get(), null);
      }
    }
    long start = System.nanoTime();
    Playwright playwright;
    try {
      playwright = Playwright.create(new Playwright.CreateOptions().setEnv(DRIVER_ENV));
    } catch (RuntimeException e) {
      throw failure(
          "the Playwright driver did not start: " + PlaywrightErrors.summary(e.getMessage()), e);
    }
    long driverMs = millisSince(start);
    start = System.nanoTime();
    Browser browser;
    try {
      browser =
          playwright
              .chromium()
              .launch(
                  new BrowserType.LaunchOptions()
                      .setExecutablePath(executable)
                      .setHeadless(true)
                      .setArgs(ChromiumFlags.QUIET));
    } catch (RuntimeException e) {
      closeQuietly(playwright);
      throw failure(
          "Chromium did not start from "
              + executable
              + ": "
              + PlaywrightErrors.summary(e.getMessage()),
          e);
    }
    log.info(
        "browser started: Chromium %s; driver %s started in %d ms, browser in %d ms",
        browser.version(),
        driverDir.map(d -> "pre-extracted at " + d).orElse("extracted from the jar"),
        driverMs,
        millisSince(start));
    return new Started(playwright, browser);
  }

  /** Closes the browser and the driver, once they have started; never throws. */
  @Override
  public void close() {
    Started started;
    try {
      started = start.join();
    } catch (CompletionException e) {
      return;
    }
    try {
      started.browser().close();
    } catch (RuntimeException e) {
      log.info("closing the browser failed: %s", PlaywrightErrors.summary(e.getMessage()));
    }
    closeQuietly(started.playwright());
  }

  private static void closeQuietly(Playwright playwright) {
    try {
      playwright.close();
    } catch (RuntimeException e) {
      // The driver is gone already; nothing left to stop.
    }
  }

  private static SessionException failure(String message, Throwable cause) {
    return new SessionException(RunnerError.of(ErrorCode.BrowserLaunchFailed, message), cause);
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}

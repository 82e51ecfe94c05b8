package dev.tessera.runner.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.PlaywrightException;
import dev.tessera.api.protocol.ErrorCode;
import dev.tessera.api.protocol.RunnerError;
import dev.tessera.runner.attempt.Browser;
import dev.tessera.runner.attempt.Session;
import dev.tessera.runner.attempt.SessionException;
import dev.tessera.runner.log.RunnerLog;
import dev.tessera.runner.network.NetworkGuard;
import dev.tessera.runner.step.PlaywrightErrors;
import java.util.Locale;

/** A running Chromium that opens one browser context per {@link Session}. */
final class PlaywrightBrowser implements Browser {
  private final com.microsoft.playwright.Browser browser;
  private final SessionSettings settings;
  private final RunnerLog log;

  PlaywrightBrowser(
      com.microsoft.playwright.Browser browser, SessionSettings settings, RunnerLog log) {
    this.browser = browser;
    this.settings = settings;
    this.log = log;
  }

  @Override
  public Session open(JsonNode storageState) throws SessionException {
    long start = System.nanoTime();
    BrowserContext context;
    try {
      context =
          browser.newContext(
              ContextOptions.of(
                  settings.browser(), settings.proxy(), StoredOrigins.cookiesOnly(storageState)));
    } catch (PlaywrightException e) {
      String summary = PlaywrightErrors.summary(e.getMessage());
      ErrorCode code =
          storageState != null && summary.toLowerCase(Locale.ROOT).contains("storage")
              ? ErrorCode.InvalidInput
              : ErrorCode.BrowserLaunchFailed;
      throw new SessionException(
          RunnerError.of(code, "the browser context could not be created: " + summary), e);
    }
    guard(context);
    double timeoutMs = settings.stepTimeout().toMillis();
    context.setDefaultTimeout(timeoutMs);
    context.setDefaultNavigationTimeout(timeoutMs);
    log.info(
        "browser context opened in %d ms%s",
        (System.nanoTime() - start) / 1_000_000,
        storageState == null ? "" : " with the given storage state");
    return new PlaywrightSession(context, StoredOrigins.of(storageState), settings, log);
  }

  /**
   * Aborts every request of the context's pages (navigations, frames, images, scripts, fetches) and
   * every WebSocket whose destination the guard refuses, before it leaves the browser. Requests a
   * redirect makes are not routed by Playwright: the guard cannot stop those, but it notes each one
   * to a refused destination, and the step that caused it fails (docs/security.md).
   */
  private void guard(BrowserContext context) {
    NetworkGuard guard = settings.guard();
    context.onRequest(
        request -> {
          if (request.redirectedFrom() != null) {
            guard.noteRedirect(request.url());
          }
        });
    context.route(
        "**/*",
        route -> {
          String url = route.request().url();
          if (guard.destinationRefusal(url).isPresent()) {
            log.info("refused a request of the page to a blocked address: %s", url);
            route.abort("blockedbyclient");
          } else {
            route.resume();
          }
        });
    context.routeWebSocket(
        url -> true,
        ws -> {
          if (guard.destinationRefusal(ws.url()).isPresent()) {
            log.info("refused a WebSocket of the page to a blocked address: %s", ws.url());
            ws.close();
          } else {
            ws.connectToServer();
          }
        });
  }
}

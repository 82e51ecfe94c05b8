package dev.tessera.runner.attempt;

/** Starts the browser of an Attempt; the caller closes it after the result is delivered. */
public interface BrowserLauncher {
  /**
   * Starts the browser.
   *
   * @throws SessionException when it cannot be started (code {@code BrowserLaunchFailed})
   */
  Browser launch() throws SessionException;
}

package dev.tessera.runner.browser;

import java.util.List;

/**
 * Command-line flags that keep Chromium quiet and small on a closed network: no background requests
 * to Google services, no component or field-trial downloads, no first-run UI, and shared memory on
 * disk (a Pod's {@code /dev/shm} is 64 MiB by default). Playwright passes most of these too; they
 * are listed here so that the runner's behaviour does not hang on Playwright's defaults. {@code
 * --disable-features} is left to Playwright: a second one would replace its list.
 */
public final class ChromiumFlags {
  /** The flags, added to Playwright's own. */
  public static final List<String> QUIET =
      List.of(
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--disable-default-apps",
          "--disable-extensions",
          "--disable-domain-reliability",
          "--disable-client-side-phishing-detection",
          "--disable-breakpad",
          "--disable-crash-reporter",
          "--disable-field-trial-config",
          "--metrics-recording-only",
          "--no-first-run",
          "--no-default-browser-check",
          "--no-pings",
          "--password-store=basic",
          "--use-mock-keychain",
          "--mute-audio",
          "--disable-dev-shm-usage");

  private ChromiumFlags() {}
}

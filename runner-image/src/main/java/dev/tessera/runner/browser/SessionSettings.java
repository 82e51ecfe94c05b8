package dev.tessera.runner.browser;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.api.protocol.BrowserOptions;
import dev.tessera.api.protocol.ProxyOptions;
import dev.tessera.runner.network.NetworkGuard;
import dev.tessera.runner.plugin.JavaApis;
import dev.tessera.runner.result.Artifacts;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * What every browser context of an Attempt shares.
 *
 * @param parameters the Run's parameters
 * @param credentials the credentials, read only by the create
 * @param stepTimeout the default time limit of a step (and of Playwright calls in Java APIs)
 * @param browser context options: viewport, locale, time zone, user agent
 * @param proxy the session's proxy, or null
 * @param artifacts where screenshots go
 * @param javaApis where Java APIs come from
 * @param clock the clock TOTP codes are computed at
 * @param guard where the browser and the steps never connect
 */
public record SessionSettings(
    JsonNode parameters,
    Map<String, String> credentials,
    Duration stepTimeout,
    BrowserOptions browser,
    ProxyOptions proxy,
    Artifacts artifacts,
    JavaApis javaApis,
    Clock clock,
    NetworkGuard guard) {

  public SessionSettings {
    credentials = credentials == null ? Map.of() : Map.copyOf(credentials);
    browser = browser == null ? BrowserOptions.defaults() : browser;
  }

  /** Never prints credentials or the proxy password. */
  @Override
  public String toString() {
    return "SessionSettings[credentials="
        + credentials.keySet()
        + ", stepTimeout="
        + stepTimeout
        + ", browser="
        + browser
        + ", proxy="
        + proxy
        + "]";
  }
}

package dev.tessera.runner.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.options.Proxy;
import dev.tessera.api.protocol.BrowserOptions;
import dev.tessera.api.protocol.ProxyOptions;

/** Playwright's context options from an Attempt's browser and proxy settings. */
final class ContextOptions {
  private ContextOptions() {}

  static Browser.NewContextOptions of(
      BrowserOptions browser, ProxyOptions proxy, JsonNode storageState) {
    Browser.NewContextOptions options = new Browser.NewContextOptions();
    if (browser.viewportWidth() != null && browser.viewportHeight() != null) {
      options.setViewportSize(browser.viewportWidth(), browser.viewportHeight());
    }
    if (browser.locale() != null) {
      options.setLocale(browser.locale());
    }
    if (browser.timezoneId() != null) {
      options.setTimezoneId(browser.timezoneId());
    }
    if (browser.userAgent() != null) {
      options.setUserAgent(browser.userAgent());
    }
    if (proxy != null && proxy.server() != null) {
      Proxy p = new Proxy(proxy.server());
      if (proxy.bypass() != null) {
        p.setBypass(proxy.bypass());
      }
      if (proxy.username() != null) {
        p.setUsername(proxy.username());
      }
      if (proxy.password() != null) {
        p.setPassword(proxy.password());
      }
      options.setProxy(p);
    }
    if (storageState != null) {
      options.setStorageState(storageState.toString());
    }
    options.setAcceptDownloads(false);
    return options;
  }
}

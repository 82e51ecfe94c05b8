package dev.tessera.runner.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.APIRequestContext;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.util.Optional;

/** What a {@link BrowserApi} is given: the page, its context, the parameters and credentials. */
public interface ApiContext {
  /** The page the API runs in; already carries the session's browser state. */
  Page page();

  /** The browser context of the page (cookies, localStorage). */
  BrowserContext browserContext();

  /** HTTP requests that share the context's cookies, without a page. */
  APIRequestContext request();

  /** The Run's parameters (merged over the project's defaults); an empty object when none. */
  JsonNode parameters();

  /**
   * A credential of the session, available to {@code create} only; empty elsewhere. Never log its
   * value.
   */
  Optional<String> credential(String key);

  /** The current one-time code of a base32 TOTP seed held in the named credential. */
  String totp(String credentialKey);
}

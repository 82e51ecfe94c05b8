package dev.tessera.runner.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.microsoft.playwright.APIRequestContext;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.tessera.api.template.Totp;
import dev.tessera.runner.spi.ApiContext;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** What the runner hands to a {@link dev.tessera.runner.spi.BrowserApi}. */
public final class PlaywrightApiContext implements ApiContext {
  private final Supplier<Page> page;
  private final BrowserContext context;
  private final JsonNode parameters;
  private final Map<String, String> credentials;
  private final Clock clock;

  /**
   * @param page the page, created on first use
   * @param context its browser context
   * @param parameters the Run's parameters (null for none)
   * @param credentials the credentials this call may read (empty unless it is a create)
   * @param clock the clock TOTP codes are computed at
   */
  public PlaywrightApiContext(
      Supplier<Page> page,
      BrowserContext context,
      JsonNode parameters,
      Map<String, String> credentials,
      Clock clock) {
    this.page = page;
    this.context = context;
    this.parameters =
        parameters == null ? JsonNodeFactory.instance.objectNode() : parameters.deepCopy();
    this.credentials = Map.copyOf(credentials);
    this.clock = clock;
  }

  @Override
  public Page page() {
    return page.get();
  }

  @Override
  public BrowserContext browserContext() {
    return context;
  }

  @Override
  public APIRequestContext request() {
    return context.request();
  }

  @Override
  public JsonNode parameters() {
    return parameters;
  }

  @Override
  public Optional<String> credential(String key) {
    return Optional.ofNullable(credentials.get(key));
  }

  @Override
  public String totp(String credentialKey) {
    String seed = credentials.get(credentialKey);
    if (seed == null) {
      throw new IllegalArgumentException(
          "credential not available to this operation: " + credentialKey);
    }
    return Totp.code(seed, clock.instant());
  }
}

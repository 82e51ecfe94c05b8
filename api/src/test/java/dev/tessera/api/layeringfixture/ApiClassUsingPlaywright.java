package dev.tessera.api.layeringfixture;

import com.microsoft.playwright.layeringstub.PlaywrightStub;

/** Fixture of {@code dev.tessera.api.LayeringTest}: an API class that uses the runner's browser. */
public final class ApiClassUsingPlaywright {
  private ApiClassUsingPlaywright() {}

  public static String use() {
    return PlaywrightStub.navigate("https://example.test/");
  }
}

package com.microsoft.playwright.layeringstub;

/**
 * A stand-in for a Playwright class (the api module does not have Playwright on its classpath):
 * lets a fixture of {@code dev.tessera.api.LayeringTest} depend on the {@code
 * com.microsoft.playwright} packages.
 */
public final class PlaywrightStub {
  private PlaywrightStub() {}

  public static String navigate(String url) {
    return url;
  }
}

package dev.tessera.runner.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostedBrowserTest {
  private static boolean matches(String glob, String url) {
    return HostedBrowser.glob(glob).matcher(url).matches();
  }

  @Test
  void finishUrlsAreGlobsAsPlaywrightWritesThem() {
    assertThat(matches("**/dashboard", "http://127.0.0.1:8088/dashboard")).isTrue();
    assertThat(matches("**/dashboard", "http://127.0.0.1:8088/login")).isFalse();
    assertThat(matches("https://site.example/*/home", "https://site.example/a/home")).isTrue();
    assertThat(matches("https://site.example/*/home", "https://site.example/a/b/home")).isFalse();
    assertThat(matches("**/done?", "http://h/done!")).isTrue();
    assertThat(matches("**/done.html", "http://h/doneXhtml")).isFalse();
  }
}

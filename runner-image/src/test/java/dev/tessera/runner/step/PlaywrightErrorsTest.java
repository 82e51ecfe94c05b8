package dev.tessera.runner.step;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlaywrightErrorsTest {
  @Test
  void summariesKeepTheDriversMessageLine() {
    String dump =
        "Error {\n"
            + "  message='connect ECONNREFUSED 127.0.0.1:1\n"
            + "  name='Error\n"
            + "  stack='Error: connect ECONNREFUSED 127.0.0.1:1\n"
            + "}\n"
            + "Call log:\n"
            + "-   - → GET http://127.0.0.1:1/x\n";

    assertThat(PlaywrightErrors.summary(dump)).isEqualTo("connect ECONNREFUSED 127.0.0.1:1");
  }

  @Test
  void summariesOfPlainMessagesKeepTheFirstLine() {
    assertThat(PlaywrightErrors.summary("Error: net::ERR_NAME_NOT_RESOLVED at x\nCall log:"))
        .isEqualTo("net::ERR_NAME_NOT_RESOLVED at x");
    assertThat(PlaywrightErrors.summary(null)).isEqualTo("no details");
    assertThat(PlaywrightErrors.summary("y".repeat(1000))).hasSize(303);
  }

  @Test
  void proxyFailuresAreRecognised() {
    assertThat(
            PlaywrightErrors.isProxyNavigationFailure(
                "net::ERR_PROXY_CONNECTION_FAILED at https://site/"))
        .isTrue();
    assertThat(
            PlaywrightErrors.isProxyNavigationFailure(
                "net::ERR_TUNNEL_CONNECTION_FAILED at https://site/"))
        .isTrue();
    assertThat(PlaywrightErrors.isProxyNavigationFailure("net::ERR_CONNECTION_REFUSED at x"))
        .isFalse();
    assertThat(PlaywrightErrors.isConnectionFailure("connect ECONNREFUSED 10.0.0.1:3128")).isTrue();
    assertThat(PlaywrightErrors.isConnectionFailure("Request context disposed")).isFalse();
  }
}

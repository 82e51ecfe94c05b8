package dev.tessera.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Signing and verification against the Standard Webhooks reference libraries' known answer, and
 * every way a delivery is refused.
 */
class WebhookVerifierTest {
  // the known answer of the Standard Webhooks reference libraries' signing test
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long TIMESTAMP = 1614265330L;
  private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
  private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  private static WebhookVerifier verifierAt(long epochSecond) {
    return new WebhookVerifier(
        SECRET,
        Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC),
        WebhookVerifier.TOLERANCE);
  }

  private static Map<String, List<String>> headers(String id, long timestamp, String signature) {
    Map<String, List<String>> headers = new HashMap<>();
    headers.put("Webhook-Id", List.of(id));
    headers.put("webhook-timestamp", List.of(Long.toString(timestamp)));
    headers.put("WEBHOOK-SIGNATURE", List.of(signature));
    return headers;
  }

  @Test
  void signsAsTheReferenceLibrariesDo() {
    assertThat(WebhookSigner.parse(SECRET).sign(ID, TIMESTAMP, BODY)).isEqualTo(SIGNATURE);
    assertThat(WebhookSigner.parse(SECRET.substring("whsec_".length())).sign(ID, TIMESTAMP, BODY))
        .isEqualTo(SIGNATURE);
  }

  @Test
  void acceptsTheReferenceSignatureAndReturnsTheId() throws Exception {
    assertThat(verifierAt(TIMESTAMP + 10).verify(headers(ID, TIMESTAMP, SIGNATURE), BODY))
        .isEqualTo(ID);
  }

  @Test
  void acceptsOneMatchingSignatureAmongSeveralDuringAKeyRotation() throws Exception {
    String several =
        "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,whatever " + SIGNATURE + " v1,%%%";
    assertThat(verifierAt(TIMESTAMP).verify(headers(ID, TIMESTAMP, several), BODY)).isEqualTo(ID);
  }

  @Test
  void refusesATamperedBody() {
    byte[] tampered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(
            () -> verifierAt(TIMESTAMP).verify(headers(ID, TIMESTAMP, SIGNATURE), tampered))
        .isInstanceOf(WebhookVerificationException.class)
        .hasMessage("no webhook-signature matches the body");
  }

  @Test
  void refusesAnotherIdOrTimestampWithTheSameSignature() {
    assertThatThrownBy(
            () -> verifierAt(TIMESTAMP).verify(headers("msg_other", TIMESTAMP, SIGNATURE), BODY))
        .isInstanceOf(WebhookVerificationException.class);
    assertThatThrownBy(
            () -> verifierAt(TIMESTAMP).verify(headers(ID, TIMESTAMP + 1, SIGNATURE), BODY))
        .isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void refusesAnotherSecret() {
    WebhookVerifier other =
        new WebhookVerifier(
            WebhookSigner.generateSecret(),
            Clock.fixed(Instant.ofEpochSecond(TIMESTAMP), ZoneOffset.UTC),
            Duration.ofMinutes(5));
    assertThatThrownBy(() -> other.verify(headers(ID, TIMESTAMP, SIGNATURE), BODY))
        .isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void refusesTimestampsMoreThanFiveMinutesOffEitherWay() throws Exception {
    Map<String, List<String>> headers = headers(ID, TIMESTAMP, SIGNATURE);
    assertThat(verifierAt(TIMESTAMP + 300).verify(headers, BODY)).isEqualTo(ID);
    assertThat(verifierAt(TIMESTAMP - 300).verify(headers, BODY)).isEqualTo(ID);
    assertThatThrownBy(() -> verifierAt(TIMESTAMP + 301).verify(headers, BODY))
        .isInstanceOf(WebhookVerificationException.class)
        .hasMessage("webhook-timestamp is too old");
    assertThatThrownBy(() -> verifierAt(TIMESTAMP - 301).verify(headers, BODY))
        .isInstanceOf(WebhookVerificationException.class)
        .hasMessage("webhook-timestamp is too far in the future");
  }

  @Test
  void refusesMissingOrMalformedHeaders() {
    for (String name : List.of("Webhook-Id", "webhook-timestamp", "WEBHOOK-SIGNATURE")) {
      Map<String, List<String>> headers = headers(ID, TIMESTAMP, SIGNATURE);
      headers.remove(name);
      assertThatThrownBy(() -> verifierAt(TIMESTAMP).verify(headers, BODY))
          .as(name)
          .isInstanceOf(WebhookVerificationException.class)
          .hasMessageContaining("header is missing");
    }
    Map<String, List<String>> headers = headers(ID, TIMESTAMP, SIGNATURE);
    headers.put("webhook-timestamp", List.of("yesterday"));
    assertThatThrownBy(() -> verifierAt(TIMESTAMP).verify(headers, BODY))
        .isInstanceOf(WebhookVerificationException.class);
    assertThatThrownBy(
            () -> verifierAt(TIMESTAMP).verify(headers(ID, TIMESTAMP, "v1,not base64!"), BODY))
        .isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void secretsThatAreNotKeysAreRefusedWithoutShowingThem() {
    assertThatThrownBy(() -> WebhookSigner.parse("whsec_not*base64"))
        .isInstanceOf(IllegalArgumentException.class)
        .message()
        .doesNotContain("not*base64");
    assertThatThrownBy(() -> WebhookSigner.parse("whsec_"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebhookSigner.parseStrict("whsec_c2hvcnQ="))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5 bytes");
    assertThat(WebhookSigner.parseStrict(SECRET)).hasToString("WebhookSigner[24 bytes]");
    assertThat(WebhookSigner.parseStrict(WebhookSigner.generateSecret())).isNotNull();
  }
}

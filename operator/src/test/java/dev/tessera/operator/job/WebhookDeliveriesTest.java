package dev.tessera.operator.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.api.webhook.WebhookSigner;
import dev.tessera.api.webhook.WebhookVerificationException;
import dev.tessera.api.webhook.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class WebhookDeliveriesTest {
  private static final String SECRET = WebhookSigner.generateSecret();
  private static final byte[] BODY = "{\"run\":\"jr-0\"}".getBytes(StandardCharsets.UTF_8);
  private static final long SENT = 1_800_000_000L;

  @Test
  void retriesStartAfterTenSecondsAndDoubleUpToTwoMinutes() {
    assertThat(WebhookDeliveries.backoff(1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(WebhookDeliveries.backoff(2)).isEqualTo(Duration.ofSeconds(20));
    assertThat(WebhookDeliveries.backoff(3)).isEqualTo(Duration.ofSeconds(40));
    assertThat(WebhookDeliveries.backoff(4)).isEqualTo(Duration.ofSeconds(80));
    assertThat(WebhookDeliveries.backoff(5)).isEqualTo(Duration.ofMinutes(2));
    assertThat(WebhookDeliveries.backoff(40)).isEqualTo(Duration.ofMinutes(2));
  }

  private static Map<String, List<String>> asReceived(Map<String, String> headers) {
    return headers.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue())));
  }

  private static WebhookVerifier verifierAt(long epochSecond) {
    return new WebhookVerifier(
        SECRET,
        Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC),
        WebhookVerifier.TOLERANCE);
  }

  @Test
  void everyTryIsSignedWithItsOwnTimestampUnderTheSameId() throws Exception {
    WebhookSigner signer = WebhookSigner.parseStrict(SECRET);
    Map<String, String> first = WebhookDeliveries.tryHeaders(Map.of(), "uid-1", signer, SENT, BODY);
    Map<String, String> retry =
        WebhookDeliveries.tryHeaders(Map.of(), "uid-1", signer, SENT + 10, BODY);
    assertThat(first)
        .containsEntry("webhook-id", "uid-1")
        .containsEntry("webhook-timestamp", Long.toString(SENT))
        .containsEntry("Content-Type", "application/json");
    assertThat(retry).containsEntry("webhook-id", "uid-1");
    assertThat(retry.get("webhook-signature")).isNotEqualTo(first.get("webhook-signature"));
    assertThat(verifierAt(SENT).verify(asReceived(first), BODY)).isEqualTo("uid-1");
    assertThat(verifierAt(SENT + 10).verify(asReceived(retry), BODY)).isEqualTo("uid-1");
    assertThatThrownBy(
            () ->
                verifierAt(SENT)
                    .verify(
                        asReceived(first), "{\"run\":\"jr-1\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void theSinksHeadersCannotReplaceTheSigningHeaders() {
    Map<String, String> headers =
        WebhookDeliveries.tryHeaders(
            Map.of(
                "Authorization", "Bearer t", "Webhook-Id", "forged", "webhook-signature", "v1,x"),
            "uid-1",
            WebhookSigner.parseStrict(SECRET),
            SENT,
            BODY);
    assertThat(headers)
        .containsEntry("Authorization", "Bearer t")
        .containsEntry("webhook-id", "uid-1");
    assertThat(headers).doesNotContainKey("Webhook-Id");
    assertThat(headers.get("webhook-signature")).isNotEqualTo("v1,x");
  }

  @Test
  void withoutASigningSecretATryCarriesItsIdAndTimestampButNoSignature() {
    assertThat(WebhookDeliveries.tryHeaders(Map.of(), "uid-1", null, SENT, BODY))
        .containsEntry("webhook-id", "uid-1")
        .containsEntry("webhook-timestamp", Long.toString(SENT))
        .doesNotContainKey("webhook-signature");
  }
}

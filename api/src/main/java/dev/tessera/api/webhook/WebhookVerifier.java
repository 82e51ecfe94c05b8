package dev.tessera.api.webhook;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks a signed webhook delivery on the receiving side, as the Standard Webhooks specification
 * asks: the {@code webhook-signature} must hold a {@code v1} signature of {@code
 * <webhook-id>.<webhook-timestamp>.<raw body>} made with the shared secret (compared in constant
 * time), and the timestamp must be within five minutes of the receiver's clock, which bounds
 * replays. A receiver still drops a second message with an id it has already processed.
 *
 * <pre>{@code
 * WebhookVerifier verifier = new WebhookVerifier(System.getenv("TESSERA_WEBHOOK_SECRET"));
 * String id = verifier.verify(exchange.getRequestHeaders(), body); // throws when forged
 * }</pre>
 */
public final class WebhookVerifier {
  /** How far a delivery's timestamp may be from the receiver's clock, either way. */
  public static final Duration TOLERANCE = Duration.ofMinutes(5);

  private final WebhookSigner signer;
  private final Clock clock;
  private final Duration tolerance;

  /** A verifier with the secret {@code whsec_<base64 key>} (or the base64 key alone). */
  public WebhookVerifier(String secret) {
    this(secret, Clock.systemUTC(), TOLERANCE);
  }

  /** A verifier with its own clock and tolerance, for tests and for unusual clocks. */
  public WebhookVerifier(String secret, Clock clock, Duration tolerance) {
    this.signer = WebhookSigner.parse(secret);
    this.clock = clock;
    this.tolerance = tolerance;
  }

  /**
   * Verifies a delivery.
   *
   * @param headers the request's headers, names in any case (an HTTP server's header map, {@code
   *     java.net.http.HttpHeaders#map()}, or a plain map)
   * @param body the request's body, exactly the bytes received
   * @return the delivery's {@code webhook-id}, the same on every try of the same message
   * @throws WebhookVerificationException when a header is missing, the timestamp is too old or too
   *     new, or no signature matches
   */
  public String verify(Map<String, List<String>> headers, byte[] body)
      throws WebhookVerificationException {
    String id = header(headers, WebhookSigner.ID_HEADER);
    String timestampText = header(headers, WebhookSigner.TIMESTAMP_HEADER);
    String signatures = header(headers, WebhookSigner.SIGNATURE_HEADER);
    long timestamp;
    try {
      timestamp = Long.parseLong(timestampText.strip());
    } catch (NumberFormatException e) {
      throw new WebhookVerificationException("webhook-timestamp is not a number of seconds");
    }
    Instant now = clock.instant();
    Instant sent = Instant.ofEpochSecond(timestamp);
    if (Duration.between(sent, now).compareTo(tolerance) > 0) {
      throw new WebhookVerificationException("webhook-timestamp is too old");
    }
    if (Duration.between(now, sent).compareTo(tolerance) > 0) {
      throw new WebhookVerificationException("webhook-timestamp is too far in the future");
    }
    byte[] expected = signer.mac(id, timestamp, body);
    for (String entry : signatures.strip().split(" +")) {
      int comma = entry.indexOf(',');
      if (comma < 0 || !"v1".equals(entry.substring(0, comma))) {
        continue;
      }
      byte[] given;
      try {
        given = Base64.getDecoder().decode(entry.substring(comma + 1));
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (MessageDigest.isEqual(expected, given)) {
        return id;
      }
    }
    throw new WebhookVerificationException("no webhook-signature matches the body");
  }

  private static String header(Map<String, List<String>> headers, String name)
      throws WebhookVerificationException {
    for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
      if (entry.getKey() != null
          && entry.getKey().toLowerCase(Locale.ROOT).equals(name)
          && entry.getValue() != null
          && !entry.getValue().isEmpty()
          && entry.getValue().get(0) != null
          && !entry.getValue().get(0).isBlank()) {
        return entry.getValue().get(0);
      }
    }
    throw new WebhookVerificationException("the " + name + " header is missing");
  }
}

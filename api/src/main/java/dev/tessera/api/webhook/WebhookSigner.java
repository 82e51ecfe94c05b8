package dev.tessera.api.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook signing key and the signature it makes: {@code v1,<base64 HMAC-SHA256 of
 * "<webhook-id>.<webhook-timestamp>.<body>">}, over the body's raw bytes, as the Standard Webhooks
 * specification defines it. {@link #toString()} never shows the key.
 */
public final class WebhookSigner {
  /** Header naming the delivery: the same on every try of the same message. */
  public static final String ID_HEADER = "webhook-id";

  /** Header holding when the try was sent, in unix seconds. */
  public static final String TIMESTAMP_HEADER = "webhook-timestamp";

  /** Header holding the signatures, space-separated {@code v1,<base64>} entries. */
  public static final String SIGNATURE_HEADER = "webhook-signature";

  /** Prefix of a signing secret written as Standard Webhooks writes it. */
  public static final String SECRET_PREFIX = "whsec_";

  /**
   * The fewest key bytes accepted by {@link #parseStrict}: 192 bits, the specification's minimum.
   */
  public static final int MIN_KEY_BYTES = 24;

  /** The most key bytes accepted by {@link #parseStrict}: 512 bits, the specification's maximum. */
  public static final int MAX_KEY_BYTES = 64;

  private static final String ALGORITHM = "HmacSHA256";

  private final byte[] key;

  private WebhookSigner(byte[] key) {
    this.key = key;
  }

  /**
   * A signer from a secret, {@code whsec_<base64 key>} or the base64 key alone, of any length.
   *
   * @throws IllegalArgumentException when the secret is empty or not base64; the message never
   *     holds the secret
   */
  public static WebhookSigner parse(String secret) {
    if (secret == null) {
      throw new IllegalArgumentException("the signing secret is empty");
    }
    String encoded = secret.strip();
    if (encoded.startsWith(SECRET_PREFIX)) {
      encoded = encoded.substring(SECRET_PREFIX.length());
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the signing secret is not " + SECRET_PREFIX + " followed by a base64 key");
    }
    if (key.length == 0) {
      throw new IllegalArgumentException("the signing secret is empty");
    }
    return new WebhookSigner(key);
  }

  /**
   * A signer from a secret whose key is {@value #MIN_KEY_BYTES} to {@value #MAX_KEY_BYTES} bytes,
   * as the specification asks of senders.
   *
   * @throws IllegalArgumentException when it is not; the message never holds the secret
   */
  public static WebhookSigner parseStrict(String secret) {
    WebhookSigner signer = parse(secret);
    if (signer.key.length < MIN_KEY_BYTES || signer.key.length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          "the signing key is "
              + signer.key.length
              + " bytes long; it must be "
              + MIN_KEY_BYTES
              + " to "
              + MAX_KEY_BYTES
              + " random bytes");
    }
    return signer;
  }

  /** A new random secret of 32 bytes, {@code whsec_<base64>}. */
  public static String generateSecret() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /** The signature header's value for one try of a message: {@code v1,<base64>}. */
  public String sign(String id, long timestamp, byte[] body) {
    return "v1," + Base64.getEncoder().encodeToString(mac(id, timestamp, body));
  }

  /** The raw HMAC-SHA256 of {@code <id>.<timestamp>.<body>}. */
  byte[] mac(String id, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  @Override
  public String toString() {
    return "WebhookSigner[" + key.length + " bytes]";
  }
}

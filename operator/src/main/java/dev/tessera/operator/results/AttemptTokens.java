package dev.tessera.operator.results;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One-time secrets with which an Attempt's Pod, and only it, may report that Attempt's result.
 *
 * <p>A report token is {@code <nonce>.<mac>}: 128 random bits, and an HMAC-SHA256 under the
 * operator's results key of the Attempt's namespace, Pod name and nonce. Any replica holding the
 * key tells a token the operator made for that Pod from anything else in memory, before it asks the
 * API for the Attempt's input Secret (where the whole token is kept, once).
 */
public final class AttemptTokens {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

  private final Supplier<byte[]> source;
  private volatile SecretKeySpec key;

  /** Tokens under {@code key}, the operator's results key ({@link ResultsKey}). */
  public AttemptTokens(byte[] key) {
    this(key::clone);
  }

  /**
   * Tokens under the key {@code source} gives when first needed (it reads the key Secret from the
   * API): the operator starts its controllers first, as it does without an API to reach. Until the
   * key is read, every use tries again, and throws what reading it threw.
   */
  public AttemptTokens(Supplier<byte[]> source) {
    this.source = source;
  }

  private SecretKeySpec key() {
    SecretKeySpec current = key;
    if (current == null) {
      synchronized (this) {
        current = key;
        if (current == null) {
          current = new SecretKeySpec(source.get(), "HmacSHA256");
          key = current;
        }
      }
    }
    return current;
  }

  /** A new random token: 256 random bits, URL-safe base64 (a recording's token, for one). */
  public static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return BASE64.encodeToString(bytes);
  }

  /** A new report token for the Attempt Pod {@code namespace/pod}. */
  public String forAttempt(String namespace, String pod) {
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    String encodedNonce = BASE64.encodeToString(nonce);
    return encodedNonce + "." + mac(namespace, pod, encodedNonce);
  }

  /**
   * Whether {@code presented} is a report token this key made for {@code namespace/pod}: in memory,
   * in constant time. (That it is the Attempt's current token is for its input Secret to say.)
   */
  public boolean authentic(String namespace, String pod, String presented) {
    if (presented == null) {
      return false;
    }
    int dot = presented.indexOf('.');
    if (dot <= 0 || dot == presented.length() - 1) {
      return false;
    }
    return matches(mac(namespace, pod, presented.substring(0, dot)), presented.substring(dot + 1));
  }

  private String mac(String namespace, String pod, String nonce) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key());
      return BASE64.encodeToString(
          mac.doFinal((namespace + "/" + pod + "/" + nonce).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Compares in constant time, so that timing reveals nothing about the expected token. */
  public static boolean matches(String expected, String presented) {
    if (expected == null || presented == null) {
      return false;
    }
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
  }
}

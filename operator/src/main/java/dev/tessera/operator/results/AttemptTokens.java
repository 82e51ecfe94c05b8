package dev.tessera.operator.results;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/** One-time secrets with which an Attempt's Pod, and only it, may report that Attempt's result. */
public final class AttemptTokens {
  private static final SecureRandom RANDOM = new SecureRandom();

  private AttemptTokens() {}

  /** A new token: 256 random bits, URL-safe base64. */
  public static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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

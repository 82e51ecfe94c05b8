package dev.tessera.demosite;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.security.InvalidKeyException;
import java.security.Key;
import java.time.Duration;
import java.time.Instant;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;

/** Checks RFC 6238 codes (SHA-1, 6 digits, 30 s steps) against a base32 seed. */
final class Totp {

  private static final Duration STEP = Duration.ofSeconds(30);

  private Totp() {}

  /** The code for the time step that contains {@code at}. */
  static String code(String base32Seed, Instant at) {
    TimeBasedOneTimePasswordGenerator generator = new TimeBasedOneTimePasswordGenerator(STEP, 6);
    Key key = new SecretKeySpec(new Base32().decode(base32Seed), generator.getAlgorithm());
    try {
      return generator.generateOneTimePasswordString(key, at);
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("unusable TOTP seed", e);
    }
  }

  /** Whether {@code code} is the code of the current, previous or next time step. */
  static boolean matches(String base32Seed, String code, Instant now) {
    if (code == null || !code.matches("\\d{6}")) {
      return false;
    }
    for (int offset = -1; offset <= 1; offset++) {
      if (code(base32Seed, now.plus(STEP.multipliedBy(offset))).equals(code)) {
        return true;
      }
    }
    return false;
  }
}

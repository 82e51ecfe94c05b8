package dev.tessera.demosite;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.security.InvalidKeyException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;

/** Computes TOTP codes the way an authenticator app would, independently of the site's code. */
final class TestTotp {

  private TestTotp() {}

  static String code(String base32Seed, Instant at) {
    TimeBasedOneTimePasswordGenerator generator = new TimeBasedOneTimePasswordGenerator();
    try {
      return generator.generateOneTimePasswordString(
          new SecretKeySpec(new Base32().decode(base32Seed), generator.getAlgorithm()), at);
    } catch (InvalidKeyException e) {
      throw new AssertionError(e);
    }
  }

  /** A six-digit code that is valid in none of the steps around now. */
  static String wrongCode(String base32Seed) {
    Instant now = Instant.now();
    Set<String> valid = new HashSet<>();
    for (int step = -3; step <= 3; step++) {
      valid.add(code(base32Seed, now.plusSeconds(30L * step)));
    }
    for (int candidate = 0; ; candidate++) {
      String code = String.format("%06d", candidate);
      if (!valid.contains(code)) {
        return code;
      }
    }
  }
}

package dev.tessera.api.template;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.security.InvalidKeyException;
import java.time.Instant;
import java.util.Locale;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;

/** RFC 6238 one-time codes (SHA-1, 6 digits, 30-second steps) from a base32 seed. */
public final class Totp {
  private static final TimeBasedOneTimePasswordGenerator GENERATOR =
      new TimeBasedOneTimePasswordGenerator();

  private Totp() {}

  /** The code valid at {@code now} for the base32 seed (spaces and case are ignored). */
  public static String code(String base32Seed, Instant now) {
    String normalized = base32Seed.replace(" ", "").toUpperCase(Locale.ROOT);
    Base32 base32 = new Base32();
    if (normalized.isEmpty() || !base32.isInAlphabet(normalized.replace("=", ""))) {
      throw new TemplateException("TOTP seed is not valid base32");
    }
    byte[] key = base32.decode(normalized);
    try {
      int code = GENERATOR.generateOneTimePassword(new SecretKeySpec(key, "RAW"), now);
      return String.format(Locale.ROOT, "%06d", code);
    } catch (InvalidKeyException e) {
      throw new TemplateException("TOTP seed cannot be used as a key");
    }
  }
}

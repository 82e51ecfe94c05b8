package dev.tessera.demosite;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TotpTest {

  /** The RFC 6238 SHA-1 secret "12345678901234567890" in base32. */
  private static final String RFC_SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

  @Test
  void matchesTheRfc6238TestVectors() {
    assertThat(Totp.code(RFC_SEED, Instant.ofEpochSecond(59))).isEqualTo("287082");
    assertThat(Totp.code(RFC_SEED, Instant.ofEpochSecond(1111111109))).isEqualTo("081804");
    assertThat(Totp.code(RFC_SEED, Instant.ofEpochSecond(2000000000))).isEqualTo("279037");
  }

  @Test
  void acceptsOneStepEitherSideAndNothingFurther() {
    Instant now = Instant.ofEpochSecond(1_700_000_015);

    assertThat(Totp.matches(RFC_SEED, Totp.code(RFC_SEED, now), now)).isTrue();
    assertThat(Totp.matches(RFC_SEED, Totp.code(RFC_SEED, now.minusSeconds(30)), now)).isTrue();
    assertThat(Totp.matches(RFC_SEED, Totp.code(RFC_SEED, now.plusSeconds(30)), now)).isTrue();
    assertThat(Totp.matches(RFC_SEED, Totp.code(RFC_SEED, now.minusSeconds(60)), now)).isFalse();
    assertThat(Totp.matches(RFC_SEED, Totp.code(RFC_SEED, now.plusSeconds(60)), now)).isFalse();
    assertThat(Totp.matches(RFC_SEED, "", now)).isFalse();
    assertThat(Totp.matches(RFC_SEED, null, now)).isFalse();
  }
}

package dev.tessera.demosite;

import java.util.Objects;
import java.util.Optional;

/** An account of the demo site: credentials, profile and an optional TOTP second factor. */
public record DemoUser(
    String username, String password, String displayName, String email, Optional<String> totpSeed) {

  public DemoUser {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(totpSeed, "totpSeed");
  }

  /** Whether this user must enter a TOTP code after the password. */
  public boolean hasTotp() {
    return totpSeed.isPresent();
  }
}

package dev.tessera.demosite;

import java.util.List;
import java.util.Optional;

/** The fixed accounts that every demo site instance knows. */
public final class DemoUsers {

  /** Password only. */
  public static final DemoUser ALICE =
      new DemoUser("alice", "wonderland", "Alice Liddell", "alice@example.test", Optional.empty());

  /** Password plus a TOTP second factor (RFC 6238, SHA-1, 6 digits, 30 s steps). */
  public static final DemoUser BOB =
      new DemoUser(
          "bob", "builder", "Bob Builder", "bob@example.test", Optional.of("JBSWY3DPEHPK3PXP"));

  /** Password only; a second identity for multi-user examples. */
  public static final DemoUser CAROL =
      new DemoUser(
          "carol", "carol-secret-42", "Carol Danvers", "carol@example.test", Optional.empty());

  /** Every account, in a fixed order. */
  public static final List<DemoUser> ALL = List.of(ALICE, BOB, CAROL);

  private DemoUsers() {}

  /** The account with this username, if there is one. */
  public static Optional<DemoUser> find(String username) {
    return ALL.stream().filter(user -> user.username().equals(username)).findFirst();
  }
}

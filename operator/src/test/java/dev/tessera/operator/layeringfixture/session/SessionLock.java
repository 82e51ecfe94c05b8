package dev.tessera.operator.layeringfixture.session;

/**
 * Fixture of {@code LayeringTest}: a class named like the operator's session lock, whose {@code
 * tryAcquire} and {@code release} only the session package may call.
 */
public final class SessionLock {
  public boolean tryAcquire(String session, String identity) {
    return !session.isEmpty() && !identity.isEmpty();
  }

  public boolean release(String session, String identity) {
    return !session.isEmpty() && !identity.isEmpty();
  }

  public String holder(String session) {
    return session + "-holder";
  }
}

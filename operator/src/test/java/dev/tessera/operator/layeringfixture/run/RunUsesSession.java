package dev.tessera.operator.layeringfixture.run;

import dev.tessera.operator.layeringfixture.session.SessionLock;

/** Fixture of {@code LayeringTest}: a run class that uses the session package (allowed). */
public final class RunUsesSession {
  private final SessionLock lock = new SessionLock();

  public String holder() {
    return lock.holder("demo-alice");
  }
}

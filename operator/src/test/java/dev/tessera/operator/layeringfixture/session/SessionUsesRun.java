package dev.tessera.operator.layeringfixture.session;

import dev.tessera.operator.layeringfixture.run.RunUsesSession;

/**
 * Fixture of {@code LayeringTest}: a session class that reaches back into the run package (a
 * violation; with {@link RunUsesSession} a cycle between run and session).
 */
public final class SessionUsesRun {
  private SessionUsesRun() {}

  public static String holderSeenByRun() {
    return new RunUsesSession().holder();
  }
}

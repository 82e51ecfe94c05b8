package dev.tessera.operator.layeringfixture.run;

import dev.tessera.api.v1alpha1.AuthSession;

/** Fixture of {@code LayeringTest}: a decision class that only looks at what it is given. */
public final class PureAdmission {
  private PureAdmission() {}

  public static boolean admit(AuthSession session) {
    return session.getStatus() != null && "Ready".equals(session.getStatus().getPhase());
  }
}

package dev.tessera.operator.layeringfixture.session;

/**
 * Fixture of {@code LayeringTest}: a class named like the operator's session Secrets, whose {@code
 * storeState} only the session package may call.
 */
public final class SessionSecrets {
  private SessionSecrets() {}

  public static String storeState(String session, String state) {
    return session + "=" + state;
  }
}

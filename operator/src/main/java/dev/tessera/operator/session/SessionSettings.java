package dev.tessera.operator.session;

import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.AuthSessionSpec;

/**
 * A session's validation settings as they apply: a Run's or Job's own value when it sets one, else
 * the session's, else the model's default ({@link AuthSessionSpec}, the one place defaults live).
 */
public final class SessionSettings {
  private static final AuthSessionSpec DEFAULTS = new AuthSessionSpec();

  private SessionSettings() {}

  /** Whether the state may be recreated when every check fails. */
  public static boolean autoRecreate(AuthSession session, Boolean override) {
    if (override != null) {
      return override;
    }
    Boolean own = spec(session).getAutoRecreate();
    return own != null ? own : DEFAULTS.getAutoRecreate();
  }

  /** How many times check is tried before the state counts as invalid. */
  public static int checkAttempts(AuthSession session, Integer override) {
    if (override != null) {
      return override;
    }
    Integer own = spec(session).getCheckAttempts();
    return own != null ? own : DEFAULTS.getCheckAttempts();
  }

  /** How many times create is tried in one login of the session. */
  public static int createAttempts(AuthSession session) {
    Integer own = spec(session).getCreateAttempts();
    return own != null ? own : DEFAULTS.getCreateAttempts();
  }

  private static AuthSessionSpec spec(AuthSession session) {
    return session == null || session.getSpec() == null ? DEFAULTS : session.getSpec();
  }
}

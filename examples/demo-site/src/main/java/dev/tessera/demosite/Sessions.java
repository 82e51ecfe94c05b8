package dev.tessera.demosite;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Server-side sessions, their API tokens and logins waiting for a second factor. */
final class Sessions {

  /** A logged-in browser: its cookie token, user, expiry and the API token bound to it. */
  record Session(String token, DemoUser user, Instant expiresAt, String apiToken) {
    boolean activeAt(Instant now) {
      return now.isBefore(expiresAt);
    }
  }

  /** A login whose password was right and that still needs its TOTP code. */
  record PendingLogin(String token, DemoUser user, String next, Instant expiresAt) {}

  static final Duration PENDING_LIFETIME = Duration.ofMinutes(5);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Duration lifetime;
  private final Clock clock;
  private final Map<String, Session> byToken = new ConcurrentHashMap<>();
  private final Map<String, Session> byApiToken = new ConcurrentHashMap<>();
  private final Map<String, PendingLogin> pending = new ConcurrentHashMap<>();

  /** Cookie tokens of sessions that ended by expiry, with their usernames. */
  private final Map<String, String> ended = new ConcurrentHashMap<>();

  /** The ended tokens a client presented again. */
  private final Set<String> presentedAfterEnd = ConcurrentHashMap.newKeySet();

  Sessions(Duration lifetime, Clock clock) {
    this.lifetime = lifetime;
    this.clock = clock;
  }

  /** A fresh random token: 32 bytes, base64url without padding. */
  static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  Duration lifetime() {
    return lifetime;
  }

  Session create(DemoUser user) {
    purgeExpired();
    Session session = new Session(newToken(), user, clock.instant().plus(lifetime), newToken());
    byApiToken.put(session.apiToken(), session);
    byToken.put(session.token(), session);
    return session;
  }

  Optional<Session> find(String token) {
    if (token == null) {
      return Optional.empty();
    }
    Optional<Session> session = active(byToken.get(token));
    if (session.isEmpty() && ended.containsKey(token)) {
      presentedAfterEnd.add(token);
    }
    return session;
  }

  /**
   * How many sessions of {@code username} that ended by expiry (their lifetime, or {@link #endAll})
   * a client presented again afterwards: each is an expiry a client of that user ran into.
   */
  long endedSessionsPresented(String username) {
    return presentedAfterEnd.stream().filter(token -> username.equals(ended.get(token))).count();
  }

  Optional<Session> findByApiToken(String apiToken) {
    return apiToken == null ? Optional.empty() : active(byApiToken.get(apiToken));
  }

  void end(String token) {
    if (token != null) {
      Session session = byToken.remove(token);
      if (session != null) {
        byApiToken.remove(session.apiToken());
      }
    }
  }

  /** Ends every session, token and pending login; returns how many live sessions were ended. */
  int endAll() {
    Instant now = clock.instant();
    int ended = 0;
    for (String token : byToken.keySet()) {
      Session session = byToken.remove(token);
      if (session != null) {
        byApiToken.remove(session.apiToken());
        this.ended.put(token, session.user().username());
        if (session.activeAt(now)) {
          ended++;
        }
      }
    }
    byApiToken.clear();
    pending.clear();
    return ended;
  }

  PendingLogin startPending(DemoUser user, String next) {
    PendingLogin login =
        new PendingLogin(newToken(), user, next, clock.instant().plus(PENDING_LIFETIME));
    pending.put(login.token(), login);
    return login;
  }

  Optional<PendingLogin> findPending(String token) {
    if (token == null) {
      return Optional.empty();
    }
    PendingLogin login = pending.get(token);
    if (login != null && !clock.instant().isBefore(login.expiresAt())) {
      pending.remove(token, login);
      return Optional.empty();
    }
    return Optional.ofNullable(login);
  }

  void endPending(String token) {
    if (token != null) {
      pending.remove(token);
    }
  }

  private Optional<Session> active(Session session) {
    if (session == null) {
      return Optional.empty();
    }
    if (session.activeAt(clock.instant())) {
      return Optional.of(session);
    }
    byToken.remove(session.token(), session);
    byApiToken.remove(session.apiToken(), session);
    ended.put(session.token(), session.user().username());
    return Optional.empty();
  }

  private void purgeExpired() {
    Instant now = clock.instant();
    byToken
        .values()
        .removeIf(
            session -> {
              if (session.activeAt(now)) {
                return false;
              }
              ended.put(session.token(), session.user().username());
              return true;
            });
    byApiToken.values().removeIf(session -> !session.activeAt(now));
    pending.values().removeIf(login -> !now.isBefore(login.expiresAt()));
  }
}

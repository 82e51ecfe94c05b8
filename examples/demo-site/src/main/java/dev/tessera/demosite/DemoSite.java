package dev.tessera.demosite;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A running demo site: a small login-protected back office served over plain HTTP. */
public final class DemoSite implements AutoCloseable {

  private static final int THREADS = 16;

  /**
   * How to start the site.
   *
   * @param host the address to bind to, for example {@code 127.0.0.1}
   * @param port the port to listen on; 0 picks any free port
   * @param sessionLifetime how long a session stays valid after login
   * @param lockoutAfter after how many failed logins in a row a demo account is locked; 0 never
   *     locks
   */
  public record Options(String host, int port, Duration sessionLifetime, int lockoutAfter) {

    /** Accounts are locked after this many failed logins in a row unless the options say else. */
    public static final int DEFAULT_LOCKOUT_AFTER = 3;

    public Options {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(sessionLifetime, "sessionLifetime");
      if (host.isBlank()) {
        throw new IllegalArgumentException("host must not be blank");
      }
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
      }
      if (sessionLifetime.isNegative() || sessionLifetime.isZero()) {
        throw new IllegalArgumentException(
            "session lifetime must be positive, got " + sessionLifetime);
      }
      if (lockoutAfter < 0) {
        throw new IllegalArgumentException(
            "lockoutAfter must not be negative (0 turns lockout off), got " + lockoutAfter);
      }
    }

    /** These options with the default lockout ({@value #DEFAULT_LOCKOUT_AFTER} failures). */
    public Options(String host, int port, Duration sessionLifetime) {
      this(host, port, sessionLifetime, DEFAULT_LOCKOUT_AFTER);
    }

    /**
     * Any free port on 127.0.0.1, sessions valid for 30 minutes, accounts locked after 3 failed
     * logins in a row.
     */
    public static Options defaults() {
      return new Options("127.0.0.1", 0, Duration.ofMinutes(30), DEFAULT_LOCKOUT_AFTER);
    }

    public Options withHost(String host) {
      return new Options(host, port, sessionLifetime, lockoutAfter);
    }

    public Options withPort(int port) {
      return new Options(host, port, sessionLifetime, lockoutAfter);
    }

    public Options withSessionLifetime(Duration sessionLifetime) {
      return new Options(host, port, sessionLifetime, lockoutAfter);
    }

    /** Locks a demo account after {@code lockoutAfter} failed logins in a row; 0 never locks. */
    public Options withLockoutAfter(int lockoutAfter) {
      return new Options(host, port, sessionLifetime, lockoutAfter);
    }
  }

  private final Options options;
  private final HttpServer server;
  private final ExecutorService executor;
  private final Sessions sessions;
  private final StatsRecorder stats;
  private final SiteHandler handler;
  private final AtomicBoolean closed = new AtomicBoolean();

  private DemoSite(
      Options options,
      HttpServer server,
      ExecutorService executor,
      Sessions sessions,
      StatsRecorder stats,
      SiteHandler handler) {
    this.options = options;
    this.server = server;
    this.executor = executor;
    this.sessions = sessions;
    this.stats = stats;
    this.handler = handler;
  }

  /** Starts a site with {@link Options#defaults()}. */
  public static DemoSite start() {
    return start(Options.defaults());
  }

  /**
   * Starts a site; it accepts connections when this returns.
   *
   * @throws UncheckedIOException when the address cannot be bound
   */
  public static DemoSite start(Options options) {
    Objects.requireNonNull(options, "options");
    Clock clock = Clock.systemUTC();
    Sessions sessions = new Sessions(options.sessionLifetime(), clock);
    StatsRecorder stats = new StatsRecorder();
    Lockouts lockouts = new Lockouts(options.lockoutAfter());
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 64);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage(), e);
    }
    ExecutorService executor = Executors.newFixedThreadPool(THREADS, threadFactory());
    server.setExecutor(executor);
    SiteHandler handler = new SiteHandler(sessions, stats, lockouts, clock);
    server.createContext("/", handler);
    server.start();
    return new DemoSite(options, server, executor, sessions, stats, handler);
  }

  /** The options this site was started with (the port as asked, possibly 0). */
  public Options options() {
    return options;
  }

  /** The port the site listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The site's root URL without a trailing slash, for example {@code http://127.0.0.1:41234}. */
  public String baseUrl() {
    String host = options.host();
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + port();
  }

  /** The counters, as {@code GET /admin/stats} reports them. */
  public DemoSiteStats stats() {
    return handler.stats();
  }

  /** Ends every session and API token, like {@code POST /admin/expire-sessions}. */
  public int expireSessions() {
    return sessions.endAll();
  }

  /**
   * How many of {@code username}'s sessions that ended by expiry (their lifetime, or {@link
   * #expireSessions()}) a client presented again afterwards. Each such session is one expiry a
   * client of that user ran into, and a client that logs in again only when it has to makes one
   * login per such session. Sessions ended by logging out do not count.
   */
  public long endedSessionsPresented(String username) {
    return sessions.endedSessionsPresented(username);
  }

  /**
   * Changes an account's password, like {@code POST /admin/set-password}: later logins need the new
   * one; sessions already open stay open; the account is unlocked and its failed logins in a row
   * are forgotten. Returns false for an unknown account or an empty password.
   */
  public boolean setPassword(String username, String password) {
    return handler.setPassword(username, password);
  }

  /**
   * Whether {@code username}'s account is locked right now: it had {@link Options#lockoutAfter()}
   * failed logins in a row. Always false for unknown usernames and when lockout is off.
   */
  public boolean isLocked(String username) {
    return handler.lockouts().isLocked(username);
  }

  /**
   * Unlocks an account and forgets its failed logins in a row, like {@code POST /admin/unlock}.
   * Returns whether it was locked.
   */
  public boolean unlock(String username) {
    return handler.lockouts().unlock(username);
  }

  /**
   * Test hook: holds every {@code POST /login} that arrives from now on for {@code delay} before
   * the site reads its credentials ({@link Duration#ZERO} turns it off), so that a test can kill a
   * client mid-login. No admin endpoint exposes it.
   */
  public void delayLogins(Duration delay) {
    handler.loginHold().delay(delay);
  }

  /** Test hook: how many logins {@link #delayLogins} is holding right now (arrived, unanswered). */
  public int heldLogins() {
    return handler.loginHold().held();
  }

  /**
   * Test hook: ends the hold of the logins held right now without reading them, answering 503: as
   * if they had never reached the login logic, so no login is counted for them. Returns how many
   * were held.
   */
  public int dropHeldLogins() {
    return handler.loginHold().drop();
  }

  /**
   * Zeroes every counter, like {@code POST /admin/reset-stats}. Locked accounts stay locked and
   * failed logins in a row stay counted.
   */
  public void resetStats() {
    stats.reset();
  }

  /** Stops the site at once, cutting off requests still in progress. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.stop(0);
      executor.shutdownNow();
    }
  }

  private static ThreadFactory threadFactory() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "demo-site-http-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}

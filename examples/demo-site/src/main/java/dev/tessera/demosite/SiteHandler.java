package dev.tessera.demosite;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/** Routes every request of the demo site to its page or API handler. */
final class SiteHandler implements HttpHandler {

  static final String SESSION_COOKIE = "demo_session";
  static final String CSRF_COOKIE = "demo_csrf";
  static final String MFA_COOKIE = "demo_mfa";
  static final long MAX_SLOW_MILLIS = 120_000;
  static final long DEFAULT_LIVE_DELAY_MILLIS = 1500;
  static final long MAX_LIVE_DELAY_MILLIS = 30_000;

  @FunctionalInterface
  private interface Action {
    void handle(Call call) throws IOException, InterruptedException;
  }

  private final Sessions sessions;
  private final StatsRecorder stats;
  private final Lockouts lockouts;
  private final Clock clock;
  private final Map<String, Map<String, Action>> routes = new LinkedHashMap<>();
  private final Map<String, String> passwords = new ConcurrentHashMap<>();
  private final LoginHold loginHold = new LoginHold();

  SiteHandler(Sessions sessions, StatsRecorder stats, Lockouts lockouts, Clock clock) {
    this.sessions = sessions;
    this.stats = stats;
    this.lockouts = lockouts;
    this.clock = clock;
    DemoUsers.ALL.forEach(user -> passwords.put(user.username(), user.password()));
    route("GET", "/", call -> call.redirect("/dashboard"));
    route("GET", "/login", this::loginPage);
    route("POST", "/login", this::login);
    route("GET", "/login/otp", this::otpPage);
    route("POST", "/login/otp", this::otp);
    route("GET", "/logout", this::logout);
    route("GET", "/dashboard", this::dashboard);
    route("GET", "/invoices", this::invoices);
    route("GET", "/reports", this::reports);
    route("GET", "/catalog", this::catalog);
    route("GET", "/catalog/live", this::catalogLive);
    route("GET", "/api/catalog", this::apiCatalog);
    route("GET", "/slow", this::slow);
    route("GET", "/api/me", this::apiMe);
    route("GET", "/api/invoices", this::apiInvoices);
    route("GET", "/api/reports", this::apiReports);
    route(
        "POST",
        "/admin/expire-sessions",
        call -> call.json(200, Map.of("expired", sessions.endAll())));
    route("POST", "/admin/set-password", this::setPassword);
    route("POST", "/admin/unlock", this::unlock);
    route("GET", "/admin/stats", call -> call.json(200, stats()));
    route(
        "POST",
        "/admin/reset-stats",
        call -> {
          stats.reset();
          call.json(200, Map.of());
        });
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Call call = new Call(exchange);
      stats.request(call.path());
      Map<String, Action> byMethod = routes.get(call.path());
      if (byMethod == null) {
        notFound(call, "There is no page at this address.");
        return;
      }
      Action action = byMethod.get(call.method());
      if (action == null) {
        call.header("Allow", String.join(", ", byMethod.keySet()));
        error(call, 405, "method-not-allowed", "Method not allowed", "method not allowed");
        return;
      }
      try {
        action.handle(call);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException | RuntimeException e) {
        System.err.println("demo site: " + call.method() + " " + call.path() + " failed: " + e);
        try {
          error(call, 500, "server-error", "Server error", "internal server error");
        } catch (IOException | RuntimeException ignored) {
          // The response was already under way; the connection closes with the exchange.
        }
      }
    }
  }

  private void route(String method, String path, Action action) {
    routes.computeIfAbsent(path, key -> new LinkedHashMap<>()).put(method, action);
  }

  /** The counters with the accounts locked right now, as {@code GET /admin/stats} shows them. */
  DemoSiteStats stats() {
    return stats.snapshot(lockouts.locked());
  }

  /** The account lockout state (see {@link DemoSite#isLocked}). */
  Lockouts lockouts() {
    return lockouts;
  }

  private void loginPage(Call call) throws IOException {
    renderLogin(call, localPath(call.query("next")), null, Pages.LoginError.NONE);
  }

  private void renderLogin(Call call, String next, String username, Pages.LoginError error)
      throws IOException {
    String csrf = Sessions.newToken();
    call.setCookie(CSRF_COOKIE, csrf, "/", -1);
    call.html(200, Pages.login(csrf, next, username, error, lockouts.threshold()));
  }

  /**
   * Changes an account's password, as a user who rotates it at the site would; this unlocks the
   * account too, as a password reset does.
   */
  boolean setPassword(String username, String password) {
    if (DemoUsers.find(username).isEmpty() || password == null || password.isEmpty()) {
      return false;
    }
    passwords.put(username, password);
    lockouts.unlock(username);
    return true;
  }

  private void unlock(Call call) throws IOException {
    Map<String, String> form = call.hasFormBody() ? call.form() : Map.of();
    String username = form.get("username");
    if (username == null || DemoUsers.find(username).isEmpty()) {
      error(
          call,
          400,
          "bad-request",
          "Unknown account",
          "expected a form with the username of a demo account");
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("username", username);
    body.put("wasLocked", lockouts.unlock(username));
    call.json(200, body);
  }

  private void setPassword(Call call) throws IOException {
    Map<String, String> form = call.hasFormBody() ? call.form() : Map.of();
    if (!setPassword(form.get("username"), form.get("password"))) {
      error(
          call,
          400,
          "bad-request",
          "Unknown account",
          "expected a form with the username of a demo account and a non-empty password");
      return;
    }
    call.json(200, Map.of("username", form.get("username")));
  }

  /** The test hook that holds logins in flight (see {@link DemoSite#delayLogins}). */
  LoginHold loginHold() {
    return loginHold;
  }

  private void login(Call call) throws IOException, InterruptedException {
    if (!loginHold.await()) {
      error(call, 503, "unavailable", "Login dropped", "the login was dropped before it was read");
      return;
    }
    if (!call.hasFormBody()) {
      error(call, 415, "bad-request", "Unsupported form", "expected a url-encoded form");
      return;
    }
    Map<String, String> form = call.form();
    if (!sameToken(form.get("csrf"), call.cookie(CSRF_COOKIE))) {
      call.html(403, Pages.csrfError());
      return;
    }
    String next = localPath(form.get("next"));
    String username = form.getOrDefault("username", "");
    String password = form.getOrDefault("password", "");
    Optional<DemoUser> user =
        DemoUsers.find(username)
            .filter(candidate -> sameToken(passwords.get(candidate.username()), password));
    boolean completesLogin = user.isPresent() && !user.get().hasTotp();
    Lockouts.Verdict verdict = lockouts.attempt(username, user.isPresent(), completesLogin);
    if (verdict != Lockouts.Verdict.ACCEPTED) {
      if (!username.isEmpty()) {
        stats.loginFailed(username);
      }
      renderLogin(
          call,
          next,
          username,
          verdict == Lockouts.Verdict.LOCKED ? Pages.LoginError.LOCKED : Pages.LoginError.INVALID);
      return;
    }
    if (user.get().hasTotp()) {
      Sessions.PendingLogin pending = sessions.startPending(user.get(), next);
      call.setCookie(MFA_COOKIE, pending.token(), "/login", Sessions.PENDING_LIFETIME.toSeconds());
      call.redirect("/login/otp");
      return;
    }
    startSession(call, user.get(), next);
  }

  private void otpPage(Call call) throws IOException {
    Optional<Sessions.PendingLogin> pending = sessions.findPending(call.cookie(MFA_COOKIE));
    if (pending.isEmpty()) {
      call.redirect("/login");
      return;
    }
    call.html(200, Pages.otp(pending.get().user(), false));
  }

  private void otp(Call call) throws IOException {
    if (!call.hasFormBody()) {
      error(call, 415, "bad-request", "Unsupported form", "expected a url-encoded form");
      return;
    }
    Map<String, String> form = call.form();
    Optional<Sessions.PendingLogin> pending = sessions.findPending(call.cookie(MFA_COOKIE));
    if (pending.isEmpty()) {
      call.redirect("/login");
      return;
    }
    DemoUser user = pending.get().user();
    String code = form.getOrDefault("code", "").strip();
    boolean correct = Totp.matches(user.totpSeed().orElseThrow(), code, clock.instant());
    Lockouts.Verdict verdict = lockouts.attempt(user.username(), correct, true);
    if (verdict == Lockouts.Verdict.LOCKED) {
      // The account was locked while this login waited for its code: the login is over.
      stats.loginFailed(user.username());
      sessions.endPending(pending.get().token());
      call.setCookie(MFA_COOKIE, "", "/login", 0);
      renderLogin(call, pending.get().next(), user.username(), Pages.LoginError.LOCKED);
      return;
    }
    if (verdict == Lockouts.Verdict.REJECTED) {
      stats.loginFailed(user.username());
      call.html(200, Pages.otp(user, true));
      return;
    }
    sessions.endPending(pending.get().token());
    call.setCookie(MFA_COOKIE, "", "/login", 0);
    startSession(call, user, pending.get().next());
  }

  private void startSession(Call call, DemoUser user, String next) throws IOException {
    Sessions.Session session = sessions.create(user);
    long maxAge = Math.max(1, (sessions.lifetime().toMillis() + 999) / 1000);
    call.setCookie(SESSION_COOKIE, session.token(), "/", maxAge);
    stats.loginSucceeded(user.username());
    call.redirect(next == null ? "/dashboard" : next);
  }

  private void logout(Call call) throws IOException {
    sessions.end(call.cookie(SESSION_COOKIE));
    call.setCookie(SESSION_COOKIE, "", "/", 0);
    call.redirect("/login");
  }

  private void dashboard(Call call) throws IOException {
    Optional<Sessions.Session> session = requirePageSession(call);
    if (session.isPresent()) {
      DemoUser user = session.get().user();
      call.html(200, Pages.dashboard(user, session.get().apiToken(), Invoices.of(user)));
    }
  }

  private void invoices(Call call) throws IOException {
    Optional<Sessions.Session> session = requirePageSession(call);
    if (session.isEmpty()) {
      return;
    }
    DemoUser user = session.get().user();
    OptionalInt page = parseInt(call.query("page"), 1);
    if (page.isEmpty()) {
      error(call, 400, "bad-request", "Bad request", "page must be a whole number");
      return;
    }
    int pages = Invoices.pages(user);
    if (page.getAsInt() < 1 || page.getAsInt() > pages) {
      notFound(call, "There is no page " + page.getAsInt() + " of invoices.");
      return;
    }
    call.html(
        200, Pages.invoices(user, Invoices.page(user, page.getAsInt()), page.getAsInt(), pages));
  }

  private void catalog(Call call) throws IOException {
    OptionalInt page = parseInt(call.query("page"), 1);
    if (page.isEmpty()) {
      error(call, 400, "bad-request", "Bad request", "page must be a whole number");
      return;
    }
    if (page.getAsInt() < 1 || page.getAsInt() > Catalog.pages()) {
      notFound(call, "There is no page " + page.getAsInt() + " of the catalog.");
      return;
    }
    call.html(200, Pages.catalog(Catalog.page(page.getAsInt()), page.getAsInt(), Catalog.pages()));
  }

  private void catalogLive(Call call) throws IOException {
    OptionalInt page = parseInt(call.query("page"), 1);
    if (page.isEmpty()) {
      error(call, 400, "bad-request", "Bad request", "page must be a whole number");
      return;
    }
    String requestedDelay = call.query("delay");
    long delay;
    try {
      delay =
          requestedDelay == null || requestedDelay.isEmpty()
              ? DEFAULT_LIVE_DELAY_MILLIS
              : Long.parseLong(requestedDelay);
    } catch (NumberFormatException e) {
      delay = -1;
    }
    if (delay < 0) {
      error(
          call, 400, "bad-request", "Bad request", "delay must be a whole number of milliseconds");
      return;
    }
    delay = Math.min(MAX_LIVE_DELAY_MILLIS, delay);
    if (page.getAsInt() < 1 || page.getAsInt() > Catalog.pages()) {
      notFound(call, "There is no page " + page.getAsInt() + " of the catalog.");
      return;
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("page", page.getAsInt());
    data.put("pages", Catalog.pages());
    data.put("products", Catalog.page(page.getAsInt()));
    String nextHref =
        page.getAsInt() < Catalog.pages()
            ? "/catalog/live?page="
                + (page.getAsInt() + 1)
                + (requestedDelay == null || requestedDelay.isEmpty() ? "" : "&delay=" + delay)
            : null;
    call.html(200, Pages.catalogLive(Call.JSON.writeValueAsString(data), delay, nextHref));
  }

  private void apiCatalog(Call call) throws IOException {
    OptionalInt page = parseInt(call.query("page"), 1);
    if (page.isEmpty()) {
      call.json(400, Map.of("error", "page must be a whole number"));
      return;
    }
    if (page.getAsInt() < 1 || page.getAsInt() > Catalog.pages()) {
      call.json(404, Map.of("error", "page out of range"));
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("page", page.getAsInt());
    body.put("pages", Catalog.pages());
    body.put("products", Catalog.page(page.getAsInt()));
    call.json(200, body);
  }

  private void reports(Call call) throws IOException {
    Optional<Sessions.Session> session = requirePageSession(call);
    if (session.isPresent()) {
      call.html(200, Pages.reports(session.get().user()));
    }
  }

  private void slow(Call call) throws IOException, InterruptedException {
    String requested = call.query("ms");
    long millis;
    try {
      millis = requested == null || requested.isEmpty() ? 1000 : Long.parseLong(requested);
    } catch (NumberFormatException e) {
      millis = -1;
    }
    if (millis < 0) {
      error(call, 400, "bad-request", "Bad request", "ms must be a whole number of milliseconds");
      return;
    }
    millis = Math.min(MAX_SLOW_MILLIS, millis);
    Thread.sleep(millis);
    call.html(200, Pages.slow(millis));
  }

  private void apiMe(Call call) throws IOException {
    Optional<Sessions.Session> session = sessions.find(call.cookie(SESSION_COOKIE));
    if (session.isEmpty()) {
      call.json(401, Map.of("error", "not authenticated"));
      return;
    }
    DemoUser user = session.get().user();
    Map<String, String> body = new LinkedHashMap<>();
    body.put("username", user.username());
    body.put("name", user.displayName());
    body.put("email", user.email());
    call.json(200, body);
  }

  private void apiInvoices(Call call) throws IOException {
    Optional<Sessions.Session> session = sessions.find(call.cookie(SESSION_COOKIE));
    if (session.isEmpty()) {
      call.json(401, Map.of("error", "not authenticated"));
      return;
    }
    DemoUser user = session.get().user();
    OptionalInt page = parseInt(call.query("page"), 1);
    if (page.isEmpty()) {
      call.json(400, Map.of("error", "page must be a whole number"));
      return;
    }
    int pages = Invoices.pages(user);
    if (page.getAsInt() < 1 || page.getAsInt() > pages) {
      call.json(404, Map.of("error", "page out of range"));
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("page", page.getAsInt());
    body.put("pages", pages);
    body.put("invoices", Invoices.page(user, page.getAsInt()));
    call.json(200, body);
  }

  private void apiReports(Call call) throws IOException {
    String authorization = call.header("Authorization");
    String token = null;
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      token = authorization.substring(7).strip();
    }
    Optional<Sessions.Session> session = sessions.findByApiToken(token);
    if (session.isEmpty()) {
      call.header("WWW-Authenticate", "Bearer");
      call.json(401, Map.of("error", "invalid or missing bearer token"));
      return;
    }
    call.json(200, Map.of("reports", Reports.of(session.get().user())));
  }

  private Optional<Sessions.Session> requirePageSession(Call call) throws IOException {
    Optional<Sessions.Session> session = sessions.find(call.cookie(SESSION_COOKIE));
    if (session.isEmpty()) {
      call.redirect("/login?next=" + encodeQueryValue(call.pathAndQuery()));
    }
    return session;
  }

  private void notFound(Call call, String message) throws IOException {
    error(call, 404, "not-found", "Not found", message);
  }

  private static void error(Call call, int status, String id, String title, String message)
      throws IOException {
    if (call.path().startsWith("/api/") || call.path().startsWith("/admin/")) {
      call.json(status, Map.of("error", message));
    } else {
      call.html(status, Pages.error(id, title, message));
    }
  }

  /** {@code candidate} when it is a path on this site, otherwise {@code null}. */
  static String localPath(String candidate) {
    if (candidate == null
        || !candidate.startsWith("/")
        || candidate.startsWith("//")
        || candidate.startsWith("/\\")) {
      return null;
    }
    for (int i = 0; i < candidate.length(); i++) {
      if (Character.isISOControl(candidate.charAt(i))) {
        return null;
      }
    }
    return candidate;
  }

  private static OptionalInt parseInt(String value, int fallback) {
    if (value == null || value.isEmpty()) {
      return OptionalInt.of(fallback);
    }
    try {
      return OptionalInt.of(Integer.parseInt(value));
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  private static boolean sameToken(String a, String b) {
    return a != null
        && b != null
        && !a.isEmpty()
        && MessageDigest.isEqual(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** Percent-encodes a query value, keeping {@code /} readable as RFC 3986 allows. */
  private static String encodeQueryValue(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~/".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }
}

package dev.tessera.demosite;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Thread-safe request and login counters behind {@link DemoSiteStats}. */
final class StatsRecorder {

  private record LoginCounter(LongAdder succeeded, LongAdder failed) {
    LoginCounter() {
      this(new LongAdder(), new LongAdder());
    }
  }

  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, LoginCounter> logins = new ConcurrentHashMap<>();

  void request(String path) {
    requests.computeIfAbsent(path, key -> new LongAdder()).increment();
  }

  void loginSucceeded(String username) {
    logins.computeIfAbsent(username, key -> new LoginCounter()).succeeded().increment();
  }

  void loginFailed(String username) {
    logins.computeIfAbsent(username, key -> new LoginCounter()).failed().increment();
  }

  /** The counters now, with {@code locked} as the accounts locked right now. */
  DemoSiteStats snapshot(List<String> locked) {
    Map<String, DemoSiteStats.LoginCounts> loginCounts = new TreeMap<>();
    logins.forEach(
        (username, counter) ->
            loginCounts.put(
                username,
                new DemoSiteStats.LoginCounts(counter.succeeded().sum(), counter.failed().sum())));
    Map<String, Long> requestCounts = new TreeMap<>();
    requests.forEach((path, counter) -> requestCounts.put(path, counter.sum()));
    return new DemoSiteStats(loginCounts, requestCounts, locked);
  }

  void reset() {
    requests.clear();
    logins.clear();
  }
}

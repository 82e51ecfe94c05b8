package dev.tessera.demosite;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of the demo site's counters, the same data as {@code GET /admin/stats}.
 *
 * @param logins login attempts per submitted username; only usernames with an attempt appear
 * @param requests requests per path (without the query string), including admin requests
 */
public record DemoSiteStats(Map<String, LoginCounts> logins, Map<String, Long> requests) {

  /** Successful and failed logins of one username. */
  public record LoginCounts(long succeeded, long failed) {

    /** No attempt at all. */
    public static final LoginCounts NONE = new LoginCounts(0, 0);
  }

  public DemoSiteStats {
    logins = Collections.unmodifiableMap(new TreeMap<>(logins == null ? Map.of() : logins));
    requests = Collections.unmodifiableMap(new TreeMap<>(requests == null ? Map.of() : requests));
  }

  /** The login counts of {@code username}; {@link LoginCounts#NONE} when it had no attempt. */
  public LoginCounts loginsOf(String username) {
    return logins.getOrDefault(username, LoginCounts.NONE);
  }

  /** How many requests {@code path} received; 0 when none. */
  public long requestsTo(String path) {
    return requests.getOrDefault(path, 0L);
  }
}

package dev.tessera.demosite;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A snapshot of the demo site's counters, the same data as {@code GET /admin/stats}.
 *
 * @param logins login attempts per submitted username; only usernames with an attempt appear
 * @param requests requests per path (without the query string), including admin requests
 * @param locked the usernames whose account is locked right now, sorted
 */
public record DemoSiteStats(
    Map<String, LoginCounts> logins, Map<String, Long> requests, List<String> locked) {

  /** Successful and failed logins of one username. */
  public record LoginCounts(long succeeded, long failed) {

    /** No attempt at all. */
    public static final LoginCounts NONE = new LoginCounts(0, 0);
  }

  public DemoSiteStats {
    logins = Collections.unmodifiableMap(new TreeMap<>(logins == null ? Map.of() : logins));
    requests = Collections.unmodifiableMap(new TreeMap<>(requests == null ? Map.of() : requests));
    locked = List.copyOf(new TreeSet<>(locked == null ? List.of() : locked));
  }

  /** Counters with no account locked. */
  public DemoSiteStats(Map<String, LoginCounts> logins, Map<String, Long> requests) {
    this(logins, requests, List.of());
  }

  /** The login counts of {@code username}; {@link LoginCounts#NONE} when it had no attempt. */
  public LoginCounts loginsOf(String username) {
    return logins.getOrDefault(username, LoginCounts.NONE);
  }

  /** Whether {@code username}'s account was locked when this snapshot was taken. */
  public boolean isLocked(String username) {
    return locked.contains(username);
  }

  /** How many requests {@code path} received; 0 when none. */
  public long requestsTo(String path) {
    return requests.getOrDefault(path, 0L);
  }
}

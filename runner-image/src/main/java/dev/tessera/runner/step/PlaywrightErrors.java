package dev.tessera.runner.step;

import java.util.List;
import java.util.Locale;

/** Reads Playwright's and Chromium's error messages: short summaries, and what kind of failure. */
public final class PlaywrightErrors {
  /** Chromium's network errors that mean the proxy, not the site, failed. */
  private static final List<String> PROXY_NET_ERRORS =
      List.of(
          "ERR_PROXY_",
          "ERR_TUNNEL_CONNECTION_FAILED",
          "ERR_NO_SUPPORTED_PROXIES",
          "ERR_SOCKS_CONNECTION_",
          "ERR_MANDATORY_PROXY_CONFIGURATION_FAILED");

  /** Connection-level failures of the driver's HTTP client (Node.js error codes). */
  private static final List<String> CONNECTION_ERRORS =
      List.of(
          "ECONNREFUSED",
          "ECONNRESET",
          "ETIMEDOUT",
          "ENOTFOUND",
          "EAI_AGAIN",
          "EHOSTUNREACH",
          "ENETUNREACH",
          "socket hang up",
          "tunneling socket",
          "Proxy Authentication Required");

  static final int MAX_SUMMARY = 300;

  private PlaywrightErrors() {}

  /**
   * The gist of a Playwright message: the driver's {@code message='...'} line when the message is
   * an error dump, else its first line, without the {@code Error: } prefix and the call log,
   * bounded in length.
   */
  public static String summary(String message) {
    if (message == null || message.isBlank()) {
      return "no details";
    }
    String line =
        message
            .strip()
            .lines()
            .map(String::strip)
            .filter(l -> l.startsWith("message='"))
            .map(l -> l.substring("message='".length()))
            .findFirst()
            .orElseGet(() -> message.strip().lines().findFirst().orElse("").strip());
    if (line.endsWith("'")) {
      line = line.substring(0, line.length() - 1);
    }
    if (line.startsWith("Error: ")) {
      line = line.substring("Error: ".length());
    }
    return line.length() > MAX_SUMMARY ? line.substring(0, MAX_SUMMARY) + "..." : line;
  }

  /** Whether a page load failed because the runner's guard aborted it. */
  public static boolean isBlockedByRunner(String message) {
    return message != null && message.contains("net::ERR_BLOCKED_BY_CLIENT");
  }

  /** Whether a page load failed because of the proxy (Chromium's {@code net::ERR_PROXY_*}). */
  public static boolean isProxyNavigationFailure(String message) {
    return message != null && PROXY_NET_ERRORS.stream().anyMatch(message::contains);
  }

  /**
   * Whether an HTTP request failed to connect. Behind a proxy the runner connects only to the
   * proxy, so such a failure is the proxy's.
   */
  public static boolean isConnectionFailure(String message) {
    if (message == null) {
      return false;
    }
    String lower = message.toLowerCase(Locale.ROOT);
    return CONNECTION_ERRORS.stream().anyMatch(e -> lower.contains(e.toLowerCase(Locale.ROOT)));
  }
}

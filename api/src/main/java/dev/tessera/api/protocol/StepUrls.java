package dev.tessera.api.protocol;

import java.util.Locale;
import java.util.Optional;

/**
 * Which URLs steps may name: absolute {@code http} and {@code https} URLs, and {@code about:blank}.
 * Anything else ({@code file:}, {@code javascript:}, {@code data:}, {@code chrome:}...) would let a
 * Project read the runner's files or run script outside any site. The operator checks the literal
 * part of a step's URL when it validates a Project; the runner checks the URL a template renders to
 * before it uses it.
 *
 * <p>The scheme is read as a browser reads it: tabs and newlines anywhere are dropped, and leading
 * spaces and control characters are ignored, so that {@code " java\tscript:"} is {@code
 * javascript:}.
 */
public final class StepUrls {
  /** The one non-HTTP URL steps may name. */
  public static final String ABOUT_BLANK = "about:blank";

  private StepUrls() {}

  /**
   * Why a rendered URL may not be used, or empty when it may. The reason names the scheme, never
   * the rest of the URL.
   */
  public static Optional<String> problem(String url) {
    String normalized = normalize(url);
    if (normalized.equalsIgnoreCase(ABOUT_BLANK)) {
      return Optional.empty();
    }
    Optional<String> scheme = scheme(normalized);
    if (scheme.isEmpty()) {
      return Optional.of("only absolute http and https URLs are allowed");
    }
    return schemeProblem(scheme.get());
  }

  /**
   * Why a URL template may not be used, judged from its literal start (up to the first {@code $(}),
   * or empty when that start is allowed or says nothing yet ({@code $(params.baseUrl)/x}).
   */
  public static Optional<String> templateProblem(String template) {
    if (template == null) {
      return Optional.empty();
    }
    int reference = template.indexOf("$(");
    if (reference < 0) {
      return problem(template);
    }
    String literal = normalize(template.substring(0, reference));
    return scheme(literal).flatMap(StepUrls::schemeProblem);
  }

  private static Optional<String> schemeProblem(String scheme) {
    if (scheme.equals("http") || scheme.equals("https")) {
      return Optional.empty();
    }
    return Optional.of("only http and https URLs are allowed, not \"" + scheme + ":\"");
  }

  /** The lower-case scheme, when the text starts with one. */
  private static Optional<String> scheme(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0) {
      return Optional.empty();
    }
    String scheme = text.substring(0, colon);
    if (!Character.isLetter(scheme.charAt(0)) || !scheme.chars().allMatch(StepUrls::schemeChar)) {
      return Optional.empty();
    }
    return Optional.of(scheme.toLowerCase(Locale.ROOT));
  }

  private static boolean schemeChar(int c) {
    return c < 128 && (Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.');
  }

  /** As the URL standard does before parsing: no tabs or newlines, no leading C0 or space. */
  private static String normalize(String url) {
    if (url == null) {
      return "";
    }
    String text = url.replace("\t", "").replace("\n", "").replace("\r", "");
    int start = 0;
    while (start < text.length() && text.charAt(start) <= ' ') {
      start++;
    }
    int end = text.length();
    while (end > start && text.charAt(end - 1) <= ' ') {
      end--;
    }
    return text.substring(start, end);
  }
}

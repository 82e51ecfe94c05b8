package dev.tessera.runner.log;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Masks secret values (credentials, the proxy password) wherever they might surface in a message: a
 * URL in a navigation error, an exception of a Java API, the current URL of a page.
 */
public final class Redactor {
  /** Shown in place of a secret. */
  public static final String MASK = "***";

  /** Values shorter than this are not masked: they would mangle every message and hide little. */
  static final int MIN_LENGTH = 3;

  private static final Redactor NONE = new Redactor(List.of());

  private final List<String> secrets;

  private Redactor(List<String> secrets) {
    this.secrets = secrets;
  }

  /** Masks each of these values (nulls and very short values are ignored). */
  public static Redactor of(Collection<String> secrets) {
    return new Redactor(
        secrets.stream()
            .filter(Objects::nonNull)
            .filter(s -> s.length() >= MIN_LENGTH)
            .distinct()
            // Longest first, so a secret that contains another is masked whole.
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList());
  }

  /** Masks nothing. */
  public static Redactor none() {
    return NONE;
  }

  /** The values masked, longest first. */
  public List<String> values() {
    return secrets;
  }

  /** The text with every secret replaced by {@link #MASK}; null stays null. */
  public String redact(String text) {
    if (text == null || secrets.isEmpty()) {
      return text;
    }
    String out = text;
    for (String secret : secrets) {
      out = out.replace(secret, MASK);
    }
    return out;
  }
}

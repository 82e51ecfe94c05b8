package dev.tessera.runner.step;

import java.util.regex.Pattern;

/**
 * Playwright's URL globs, for the outcomes of {@code waitFor.anyOf}: {@code **} matches any
 * characters, {@code *} any characters but {@code /}, {@code {a,b}} either; everything else is
 * literal. A glob without a scheme matches against the whole URL as {@code page.waitForURL} does.
 */
final class UrlGlob {
  private UrlGlob() {}

  static boolean matches(String glob, String url) {
    return url != null && toRegex(glob).matcher(url).matches();
  }

  static Pattern toRegex(String glob) {
    StringBuilder regex = new StringBuilder();
    boolean inGroup = false;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
          regex.append(".*");
          i++;
        } else {
          regex.append("[^/]*");
        }
      } else if (c == '{') {
        inGroup = true;
        regex.append("(?:");
      } else if (c == '}' && inGroup) {
        inGroup = false;
        regex.append(')');
      } else if (c == ',' && inGroup) {
        regex.append('|');
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }
}

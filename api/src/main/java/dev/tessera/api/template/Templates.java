package dev.tessera.api.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders templated step values. References: {@code $(params.a.b)} (a scalar is written as text, an
 * object or array as JSON), {@code $(credentials.key)} and {@code $(totp(credentials.key))}. {@code
 * $$(} writes a literal {@code $(}. A reference to a missing value fails with a message that names
 * the reference, never a value.
 */
public final class Templates {
  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\$\\(|\\$\\(\\s*(?:totp\\(\\s*([^()\\s]+)\\s*\\)|([^()\\s]+))\\s*\\)");

  private final JsonNode params;
  private final Map<String, String> credentials;
  private final Clock clock;

  /**
   * @param params the Run's parameters (may be null)
   * @param credentials the credentials available to this operation (may be null or empty)
   * @param clock the clock TOTP codes are computed at
   */
  public Templates(JsonNode params, Map<String, String> credentials, Clock clock) {
    this.params = params;
    this.credentials = credentials == null ? Map.of() : credentials;
    this.clock = clock;
  }

  /** Renders a template; null stays null. */
  public String render(String template) {
    if (template == null) {
      return null;
    }
    Matcher m = REFERENCE.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group().equals("$$(")) {
        replacement = "$(";
      } else if (m.group(1) != null) {
        replacement =
            Totp.code(credential(m.group(1), "totp(" + m.group(1) + ")"), clock.instant());
      } else {
        replacement = resolve(m.group(2));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    if (out.indexOf("$(") >= 0 && !template.contains("$$(")) {
      throw new TemplateException("malformed reference in template: " + redact(template));
    }
    return out.toString();
  }

  /** Whether a template reads a credential, so that its rendered value must never be logged. */
  public static boolean readsCredentials(String template) {
    return !credentialKeys(template).isEmpty();
  }

  /**
   * The credential keys a template reads ({@code password} for {@code $(credentials.password)}).
   */
  public static Set<String> credentialKeys(String template) {
    Set<String> keys = new TreeSet<>();
    if (template == null) {
      return keys;
    }
    Matcher m = REFERENCE.matcher(template);
    while (m.find()) {
      String ref = m.group(1) != null ? m.group(1) : m.group(2);
      if (ref != null && ref.startsWith("credentials.")) {
        keys.add(ref.substring("credentials.".length()));
      }
    }
    return keys;
  }

  private String resolve(String reference) {
    if (reference.startsWith("params.")) {
      JsonNode node = params;
      for (String part : reference.substring("params.".length()).split("\\.")) {
        node = node == null ? null : node.get(part);
      }
      if (node == null || node.isMissingNode() || node.isNull()) {
        throw new TemplateException("parameter not found: $(" + reference + ")");
      }
      return node.isValueNode() ? node.asText() : node.toString();
    }
    if (reference.startsWith("credentials.")) {
      return credential(reference, reference);
    }
    throw new TemplateException(
        "unknown reference $("
            + reference
            + "): use $(params.x), $(credentials.x) or $(totp(credentials.x))");
  }

  private String credential(String reference, String shown) {
    if (!reference.startsWith("credentials.")) {
      throw new TemplateException("totp takes a credential, as in $(totp(credentials.seed))");
    }
    String value = credentials.get(reference.substring("credentials.".length()));
    if (value == null) {
      throw new TemplateException("credential not available to this operation: $(" + shown + ")");
    }
    return value;
  }

  private static String redact(String template) {
    return template.length() > 80 ? template.substring(0, 80) + "..." : template;
  }
}

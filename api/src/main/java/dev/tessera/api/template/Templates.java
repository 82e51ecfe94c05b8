package dev.tessera.api.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders templated step values. References:
 *
 * <ul>
 *   <li>{@code $(params.a.b)}: a Run parameter (a scalar is written as text, an object or array as
 *       JSON);
 *   <li>{@code $(credentials.key)} and {@code $(totp(credentials.key))}: a credential, or the TOTP
 *       code of a seed (only the create API has credentials);
 *   <li>{@code $(localStorage.key)} and {@code $(cookies.name)}: a value of the browser's state, in
 *       {@code request} steps only: the localStorage entry of the request URL's origin, the cookie
 *       the browser would send to that URL.
 * </ul>
 *
 * <p>{@code $$(} writes a literal {@code $(}. A reference to a missing value fails with a message
 * that names the reference, never a value. {@link #references} reads the references of a template
 * without rendering it, so that a Project is refused before any Run when one is not well formed.
 */
public final class Templates {
  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\$\\(|\\$\\(\\s*(?:totp\\(\\s*([^()\\s]+)\\s*\\)|([^()\\s]+))\\s*\\)");

  /** The forms a reference may take, for messages. */
  public static final String FORMS =
      "$(params.x), $(credentials.x), $(totp(credentials.x)), and in request steps"
          + " $(localStorage.x) or $(cookies.x)";

  /** What a reference reads. */
  public enum Kind {
    PARAM("params."),
    CREDENTIAL("credentials."),
    TOTP("credentials."),
    LOCAL_STORAGE("localStorage."),
    COOKIE("cookies.");

    private final String prefix;

    Kind(String prefix) {
      this.prefix = prefix;
    }

    /** Whether the value must never be shown: everything but a parameter. */
    public boolean secret() {
      return this != PARAM;
    }

    /** Whether the value comes from the browser's state, so that only a request may use it. */
    public boolean browserState() {
      return this == LOCAL_STORAGE || this == COOKIE;
    }
  }

  /**
   * One reference of a template.
   *
   * @param kind what it reads
   * @param key the parameter path, credential key, localStorage key or cookie name
   * @param text the reference as written, e.g. {@code $(localStorage.token)}
   */
  public record Reference(Kind kind, String key, String text) {}

  /**
   * The browser's state that {@code $(localStorage.x)} and {@code $(cookies.x)} read: the state the
   * session was given, with whatever the steps so far changed in it.
   */
  public interface BrowserState {
    /** The localStorage value of a key at an origin ({@code https://host:port}), or null. */
    String localStorage(String origin, String key);

    /** The value of the cookie of this name that the browser would send to the URL, or null. */
    String cookie(String url, String name);
  }

  private final JsonNode params;
  private final Map<String, String> credentials;
  private final Clock clock;
  private final BrowserState state;
  private final String url;

  /**
   * @param params the Run's parameters (may be null)
   * @param credentials the credentials available to this operation (may be null or empty)
   * @param clock the clock TOTP codes are computed at
   */
  public Templates(JsonNode params, Map<String, String> credentials, Clock clock) {
    this(params, credentials, clock, null, null);
  }

  private Templates(
      JsonNode params,
      Map<String, String> credentials,
      Clock clock,
      BrowserState state,
      String url) {
    this.params = params;
    this.credentials = credentials == null ? Map.of() : credentials;
    this.clock = clock;
    this.state = state;
    this.url = url;
  }

  /** These templates, reading the browser's state for the references of a request. */
  public Templates withBrowserState(BrowserState state) {
    return new Templates(params, credentials, clock, state, url);
  }

  /**
   * Renders a request's URL, whose browser-state references read the state of the URL's own origin
   * (so they may stand only in its path, query or fragment), and returns templates that render the
   * request's headers and body for that URL.
   *
   * @return the rendered URL and the templates of the rest of the request
   */
  public RequestTemplates request(String urlTemplate) {
    List<Reference> references = references(urlTemplate);
    if (references.stream().noneMatch(r -> r.kind().browserState())) {
      String rendered = render(urlTemplate);
      return new RequestTemplates(rendered, at(rendered));
    }
    // The origin is what the URL reads with its browser-state references left empty: they may not
    // change it.
    String probe = at("").render(urlTemplate, true);
    String origin = origin(probe);
    String rendered = origin == null ? null : at(probe).render(urlTemplate);
    if (origin == null || !origin.equals(origin(rendered))) {
      throw new TemplateException(
          "a $(localStorage...) or $(cookies...) reference may stand only in the path or query of"
              + " a request URL, after its scheme and host: "
              + display(urlTemplate));
    }
    return new RequestTemplates(rendered, at(rendered));
  }

  /** A rendered request URL and the templates of its headers and body. */
  public record RequestTemplates(String url, Templates templates) {}

  private Templates at(String requestUrl) {
    return new Templates(params, credentials, clock, state, requestUrl);
  }

  /** Renders a template; null stays null. */
  public String render(String template) {
    return render(template, false);
  }

  private String render(String template, boolean browserStateEmpty) {
    if (template == null) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    scan(
        template,
        literal -> out.append(literal),
        reference -> {
          if (browserStateEmpty && reference.kind().browserState()) {
            return;
          }
          out.append(value(reference));
        });
    return out.toString();
  }

  /**
   * The template as people may read it: parameters rendered where they can be, every secret
   * reference (credentials, TOTP codes, localStorage, cookies) left as written.
   */
  public String display(String template) {
    if (template == null) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    try {
      scan(
          template,
          literal -> out.append(literal),
          reference -> {
            if (reference.kind().secret()) {
              out.append(reference.text());
            } else {
              try {
                out.append(value(reference));
              } catch (TemplateException missing) {
                out.append(reference.text());
              }
            }
          });
    } catch (TemplateException malformed) {
      return redact(template);
    }
    return out.toString();
  }

  /**
   * The references of a template, in order.
   *
   * @throws TemplateException when one is not one of the {@link #FORMS}, or a {@code $(} opens no
   *     reference
   */
  public static List<Reference> references(String template) {
    List<Reference> references = new ArrayList<>();
    if (template != null) {
      scan(template, literal -> {}, references::add);
    }
    return references;
  }

  /**
   * What is wrong with a template's references, or empty when each is one of the {@link #FORMS}.
   *
   * @param browserStateAllowed whether the template belongs to a request step, the only place the
   *     browser's state may be read
   */
  public static Optional<String> problem(String template, boolean browserStateAllowed) {
    List<Reference> references;
    try {
      references = references(template);
    } catch (TemplateException e) {
      return Optional.of(e.getMessage());
    }
    if (!browserStateAllowed) {
      for (Reference reference : references) {
        if (reference.kind().browserState()) {
          return Optional.of(
              reference.text()
                  + " reads the browser's state, which only the url, headers and body of a"
                  + " request step may do");
        }
      }
    }
    return Optional.empty();
  }

  /** Whether a template reads a credential, so that its rendered value must never be logged. */
  public static boolean readsCredentials(String template) {
    return !credentialKeys(template).isEmpty();
  }

  /**
   * The credential keys a template reads ({@code password} for {@code $(credentials.password)}).
   * References that are not well formed are left to {@link #problem}.
   */
  public static Set<String> credentialKeys(String template) {
    Set<String> keys = new TreeSet<>();
    if (template == null) {
      return keys;
    }
    Matcher m = REFERENCE.matcher(template);
    while (m.find()) {
      String ref = m.group(1) != null ? m.group(1) : m.group(2);
      if (ref != null && ref.startsWith(Kind.CREDENTIAL.prefix)) {
        keys.add(ref.substring(Kind.CREDENTIAL.prefix.length()));
      }
    }
    return keys;
  }

  /** What to do with a literal part of a template. */
  @FunctionalInterface
  private interface LiteralSink {
    void accept(String literal);
  }

  /** What to do with a reference. */
  @FunctionalInterface
  private interface ReferenceSink {
    void accept(Reference reference);
  }

  /** Splits a template into literal text and references, refusing what is not well formed. */
  private static void scan(String template, LiteralSink literals, ReferenceSink references) {
    Matcher m = REFERENCE.matcher(template);
    int at = 0;
    while (m.find()) {
      literal(template, template.substring(at, m.start()), literals);
      at = m.end();
      if (m.group().equals("$$(")) {
        literals.accept("$(");
      } else if (m.group(1) != null) {
        String inner = m.group(1);
        if (!inner.startsWith(Kind.CREDENTIAL.prefix)
            || inner.length() == Kind.CREDENTIAL.prefix.length()) {
          throw new TemplateException(
              "totp takes a credential, as in $(totp(credentials.seed)), not " + m.group());
        }
        references.accept(
            new Reference(Kind.TOTP, inner.substring(Kind.CREDENTIAL.prefix.length()), m.group()));
      } else {
        references.accept(reference(m.group(2), m.group()));
      }
    }
    literal(template, template.substring(at), literals);
  }

  private static void literal(String template, String literal, LiteralSink literals) {
    if (literal.contains("$(")) {
      throw new TemplateException(
          "malformed reference in template "
              + redact(template)
              + ": a reference is $( a name without spaces or parentheses ), one of "
              + FORMS
              + "; write $$( for a literal $(");
    }
    literals.accept(literal);
  }

  private static Reference reference(String inner, String text) {
    for (Kind kind : Kind.values()) {
      if (kind != Kind.TOTP
          && inner.startsWith(kind.prefix)
          && inner.length() > kind.prefix.length()) {
        return new Reference(kind, inner.substring(kind.prefix.length()), text);
      }
    }
    if (inner.startsWith("sessionStorage.")) {
      throw new TemplateException(
          text
              + ": a session's stored state holds cookies and localStorage, not sessionStorage;"
              + " read the value from localStorage or a cookie");
    }
    throw new TemplateException("unknown reference " + text + ": use " + FORMS);
  }

  private String value(Reference reference) {
    switch (reference.kind()) {
      case PARAM:
        JsonNode node = params;
        for (String part : reference.key().split("\\.")) {
          node = node == null ? null : node.get(part);
        }
        if (node == null || node.isMissingNode() || node.isNull()) {
          throw new TemplateException("parameter not found: " + reference.text());
        }
        return node.isValueNode() ? node.asText() : node.toString();
      case CREDENTIAL:
        return credential(reference);
      case TOTP:
        return Totp.code(credential(reference), clock.instant());
      case LOCAL_STORAGE:
      case COOKIE:
        return browserState(reference);
      default:
        throw new IllegalStateException(reference.kind().name());
    }
  }

  private String credential(Reference reference) {
    String value = credentials.get(reference.key());
    if (value == null) {
      throw new TemplateException(
          "credential not available to this operation: " + reference.text());
    }
    return value;
  }

  private String browserState(Reference reference) {
    if (url == null || state == null) {
      throw new TemplateException(
          reference.text() + " reads the browser's state, which only a request step may do");
    }
    if (url.isEmpty()) {
      return "";
    }
    String value =
        reference.kind() == Kind.COOKIE
            ? state.cookie(url, reference.key())
            : state.localStorage(origin(url), reference.key());
    if (value == null) {
      throw new TemplateException(
          (reference.kind() == Kind.COOKIE
                  ? "the browser has no cookie for " + origin(url) + " named by "
                  : "the browser's localStorage of " + origin(url) + " has no entry named by ")
              + reference.text());
    }
    return value;
  }

  /** {@code scheme://host[:port]} of a URL, as browsers write an origin; null when it has none. */
  static String origin(String url) {
    try {
      URI uri = URI.create(url);
      if (uri.getScheme() == null || uri.getHost() == null) {
        return null;
      }
      return uri.getScheme().toLowerCase(Locale.ROOT)
          + "://"
          + uri.getHost().toLowerCase(Locale.ROOT)
          + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String redact(String template) {
    return template.length() > 80 ? template.substring(0, 80) + "..." : template;
  }
}

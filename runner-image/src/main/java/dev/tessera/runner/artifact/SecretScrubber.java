package dev.tessera.runner.artifact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tessera.runner.log.Redactor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites what the browser saw so that no secret value is left in it: every text (an HTML page, a
 * trace's NDJSON events and network entries, its text resources) gets each secret replaced by
 * {@link Redactor#MASK}, as written and in the encodings a page or a trace uses for it (URL, HTML,
 * JSON); the values of {@code Cookie}, {@code Set-Cookie} and {@code Authorization} headers and of
 * cookie lists in a trace are masked whatever they hold.
 *
 * <p>Values shorter than three characters are not masked, as the log's {@link Redactor} does. A
 * secret is found only as written or so encoded: one the site derives from it (a hash, a part of
 * it, a base64 of it) or shows only as pixels (in a screenshot) is not.
 */
public final class SecretScrubber {
  /** Headers whose values are masked whatever they hold. */
  static final Set<String> MASKED_HEADERS =
      Set.of("cookie", "set-cookie", "authorization", "proxy-authorization");

  /**
   * Fields of a trace's events that the trace viewer reads as identifiers or kinds, never anything
   * a page or a secret fills: left alone, so that a secret equal to, say, {@code click} cannot
   * break the trace.
   */
  private static final Set<String> STRUCTURE =
      Set.of(
          "type",
          "class",
          "method",
          "apiName",
          "callId",
          "parentId",
          "pageId",
          "frameId",
          "snapshotName",
          "sha1",
          "_sha1",
          "_frameref",
          "_monotonicTime",
          "contextId",
          "browserName",
          "platform",
          "version",
          "sdkLanguage");

  /**
   * A header line of a trace's log message ({@code cookie: a=b}), as Playwright logs the requests
   * of {@code request} steps.
   */
  private static final Pattern HEADER_LINE =
      Pattern.compile(
          "(?im)^([ \\t]*(?:cookie|set-cookie|authorization|proxy-authorization):[ \\t]*)(\\S.*)$");

  /** Entries of a trace that hold one JSON event per line. */
  private static final List<String> NDJSON = List.of(".trace", ".network");

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(SerializationFeature.INDENT_OUTPUT)
          .build();

  private final Redactor redactor;

  private SecretScrubber(Redactor redactor) {
    this.redactor = redactor;
  }

  /** Masks these values, and their encodings (values shorter than three characters are kept). */
  public static SecretScrubber of(Collection<String> secrets) {
    Set<String> variants = new LinkedHashSet<>();
    for (String secret : secrets) {
      if (secret != null && !secret.isEmpty()) {
        variants.addAll(encodings(secret));
      }
    }
    return new SecretScrubber(Redactor.of(variants));
  }

  /** The secret as written and as a URL, an HTML document or a JSON string would carry it. */
  static Set<String> encodings(String secret) {
    Set<String> out = new LinkedHashSet<>();
    out.add(secret);
    String form = URLEncoder.encode(secret, StandardCharsets.UTF_8);
    out.add(form);
    out.add(form.replace("+", "%20"));
    out.add(form.toLowerCase(Locale.ROOT).equals(form) ? form : lowerHex(form));
    String html =
        secret
            .replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace("\"", "&quot;");
    out.add(html);
    out.add(html.replace("'", "&#39;"));
    out.add(html.replace("'", "&#x27;"));
    String json = jsonEscaped(secret);
    out.add(json);
    out.add(json.replace("/", "\\/"));
    return out;
  }

  /** The text with every secret masked. */
  public String text(String text) {
    return redactor.redact(text);
  }

  /**
   * The content of a file or of a trace's entry with every secret masked: JSON (one document, or
   * one per line for a trace's {@code .trace} and {@code .network}) is masked value by value; other
   * UTF-8 text as text; images are kept; other bytes are masked where a secret appears in them as
   * ASCII.
   */
  public byte[] content(String name, byte[] content) {
    String lower = name.toLowerCase(Locale.ROOT);
    String text = utf8(content);
    if (text == null) {
      if (isImage(content)) {
        return content;
      }
      // Not UTF-8 (a page in Latin-1, a font): each byte is one char, so masking keeps the rest.
      return text(new String(content, StandardCharsets.ISO_8859_1))
          .getBytes(StandardCharsets.ISO_8859_1);
    }
    if (NDJSON.stream().anyMatch(lower::endsWith)) {
      return ndjson(text).getBytes(StandardCharsets.UTF_8);
    }
    if (lower.endsWith(".json") || lower.endsWith(".stacks")) {
      String document = json(text);
      if (document != null) {
        return document.getBytes(StandardCharsets.UTF_8);
      }
    }
    return text(text).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Writes a copy of a Playwright trace with every entry masked: the same entries under the same
   * names, in the same order, so that the trace viewer opens it as it would the original.
   */
  public void zip(Path in, Path out) throws IOException {
    try (ZipFile zip = new ZipFile(in.toFile());
        OutputStream file = Files.newOutputStream(out);
        ZipOutputStream copy = new ZipOutputStream(file)) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        ZipEntry masked = new ZipEntry(entry.getName());
        if (entry.getTime() != -1) {
          masked.setTime(entry.getTime());
        }
        copy.putNextEntry(masked);
        if (!entry.isDirectory()) {
          try (InputStream content = zip.getInputStream(entry)) {
            copy.write(content(entry.getName(), content.readAllBytes()));
          }
        }
        copy.closeEntry();
      }
    }
  }

  /**
   * The cookie values a trace's network entries and events carry ({@code Cookie} and {@code
   * Set-Cookie} headers, cookie lists): a site may set a cookie and replace it before the end, and
   * such a value is in no storage state.
   */
  public static Set<String> cookieValues(Path trace) throws IOException {
    Set<String> values = new LinkedHashSet<>();
    try (ZipFile zip = new ZipFile(trace.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        String lower = entry.getName().toLowerCase(Locale.ROOT);
        if (NDJSON.stream().noneMatch(lower::endsWith)) {
          continue;
        }
        String text;
        try (InputStream content = zip.getInputStream(entry)) {
          text = new String(content.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String line : text.split("\n", -1)) {
          if (line.isBlank()) {
            continue;
          }
          try {
            collectCookies(JSON.readTree(line), values);
          } catch (JsonProcessingException e) {
            // not JSON: nothing to read here; the line is masked as text
          }
        }
      }
    }
    return values;
  }

  private String ndjson(String text) {
    String[] lines = text.split("\n", -1);
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < lines.length; i++) {
      if (i > 0) {
        out.append('\n');
      }
      String line = lines[i];
      String masked = line.isBlank() ? line : json(line);
      out.append(masked == null ? text(line) : masked);
    }
    return out.toString();
  }

  /** One JSON document with every string value masked, or null when the text is not JSON. */
  private String json(String text) {
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
    if (node == null) {
      return null;
    }
    JsonNode masked = mask(node);
    try {
      return JSON.writeValueAsString(masked);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree that was just read cannot be written", e);
    }
  }

  private JsonNode mask(JsonNode node) {
    if (node.isTextual()) {
      String masked = HEADER_LINE.matcher(text(node.textValue())).replaceAll("$1" + Redactor.MASK);
      return masked.equals(node.textValue()) ? node : TextNode.valueOf(masked);
    }
    if (node.isArray()) {
      ArrayNode array = (ArrayNode) node;
      for (int i = 0; i < array.size(); i++) {
        array.set(i, mask(array.get(i)));
      }
      return array;
    }
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      boolean maskedHeader =
          object.path("name").isTextual()
              && object.has("value")
              && MASKED_HEADERS.contains(object.path("name").textValue().toLowerCase(Locale.ROOT));
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      List<Map.Entry<String, JsonNode>> replaced = new ArrayList<>();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        String key = field.getKey();
        JsonNode value = field.getValue();
        if (maskedHeader && key.equals("value")) {
          replaced.add(Map.entry(key, TextNode.valueOf(Redactor.MASK)));
        } else if (key.equals("cookies") && value.isArray()) {
          for (JsonNode cookie : value) {
            if (cookie.isObject() && cookie.has("value")) {
              ((ObjectNode) cookie).put("value", Redactor.MASK);
            }
          }
          replaced.add(Map.entry(key, mask(value)));
        } else if (value.isObject() && hasMaskedHeader(value)) {
          // headers as an object of name -> value
          ObjectNode headers = (ObjectNode) value;
          List<String> names = new ArrayList<>();
          headers.fieldNames().forEachRemaining(names::add);
          for (String header : names) {
            if (MASKED_HEADERS.contains(header.toLowerCase(Locale.ROOT))) {
              headers.put(header, Redactor.MASK);
            }
          }
          replaced.add(Map.entry(key, mask(headers)));
        } else if (!(STRUCTURE.contains(key) && value.isTextual())) {
          replaced.add(Map.entry(key, mask(value)));
        }
      }
      for (Map.Entry<String, JsonNode> field : replaced) {
        object.set(field.getKey(), field.getValue());
      }
      return object;
    }
    return node;
  }

  private static boolean hasMaskedHeader(JsonNode object) {
    Iterator<String> names = object.fieldNames();
    while (names.hasNext()) {
      if (MASKED_HEADERS.contains(names.next().toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  private static void collectCookies(JsonNode node, Set<String> values) {
    if (node.isArray()) {
      node.forEach(item -> collectCookies(item, values));
      return;
    }
    if (node.isTextual()) {
      Matcher line = HEADER_LINE.matcher(node.textValue());
      while (line.find()) {
        String header = line.group(1).strip().toLowerCase(Locale.ROOT);
        if (header.startsWith("cookie")) {
          for (String pair : line.group(2).split(";")) {
            addPairValue(pair, values);
          }
        } else if (header.startsWith("set-cookie")) {
          addPairValue(line.group(2).split(";", 2)[0], values);
        }
      }
      return;
    }
    if (!node.isObject()) {
      return;
    }
    String name = node.path("name").isTextual() ? node.path("name").textValue() : null;
    JsonNode value = node.path("value");
    if (name != null && value.isTextual()) {
      switch (name.toLowerCase(Locale.ROOT)) {
        case "cookie" -> {
          for (String pair : value.textValue().split(";")) {
            addPairValue(pair, values);
          }
        }
        case "set-cookie" -> {
          for (String cookie : value.textValue().split("\n")) {
            addPairValue(cookie.split(";", 2)[0], values);
          }
        }
        default -> {}
      }
    }
    JsonNode cookies = node.path("cookies");
    if (cookies.isArray()) {
      for (JsonNode cookie : cookies) {
        if (cookie.path("value").isTextual()) {
          values.add(cookie.path("value").textValue());
        }
      }
    }
    node.fields().forEachRemaining(field -> collectCookies(field.getValue(), values));
  }

  private static void addPairValue(String pair, Set<String> values) {
    int eq = pair.indexOf('=');
    if (eq >= 0) {
      String value = pair.substring(eq + 1).trim();
      if (!value.isEmpty()) {
        values.add(value);
      }
    }
  }

  /** The bytes as UTF-8 text, or null when they are not valid UTF-8. */
  static String utf8(byte[] content) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** PNG, JPEG, GIF or WebP: pictures, which hold no text to mask. */
  static boolean isImage(byte[] c) {
    return startsWith(c, 0x89, 'P', 'N', 'G')
        || startsWith(c, 0xFF, 0xD8, 0xFF)
        || startsWith(c, 'G', 'I', 'F', '8')
        || (startsWith(c, 'R', 'I', 'F', 'F')
            && c.length >= 12
            && c[8] == 'W'
            && c[9] == 'E'
            && c[10] == 'B'
            && c[11] == 'P');
  }

  private static boolean startsWith(byte[] content, int... prefix) {
    if (content.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((content[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static String lowerHex(String encoded) {
    StringBuilder out = new StringBuilder(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%' && i + 2 < encoded.length()) {
        out.append('%')
            .append(Character.toLowerCase(encoded.charAt(i + 1)))
            .append(Character.toLowerCase(encoded.charAt(i + 2)));
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String jsonEscaped(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}

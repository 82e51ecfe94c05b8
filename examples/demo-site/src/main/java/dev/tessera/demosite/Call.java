package dev.tessera.demosite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One HTTP exchange: parsed request data and helpers to send the response. */
final class Call {

  static final ObjectMapper JSON = new ObjectMapper();

  private static final int MAX_FORM_BYTES = 64 * 1024;

  private final HttpExchange exchange;
  private final Map<String, String> query;
  private final Map<String, String> cookies;

  Call(HttpExchange exchange) {
    this.exchange = exchange;
    this.query = parseUrlEncoded(exchange.getRequestURI().getRawQuery());
    this.cookies = parseCookies(exchange.getRequestHeaders().get("Cookie"));
  }

  String method() {
    return exchange.getRequestMethod();
  }

  String path() {
    return exchange.getRequestURI().getPath();
  }

  /** The path with its query string, as the browser asked for it. */
  String pathAndQuery() {
    String rawQuery = exchange.getRequestURI().getRawQuery();
    return rawQuery == null ? path() : path() + "?" + rawQuery;
  }

  String query(String name) {
    return query.get(name);
  }

  String cookie(String name) {
    return cookies.get(name);
  }

  String header(String name) {
    return exchange.getRequestHeaders().getFirst(name);
  }

  boolean hasFormBody() {
    String type = header("Content-Type");
    return type != null
        && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
  }

  /** The url-encoded form fields of the request body. */
  Map<String, String> form() throws IOException {
    try (InputStream body = exchange.getRequestBody()) {
      byte[] bytes = body.readNBytes(MAX_FORM_BYTES + 1);
      if (bytes.length > MAX_FORM_BYTES) {
        throw new IOException("form body too large");
      }
      return parseUrlEncoded(new String(bytes, StandardCharsets.UTF_8));
    }
  }

  /**
   * Sets an HttpOnly, SameSite=Lax cookie; {@code maxAgeSeconds} below 0 makes it last for the
   * browser session and 0 deletes it.
   */
  void setCookie(String name, String value, String path, long maxAgeSeconds) {
    StringBuilder cookie = new StringBuilder(name).append('=').append(value);
    cookie.append("; Path=").append(path);
    if (maxAgeSeconds >= 0) {
      ZonedDateTime expires =
          maxAgeSeconds == 0
              ? Instant.EPOCH.atZone(ZoneOffset.UTC)
              : ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(maxAgeSeconds);
      cookie.append("; Max-Age=").append(maxAgeSeconds);
      cookie.append("; Expires=").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(expires));
    }
    cookie.append("; HttpOnly; SameSite=Lax");
    exchange.getResponseHeaders().add("Set-Cookie", cookie.toString());
  }

  void header(String name, String value) {
    exchange.getResponseHeaders().set(name, value);
  }

  void html(int status, String body) throws IOException {
    send(status, "text/html; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  void json(int status, Object body) throws IOException {
    send(status, "application/json", JSON.writeValueAsBytes(body));
  }

  void redirect(String location) throws IOException {
    header("Location", location);
    send(303, null, null);
  }

  private void send(int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    if (contentType != null) {
      exchange.getResponseHeaders().set("Content-Type", contentType);
    }
    if (body == null || body.length == 0) {
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
      return;
    }
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static Map<String, String> parseUrlEncoded(String raw) {
    if (raw == null || raw.isEmpty()) {
      return Map.of();
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      String decodedName = decode(name);
      String decodedValue = decode(value);
      if (decodedName != null && decodedValue != null) {
        values.putIfAbsent(decodedName, decodedValue);
      }
    }
    return Collections.unmodifiableMap(values);
  }

  private static String unquote(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1)
        : value;
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return null;
    }
  }

  private static Map<String, String> parseCookies(List<String> headers) {
    if (headers == null) {
      return Map.of();
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String header : headers) {
      for (String part : header.split(";")) {
        int eq = part.indexOf('=');
        String name = eq > 0 ? part.substring(0, eq).trim() : "";
        if (!name.isEmpty() && !name.startsWith("$")) {
          values.putIfAbsent(name, unquote(part.substring(eq + 1).trim()));
        }
      }
    }
    return Collections.unmodifiableMap(values);
  }
}

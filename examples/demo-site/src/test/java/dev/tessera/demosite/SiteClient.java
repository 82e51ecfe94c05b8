package dev.tessera.demosite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/** A browser-like HTTP client for one demo site: it keeps cookies and never follows redirects. */
final class SiteClient {

  static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final CookieManager cookies = new CookieManager();
  private final HttpClient http;

  SiteClient(DemoSite site) {
    this(site.baseUrl());
  }

  SiteClient(String baseUrl) {
    this.baseUrl = baseUrl;
    this.http =
        HttpClient.newBuilder()
            .cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  HttpResponse<String> get(String path, String... headers) {
    HttpRequest.Builder request = request(path).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request.build());
  }

  HttpResponse<String> post(String path) {
    return send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  HttpResponse<String> postForm(String path, Map<String, String> fields) {
    String body =
        fields.entrySet().stream()
            .map(
                field ->
                    URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return send(
        request(path)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  /** Opens the login page and returns the CSRF token of its form. */
  String openLoginPage() {
    HttpResponse<String> page = get("/login");
    if (page.statusCode() != 200) {
      throw new AssertionError("GET /login answered " + page.statusCode());
    }
    return html(page).selectFirst("form#login-form input[name=csrf]").val();
  }

  /** Submits the login form as a browser would, after opening the login page. */
  HttpResponse<String> submitLogin(String username, String password) {
    String csrf = openLoginPage();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("csrf", csrf);
    form.put("username", username);
    form.put("password", password);
    return postForm("/login", form);
  }

  /** Logs in completely, including the TOTP step for users that have one. */
  void login(DemoUser user) {
    HttpResponse<String> response = submitLogin(user.username(), user.password());
    if (user.hasTotp()) {
      expectRedirect(response, "/login/otp");
      response =
          postForm(
              "/login/otp",
              Map.of("code", TestTotp.code(user.totpSeed().orElseThrow(), Instant.now())));
    }
    expectRedirect(response, "/dashboard");
  }

  Optional<String> cookie(String name) {
    return cookies.getCookieStore().get(URI.create(baseUrl)).stream()
        .filter(cookie -> cookie.getName().equals(name))
        .map(HttpCookie::getValue)
        .findFirst();
  }

  static Document html(HttpResponse<String> response) {
    return Jsoup.parse(response.body(), response.uri().toString());
  }

  static JsonNode json(HttpResponse<String> response) {
    return json(response.body());
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  private static void expectRedirect(HttpResponse<String> response, String location) {
    if (response.statusCode() != 303
        || !response.headers().firstValue("Location").orElse("").equals(location)) {
      throw new AssertionError(
          "expected a 303 to "
              + location
              + " but got "
              + response.statusCode()
              + " "
              + response.headers().map());
    }
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(request.method() + " " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}

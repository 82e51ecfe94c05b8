package dev.tessera.runner.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for an S3-compatible store's presigned PUTs, on 127.0.0.1: keeps each PUT's body and
 * content type by path and answers 200. A GET records its query and answers {@code {}}, so that a
 * request step can show the test a value of the browser's state.
 */
public final class UploadServer implements AutoCloseable {
  /** One stored object. */
  public record Stored(String contentType, byte[] body) {}

  private final HttpServer server;
  private final Map<String, Stored> objects = new ConcurrentHashMap<>();
  private final List<String> queries = new CopyOnWriteArrayList<>();

  private UploadServer(HttpServer server) {
    this.server = server;
  }

  public static UploadServer start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      UploadServer store = new UploadServer(server);
      server.createContext(
          "/",
          exchange -> {
            try (exchange) {
              byte[] body = exchange.getRequestBody().readAllBytes();
              String path = exchange.getRequestURI().getPath();
              if (exchange.getRequestMethod().equals("PUT")) {
                store.objects.put(
                    path, new Stored(exchange.getRequestHeaders().getFirst("Content-Type"), body));
                exchange.sendResponseHeaders(200, -1);
                return;
              }
              if (exchange.getRequestURI().getRawQuery() != null) {
                store.queries.add(exchange.getRequestURI().getRawQuery());
              }
              byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
              exchange.getResponseHeaders().set("Content-Type", "application/json");
              exchange.sendResponseHeaders(200, json.length);
              exchange.getResponseBody().write(json);
            }
          });
      server.start();
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The URL of a path on this server. */
  public String url(String pathAndQuery) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery;
  }

  /** Every object stored under a path prefix, by path. */
  public Map<String, Stored> objects(String prefix) {
    Map<String, Stored> found = new java.util.TreeMap<>();
    objects.forEach(
        (path, stored) -> {
          if (path.startsWith(prefix)) {
            found.put(path, stored);
          }
        });
    return found;
  }

  /** The object at a path. */
  public Optional<Stored> object(String path) {
    return Optional.ofNullable(objects.get(path));
  }

  /** The last value a GET's query gave this parameter. */
  public Optional<String> queried(String parameter) {
    Optional<String> found = Optional.empty();
    for (String query : queries) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).equals(parameter)) {
          found = Optional.of(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return found;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

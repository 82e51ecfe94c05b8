package dev.tessera.runner.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small HTTP server on 127.0.0.1 that answers fixed pages by path and records every request it
 * receives: a stand-in for a server a runner must, or must not, reach.
 */
public final class RecordingServer implements AutoCloseable {
  /** One page: its status, content type, body and extra headers. */
  public record Page(int status, String contentType, String body, Map<String, String> headers) {
    /** An HTML page. */
    public static Page html(String body) {
      return new Page(200, "text/html; charset=utf-8", body, Map.of());
    }

    /** A JSON document. */
    public static Page json(String body) {
      return new Page(200, "application/json", body, Map.of());
    }

    /** A redirect to another URL. */
    public static Page redirect(String location) {
      return new Page(302, "text/plain", "", Map.of("Location", location));
    }
  }

  private final HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  private RecordingServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts a server that answers these pages by path, and {@code fallback} (404 when null) to
   * anything else.
   */
  public static RecordingServer start(Map<String, Page> pages, Page fallback) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      RecordingServer recording = new RecordingServer(server);
      server.createContext(
          "/",
          exchange -> {
            recording.requests.add(
                exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            Page page = pages.getOrDefault(exchange.getRequestURI().getPath(), fallback);
            if (page == null) {
              page = new Page(404, "text/plain", "not found", Map.of());
            }
            byte[] body = page.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", page.contentType());
            page.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            exchange.sendResponseHeaders(page.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
              exchange.getResponseBody().write(body);
            }
            exchange.close();
          });
      server.start();
      return recording;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Every request received so far, as {@code METHOD /path}. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  /** Forgets the requests received so far. */
  public void clear() {
    requests.clear();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

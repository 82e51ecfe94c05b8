package dev.tessera.operator.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * Serves {@code /healthz} (the operator's controllers have not stopped: see {@link Liveness}),
 * {@code /readyz} (the operator's informers are synced and healthy) and {@code /metrics}
 * (Prometheus).
 */
public final class OpsServer implements AutoCloseable {
  private final HttpServer server;

  private OpsServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts the server on the given port (0 picks a free one). {@code /healthz} answers 503 once
   * {@code liveness} has failed, so that the kubelet restarts a process whose controllers stopped
   * but which did not exit.
   */
  public static OpsServer start(
      String host, int port, BooleanSupplier ready, Liveness liveness, OperatorMetrics metrics)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
    server.createContext(
        "/healthz",
        exchange -> {
          var failure = liveness.failure();
          if (failure.isEmpty()) {
            respond(exchange, 200, "ok", "text/plain");
          } else {
            respond(exchange, 503, "not live: " + failure.get(), "text/plain");
          }
        });
    server.createContext(
        "/readyz",
        exchange -> {
          boolean isReady = ready.getAsBoolean();
          respond(exchange, isReady ? 200 : 503, isReady ? "ready" : "not ready", "text/plain");
        });
    server.createContext(
        "/metrics",
        exchange ->
            respond(exchange, 200, metrics.scrape(), "text/plain; version=0.0.4; charset=utf-8"));
    server.start();
    return new OpsServer(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int status, String body, String type)
      throws IOException {
    try (exchange) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

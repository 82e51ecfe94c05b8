package dev.tessera.local.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook sink that counts deliveries by the Run they name. The operator sends no delivery id, so
 * the Run ({@code namespace/run} of the body) is the key a receiver deduplicates by.
 */
final class WebhookReceiver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Map<String, AtomicInteger> byRun = new ConcurrentHashMap<>();
  private final AtomicInteger unreadable = new AtomicInteger();

  WebhookReceiver(java.io.PrintStream out) {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/deliveries",
        exchange -> {
          try (exchange) {
            try {
              JsonNode body = JSON.readTree(exchange.getRequestBody());
              String run = body.path("namespace").asText() + "/" + body.path("run").asText();
              int count = byRun.computeIfAbsent(run, key -> new AtomicInteger()).incrementAndGet();
              out.printf(
                  "[chaos %s] webhook delivery %d of %s%n",
                  java.time.LocalTime.now().withNano(0), count, run);
            } catch (IOException e) {
              unreadable.incrementAndGet();
            }
            exchange.sendResponseHeaders(204, -1);
          }
        });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/deliveries";
  }

  /** Deliveries received per Run ({@code namespace/name}). */
  Map<String, Integer> deliveries() {
    Map<String, Integer> counts = new TreeMap<>();
    byRun.forEach((run, count) -> counts.put(run, count.get()));
    return counts;
  }

  int unreadable() {
    return unreadable.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

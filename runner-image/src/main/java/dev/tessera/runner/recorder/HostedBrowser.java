package dev.tessera.runner.recorder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tessera.runner.attempt.LivePage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The hosted browser of a recording: a web page that shows the live page (a fresh picture several
 * times a second) and forwards the human's clicks, keys and scrolls to it. Every request must carry
 * the recording's token ({@code ?token=} to open the page, the {@code X-Tessera-Token} header
 * after). The browser is driven only from the thread that calls {@link #serve}: requests queue
 * their work for it and wait.
 */
public final class HostedBrowser implements AutoCloseable {
  /** How a recording ended. */
  public enum Ending {
    /** The human pressed Done. */
    DONE,
    /** The page reached the finish URL. */
    FINISH_URL,
    /** No one finished within the time limit. */
    TIMED_OUT
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WORK_WAIT = Duration.ofSeconds(20);

  private record Work(Function<LivePage, Object> action, CompletableFuture<Object> result) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final byte[] token;
  private final byte[] page;
  private final BlockingQueue<Work> work = new LinkedBlockingQueue<>();
  private final AtomicBoolean done = new AtomicBoolean();
  private final AtomicBoolean finished = new AtomicBoolean();
  private final AtomicBoolean watched = new AtomicBoolean();
  private final java.util.concurrent.CountDownLatch toldOver =
      new java.util.concurrent.CountDownLatch(1);

  private HostedBrowser(HttpServer server, String token) {
    this.server = server;
    this.token = token.getBytes(StandardCharsets.UTF_8);
    try (InputStream in = HostedBrowser.class.getResourceAsStream("hosted-browser.html")) {
      this.page = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Listens on {@code host:port} (port 0: any free one). */
  public static HostedBrowser start(String host, int port, String token) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
    HostedBrowser hosted = new HostedBrowser(server, token);
    server.setExecutor(hosted.executor);
    server.createContext("/", hosted::handle);
    server.start();
    return hosted;
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Drives the page for the human until they press Done, the page's URL matches {@code finishGlob},
   * or {@code timeout} has passed.
   */
  public Ending serve(LivePage live, String finishGlob, Duration timeout, Supplier<Instant> clock)
      throws InterruptedException {
    Pattern finish = finishGlob == null ? null : glob(finishGlob);
    Instant deadline = clock.get().plus(timeout);
    try {
      while (true) {
        if (done.get()) {
          return Ending.DONE;
        }
        if (finish != null && finish.matcher(live.url()).matches()) {
          return Ending.FINISH_URL;
        }
        if (!clock.get().isBefore(deadline)) {
          return Ending.TIMED_OUT;
        }
        Work next = work.poll(100, TimeUnit.MILLISECONDS);
        if (next != null) {
          try {
            next.result().complete(next.action().apply(live));
          } catch (RuntimeException e) {
            next.result().completeExceptionally(e);
          }
        }
      }
    } finally {
      finished.set(true);
      work.forEach(w -> w.result().cancel(false));
    }
  }

  /** A glob as Playwright writes them: {@code **} any characters, {@code *} any but a slash. */
  static Pattern glob(String glob) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        regex.append(".*");
        i++;
      } else if (c == '*') {
        regex.append("[^/]*");
      } else if (c == '?') {
        regex.append("[^/]");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if (!authorized(exchange, "/".equals(path))) {
        send(
            exchange,
            401,
            "text/plain",
            ("this hosted browser needs its token: open the address the AuthSession's status"
                    + " gives")
                .getBytes(StandardCharsets.UTF_8));
        return;
      }
      if ("/".equals(path) && "GET".equals(method)) {
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        exchange.getResponseHeaders().add("Referrer-Policy", "no-referrer");
        send(exchange, 200, "text/html; charset=utf-8", page);
        return;
      }
      if (finished.get()) {
        send(exchange, 410, "text/plain", "the recording is over".getBytes(StandardCharsets.UTF_8));
        toldOver.countDown();
        return;
      }
      switch (method + " " + path) {
        case "GET /frame" -> frame(exchange);
        case "POST /input" -> input(exchange);
        case "POST /done" -> {
          done.set(true);
          send(exchange, 204, null, null);
        }
        default ->
            send(exchange, 404, "text/plain", "no such page".getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private void frame(HttpExchange exchange) throws IOException {
    watched.set(true);
    Object[] frame = run(live -> new Object[] {live.picture(), live.url()});
    if (frame == null) {
      send(exchange, 410, "text/plain", "the recording is over".getBytes(StandardCharsets.UTF_8));
      return;
    }
    exchange.getResponseHeaders().add("Cache-Control", "no-store");
    exchange.getResponseHeaders().add("X-Page-Url", (String) frame[1]);
    send(exchange, 200, "image/jpeg", (byte[]) frame[0]);
  }

  private void input(HttpExchange exchange) throws IOException {
    JsonNode input;
    try (InputStream in = exchange.getRequestBody()) {
      input = JSON.readTree(in);
    }
    String type = input.path("type").asText();
    Function<LivePage, Object> action =
        switch (type) {
          case "click" ->
              live -> {
                live.click(input.path("x").asDouble(), input.path("y").asDouble());
                return Boolean.TRUE;
              };
          case "type" ->
              live -> {
                live.type(input.path("text").asText());
                return Boolean.TRUE;
              };
          case "press" ->
              live -> {
                live.press(input.path("key").asText());
                return Boolean.TRUE;
              };
          case "scroll" ->
              live -> {
                live.scroll(input.path("dx").asDouble(), input.path("dy").asDouble());
                return Boolean.TRUE;
              };
          default -> null;
        };
    if (action == null) {
      send(
          exchange,
          400,
          "text/plain",
          "input type must be click, type, press or scroll".getBytes(StandardCharsets.UTF_8));
      return;
    }
    send(exchange, run(action) == null ? 410 : 204, null, null);
  }

  /** Runs work on the browser's thread and waits for it; null when the recording is over. */
  @SuppressWarnings("unchecked")
  private <T> T run(Function<LivePage, T> action) throws IOException {
    CompletableFuture<Object> result = new CompletableFuture<>();
    work.add(new Work((Function<LivePage, Object>) action, result));
    try {
      return (T) result.get(WORK_WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException | TimeoutException | java.util.concurrent.CancellationException e) {
      return null;
    }
  }

  private boolean authorized(HttpExchange exchange, boolean mayUseQuery) {
    String given = exchange.getRequestHeaders().getFirst("X-Tessera-Token");
    if (given == null && mayUseQuery) {
      String query = exchange.getRequestURI().getRawQuery();
      if (query != null) {
        for (String part : query.split("&")) {
          if (part.startsWith("token=")) {
            given = URLDecoder.decode(part.substring(6), StandardCharsets.UTF_8);
          }
        }
      }
    }
    return given != null && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    if (type != null) {
      exchange.getResponseHeaders().add("Content-Type", type);
    }
    if (body == null) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /**
   * Stops serving; a page that was watching is first given a moment to learn that the recording is
   * over, so that it can tell the human.
   */
  @Override
  public void close() {
    if (watched.get()) {
      try {
        toldOver.await(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    server.stop(0);
    executor.shutdownNow();
  }
}

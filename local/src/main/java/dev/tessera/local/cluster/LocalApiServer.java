package dev.tessera.local.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.fabric8.mockwebserver.vertx.ServerWebSocketHandler;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The HTTP server of the embedded API (vert.x, as fabric8's mock web server uses). It hands every
 * request to the dispatcher, upgrades watches to WebSockets for fabric8 clients, and, unlike the
 * mock web server, also streams watches over HTTP (TLS) the way client-go (kubectl get --watch,
 * kubectl wait) reads them: one JSON event per line on a chunked response.
 */
final class LocalApiServer implements AutoCloseable {
  private static final List<String> WEBSOCKET_SUBPROTOCOLS =
      List.of("v1.channel.k8s.io", "v2.channel.k8s.io", "v3.channel.k8s.io", "v4.channel.k8s.io");

  /**
   * The media types a write may carry: JSON, YAML, the patch types and protobuf. Anything else (a
   * {@code text/plain} or form body, which any web page may send cross-site without asking) is
   * refused, as a real API server refuses it.
   */
  private static final Set<String> WRITE_MEDIA_TYPES =
      Set.of(
          "application/json",
          "application/yaml",
          "application/json-patch+json",
          "application/merge-patch+json",
          "application/strategic-merge-patch+json",
          "application/apply-patch+yaml",
          "application/vnd.kubernetes.protobuf");

  private final LocalApiDispatcher dispatcher;
  private final byte[] token;
  private final Function<RecordedRequest, Function<JsonNode, JsonNode>> watchEventTransform;
  private final DeletionHistory deletions;
  private final Vertx vertx;
  private final HttpServer server;

  /** How to end each open watch: the store's watch listeners hold a thread each until closed. */
  private final Set<Runnable> openWatches = ConcurrentHashMap.newKeySet();

  /** Sees every request before it is answered (the audit log); does nothing by default. */
  private volatile Consumer<RecordedRequest> audit = request -> {};

  /** Draws the faults to inject; none by default. */
  private volatile FaultInjector faults = new FaultInjector(Faults.NONE);

  /**
   * @param dispatcher answers every request; it also says what becomes of each event of a watch (an
   *     object turned into a Table when kubectl asks for tables) and what was deleted lately
   */
  LocalApiServer(
      LocalApiDispatcher dispatcher,
      String host,
      int port,
      String token,
      LocalCertificate certificate) {
    this.dispatcher = dispatcher;
    this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    this.watchEventTransform = dispatcher::watchEventTransform;
    this.deletions = dispatcher.deletions();
    this.vertx = Vertx.vertx();
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(host)
            .setPort(port)
            .setWebSocketSubProtocols(WEBSOCKET_SUBPROTOCOLS)
            .setSsl(true)
            .setKeyCertOptions(
                new PemKeyCertOptions()
                    .setCertValue(io.vertx.core.buffer.Buffer.buffer(certificate.certificatePem()))
                    .setKeyValue(io.vertx.core.buffer.Buffer.buffer(certificate.privateKeyPem())))
            .setHandle100ContinueAutomatically(true);
    this.server = vertx.createHttpServer(options).requestHandler(this::handle);
    await(server.listen(), "could not listen on " + host + ":" + port);
  }

  int port() {
    return server.actualPort();
  }

  void audit(Consumer<RecordedRequest> audit) {
    this.audit = audit;
  }

  void faults(Faults faults) {
    this.faults = new FaultInjector(faults);
  }

  Faults.Injected faultsInjected() {
    return faults.injected();
  }

  private void handle(HttpServerRequest event) {
    // Reading the body of a WebSocket upgrade request would spoil the upgrade.
    Future<io.vertx.core.buffer.Buffer> read =
        hasBody(event) ? event.body() : Future.succeededFuture(null);
    read.onFailure(e -> fail(event, e))
        .onSuccess(
            body -> {
              RecordedRequest request =
                  new RecordedRequest(
                      event.version().alpnName().toUpperCase(Locale.ROOT),
                      HttpMethod.fromVertx(event.method()),
                      event.uri(),
                      Headers.builder().addAll(event.headers()).build(),
                      new Buffer(body == null ? new byte[0] : body.getBytes()));
              try {
                audit.accept(request);
                MockResponse refused = refusal(request);
                if (refused != null) {
                  respond(event, request, refused);
                  return;
                }
              } catch (RuntimeException e) {
                fail(event, e);
                return;
              }
              injectFault(event, request);
            });
  }

  /**
   * 401 for a request without this API's bearer token, 415 for a write whose body is not one of
   * {@link #WRITE_MEDIA_TYPES}; null for a request to answer.
   */
  private MockResponse refusal(RecordedRequest request) {
    String authorization = request.getHeader("Authorization");
    if (authorization == null
        || !MessageDigest.isEqual(token, authorization.trim().getBytes(StandardCharsets.UTF_8))) {
      return status(401, "Unauthorized", "Unauthorized");
    }
    boolean write =
        request.method() == HttpMethod.POST
            || request.method() == HttpMethod.PUT
            || request.method() == HttpMethod.PATCH;
    if (write && request.getBody() != null && request.getBody().size() > 0) {
      String type = request.getHeader("Content-Type");
      String media = type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
      if (!WRITE_MEDIA_TYPES.contains(media)) {
        return status(
            415,
            "UnsupportedMediaType",
            "the body of the request was in an unknown format - accepted media types include: "
                + String.join(", ", WRITE_MEDIA_TYPES.stream().sorted().toList()));
      }
    }
    return null;
  }

  private static MockResponse status(int code, String reason, String message) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(
            Json.write(
                Json.object()
                    .put("kind", "Status")
                    .put("apiVersion", "v1")
                    .<com.fasterxml.jackson.databind.node.ObjectNode>set("metadata", Json.object())
                    .put("status", "Failure")
                    .put("message", message)
                    .put("reason", reason)
                    .put("code", code)));
  }

  private void serve(HttpServerRequest event, RecordedRequest request) {
    try {
      if (isPlainHttpWatch(request)) {
        streamWatch(event, request);
      } else {
        respond(event, request, dispatcher.dispatch(request));
      }
    } catch (RuntimeException e) {
      fail(event, e);
    }
  }

  /** Serves the request, or not, as the fault drawn for it says (see {@link Faults}). */
  private void injectFault(HttpServerRequest event, RecordedRequest request) {
    FaultInjector injector = faults;
    FaultInjector.Fault fault = injector.draw(request);
    switch (fault) {
      case SERVER_ERROR, CONFLICT ->
          event
              .response()
              .setStatusCode(fault == FaultInjector.Fault.CONFLICT ? 409 : 500)
              .putHeader("Content-Type", "application/json")
              .end(FaultInjector.status(fault, request));
      case DROP_WATCH -> {
        serve(event, request);
        vertx.setTimer(
            Math.max(1, injector.watchLifetime().toMillis()), id -> event.connection().close());
      }
      case SLOW ->
          vertx.setTimer(Math.max(1, injector.slowDelay().toMillis()), id -> serve(event, request));
      case NONE -> serve(event, request);
    }
  }

  private static boolean hasBody(HttpServerRequest event) {
    String length = event.headers().get("Content-Length");
    if (length != null && !length.isBlank()) {
      return Long.parseLong(length.trim()) > 0;
    }
    return event.headers().contains("Content-Type")
        || event.headers().contains("Transfer-Encoding");
  }

  private void respond(HttpServerRequest event, RecordedRequest request, MockResponse response) {
    if (response.getWebSocketListener() != null) {
      MockResponse watch =
          new MockResponse()
              .withWebSocketUpgrade(
                  new SinceResourceVersion(
                      response.getWebSocketListener(), request, openWatches, deletions));
      event
          .toWebSocket()
          .onFailure(e -> fail(event, e))
          .onSuccess(new ServerWebSocketHandler(request, watch));
      return;
    }
    HttpServerResponse out = event.response().setStatusCode(response.code());
    response.getHeaders().toMultimap().forEach((name, values) -> out.headers().add(name, values));
    Buffer body = response.getBody();
    if (body != null && body.size() > 0) {
      out.send(io.vertx.core.buffer.Buffer.buffer(body.getBytes()));
    } else {
      out.end();
    }
  }

  private static boolean isPlainHttpWatch(RecordedRequest request) {
    return !"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))
        && LocalApiDispatcher.isWatch(request);
  }

  /**
   * Opens the mock's WebSocket watch on a stand-in socket that writes each event as a line of a
   * chunked HTTP response, until the client goes away or the request's {@code timeoutSeconds}.
   */
  private void streamWatch(HttpServerRequest event, RecordedRequest request) {
    RecordedRequest upgraded =
        new RecordedRequest(
            request.getHttpVersion(),
            request.method(),
            request.getPath(),
            request.getHeaders().newBuilder().set("Upgrade", "websocket").build(),
            new Buffer());
    MockResponse response = dispatcher.dispatch(upgraded);
    if (response.getWebSocketListener() == null) {
      respond(event, request, response);
      return;
    }
    Function<JsonNode, JsonNode> transform = watchEventTransform.apply(request);
    WebSocketListener listener =
        new SinceResourceVersion(response.getWebSocketListener(), request, openWatches, deletions);
    Context context = vertx.getOrCreateContext();
    HttpServerResponse out =
        event
            .response()
            .setStatusCode(200)
            .setChunked(true)
            .putHeader("Content-Type", "application/json")
            .putHeader("Transfer-Encoding", "chunked");
    out.write("");
    AtomicBoolean closed = new AtomicBoolean();
    WebSocket socket =
        new WebSocket() {
          @Override
          public RecordedRequest request() {
            return upgraded;
          }

          @Override
          public boolean send(String text) {
            if (closed.get()) {
              return false;
            }
            String line;
            try {
              line = Json.write(transform.apply(Json.parse(text))) + "\n";
            } catch (RuntimeException e) {
              line = text + "\n";
            }
            String chunk = line;
            context.runOnContext(
                v -> {
                  if (!closed.get()) {
                    out.write(chunk);
                  }
                });
            return true;
          }

          @Override
          public boolean send(byte[] bytes) {
            return send(new String(bytes, StandardCharsets.UTF_8));
          }

          @Override
          public boolean close(int code, String reason) {
            if (closed.compareAndSet(false, true)) {
              context.runOnContext(v -> out.end());
            }
            return true;
          }
        };
    Runnable stop =
        () -> {
          if (!closed.get()) {
            socket.close(1000, "watch ended");
          }
          listener.onClosed(socket, 1000, "watch ended");
        };
    AtomicBoolean stopped = new AtomicBoolean();
    Runnable stopOnce =
        () -> {
          if (stopped.compareAndSet(false, true)) {
            // onClosed waits for the listener's executor: not on the event loop
            vertx.executeBlocking(
                () -> {
                  stop.run();
                  return null;
                },
                false);
          }
        };
    out.closeHandler(v -> stopOnce.run());
    event.connection().closeHandler(v -> stopOnce.run());
    String timeout =
        LocalApiDispatcher.parseQuery(
                request.getPath().substring(request.getPath().indexOf('?') + 1))
            .get("timeoutSeconds");
    if (timeout != null && !timeout.isBlank()) {
      vertx.setTimer(
          TimeUnit.SECONDS.toMillis(Math.max(1, Long.parseLong(timeout))), id -> stopOnce.run());
    }
    listener.onOpen(socket, response);
  }

  /**
   * A watch from a resource version: the store replays every object it holds as ADDED when a watch
   * opens, whatever the version asked for; the objects the client already has (not newer than that
   * version) are dropped, as a real server never sends them. What was deleted since that version is
   * sent as DELETED, from the {@link DeletionHistory}; when the history no longer reaches back that
   * far, the watch ends with {@code 410 Gone}, as a kube-apiserver's does.
   */
  private static final class SinceResourceVersion extends WebSocketListener {
    private final WebSocketListener delegate;
    private final String path;
    private final long since;
    private final Map<WebSocket, WebSocket> sockets = new ConcurrentHashMap<>();
    private final Set<Runnable> openWatches;
    private final DeletionHistory deletions;
    private volatile Runnable closer;

    SinceResourceVersion(
        WebSocketListener delegate,
        RecordedRequest request,
        Set<Runnable> openWatches,
        DeletionHistory deletions) {
      this.delegate = delegate;
      this.openWatches = openWatches;
      this.deletions = deletions;
      this.path = request.getPath();
      int q = path.indexOf('?');
      String version =
          q < 0
              ? null
              : LocalApiDispatcher.parseQuery(path.substring(q + 1)).get("resourceVersion");
      long parsed = 0;
      try {
        parsed = version == null || version.isBlank() ? 0 : Long.parseLong(version);
      } catch (NumberFormatException e) {
        parsed = 0;
      }
      this.since = parsed;
    }

    private WebSocket wrap(WebSocket socket) {
      if (since <= 0) {
        return socket;
      }
      return sockets.computeIfAbsent(
          socket,
          s ->
              new WebSocket() {
                @Override
                public RecordedRequest request() {
                  return s.request();
                }

                @Override
                public boolean send(String text) {
                  return isReplayed(text) || s.send(text);
                }

                @Override
                public boolean send(byte[] bytes) {
                  return send(new String(bytes, StandardCharsets.UTF_8));
                }

                @Override
                public boolean close(int code, String reason) {
                  return s.close(code, reason);
                }
              });
    }

    private boolean isReplayed(String text) {
      try {
        JsonNode event = Json.parse(text);
        String version = event.path("object").path("metadata").path("resourceVersion").asText("");
        return "ADDED".equals(event.path("type").asText())
            && !version.isEmpty()
            && Long.parseLong(version) <= since;
      } catch (RuntimeException e) {
        return false;
      }
    }

    @Override
    public void onBeforeAccept(WebSocket webSocket, Response response) {
      delegate.onBeforeAccept(wrap(webSocket), response);
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      closer = () -> onClosed(webSocket, 1001, "the local API is stopping");
      openWatches.add(closer);
      delegate.onOpen(wrap(webSocket), response);
      if (since > 0) {
        Optional<List<String>> deleted = deletions.since(path, since);
        if (deleted.isEmpty()) {
          webSocket.send(DeletionHistory.expired(since));
          webSocket.close(1000, "too old resource version");
        } else {
          deleted.get().forEach(webSocket::send);
        }
      }
    }

    private void forget(WebSocket webSocket) {
      sockets.remove(webSocket);
      Runnable current = closer;
      if (current != null) {
        openWatches.remove(current);
      }
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
      delegate.onMessage(wrap(webSocket), text);
    }

    @Override
    public void onMessage(WebSocket webSocket, byte[] bytes) {
      delegate.onMessage(wrap(webSocket), bytes);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      delegate.onClosing(wrap(webSocket), code, reason);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      delegate.onClosed(wrap(webSocket), code, reason);
      forget(webSocket);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable error, Response response) {
      delegate.onFailure(wrap(webSocket), error, response);
      forget(webSocket);
    }
  }

  /** Wraps the object of a watch event as kubectl's table printer wants it. */
  static Function<JsonNode, JsonNode> eventObjects(Function<JsonNode, JsonNode> objectTransform) {
    return event -> {
      if (event instanceof ObjectNode node && node.has("object")) {
        node.set("object", objectTransform.apply(node.get("object")));
      }
      return event;
    };
  }

  private static void fail(HttpServerRequest event, Throwable error) {
    if (!event.response().headWritten()) {
      event
          .response()
          .setStatusCode(500)
          .putHeader("Content-Type", "application/json")
          .end(
              Json.write(
                  Json.object()
                      .put("kind", "Status")
                      .put("apiVersion", "v1")
                      .put("status", "Failure")
                      .put("reason", "InternalError")
                      .put("message", String.valueOf(error.getMessage()))
                      .put("code", 500)));
    }
  }

  @Override
  public void close() {
    for (Runnable closer : List.copyOf(openWatches)) {
      try {
        closer.run();
      } catch (RuntimeException e) {
        // the watch is gone either way
      }
    }
    await(server.close(), "could not stop the local API server");
    await(vertx.close(), "could not stop vert.x");
  }

  private static <T> T await(Future<T> future, String message) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(message, e);
    } catch (Exception e) {
      throw new IllegalStateException(message, e);
    }
  }
}

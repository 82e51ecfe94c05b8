package dev.tessera.operator.results;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tessera.api.protocol.AttemptResult;
import dev.tessera.api.protocol.ErrorCode;
import dev.tessera.api.protocol.Outcome;
import dev.tessera.api.protocol.ProtocolJson;
import dev.tessera.api.protocol.ResultsPath;
import dev.tessera.api.protocol.RunnerError;
import dev.tessera.operator.naming.Names;
import dev.tessera.operator.pod.AttemptPods;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where runner Pods report the outcome of their Attempt ({@link ResultsPath}), with {@code
 * Authorization: Bearer <token>}, the one-time token of that Attempt's input Secret. A token the
 * operator did not make for that Pod is refused from memory ({@link AttemptTokens}), before any API
 * call and at a bounded rate (429 beyond it); a token that is not the Attempt's current one, an
 * unknown Attempt or a second report is refused and changes nothing; a result over the bound is
 * recorded as {@code ResultTooBig}. Only the operator writes what it accepts, in place of the
 * Attempt's input and token in its Secret ({@link ResultSecrets}), which the Run's reconciler then
 * applies.
 */
public final class ResultsEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResultsEndpoint.class);
  private static final Pattern PATH =
      Pattern.compile("^/v1/attempts/([a-z0-9][-a-z0-9]*)/([a-z0-9][-a-z0-9.]*)/result$");

  /** A Secret holds at most 1 MiB: the report, base64-encoded, must fit. */
  private static final int MAX_BODY_BYTES = 700 * 1024;

  private final KubernetesClient client;
  private final AttemptTokens tokens;
  private final UnauthenticatedBudget unauthenticated = new UnauthenticatedBudget(20, 10);
  private final int maxResultBytes;
  private final HttpServer server;
  private final ExecutorService executor;

  private ResultsEndpoint(
      KubernetesClient client,
      AttemptTokens tokens,
      int maxResultBytes,
      HttpServer server,
      ExecutorService executor) {
    this.client = client;
    this.tokens = tokens;
    this.maxResultBytes = maxResultBytes;
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts the endpoint on host:port (port 0 picks a free one), accepting report tokens of {@code
   * tokens}' key.
   */
  public static ResultsEndpoint start(
      KubernetesClient client, AttemptTokens tokens, String host, int port, int maxResultBytes)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
    ExecutorService executor =
        Executors.newFixedThreadPool(
            8,
            r -> {
              Thread t = new Thread(r, "tessera-results");
              t.setDaemon(true);
              return t;
            });
    ResultsEndpoint endpoint =
        new ResultsEndpoint(client, tokens, maxResultBytes, server, executor);
    server.createContext("/v1/attempts/", endpoint::handle);
    server.setExecutor(executor);
    server.start();
    return endpoint;
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The URL of a report of the given Attempt Pod. */
  public static URI reportUrl(URI base, String namespace, String pod) {
    return ResultsPath.of(base, namespace, pod);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        respond(exchange, 405, "only POST is accepted");
        return;
      }
      Matcher path = PATH.matcher(exchange.getRequestURI().getPath());
      if (!path.matches()) {
        respond(exchange, 404, "no such endpoint");
        return;
      }
      String namespace = path.group(1);
      String pod = path.group(2);
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      String presented =
          authorization != null && authorization.startsWith("Bearer ")
              ? authorization.substring(7).trim()
              : null;
      // in memory first: a request without a token the operator made for this Pod is refused
      // before any API call, and at a bounded rate
      boolean authentic;
      try {
        authentic = tokens.authentic(namespace, pod, presented);
      } catch (RuntimeException e) {
        LOG.warn("cannot read the results key yet: {}", e.getMessage());
        respond(exchange, 503, "the operator cannot check tokens yet; try again");
        return;
      }
      if (!authentic) {
        if (!unauthenticated.tryTake()) {
          exchange.getResponseHeaders().set("Retry-After", "1");
          respond(exchange, 429, "too many unauthenticated reports");
          return;
        }
        LOG.warn("refused a result for {}/{}: not a token of this Attempt", namespace, pod);
        respond(exchange, 403, "not authorized to report for this attempt");
        return;
      }
      Secret input =
          client.secrets().inNamespace(namespace).withName(Names.attemptInput(pod)).get();
      if (input != null && ResultSecrets.holdsReport(input)) {
        LOG.warn("refused a second result for {}/{}", namespace, pod);
        respond(exchange, 409, "a result was already reported for this attempt");
        return;
      }
      String expected = input == null ? null : token(input);
      if (!AttemptTokens.matches(expected, presented)) {
        LOG.warn(
            "refused a result for {}/{}: {}",
            namespace,
            pod,
            input == null ? "no such running attempt" : "wrong token");
        respond(exchange, 403, "not authorized to report for this attempt");
        return;
      }
      byte[] body = readAtMost(exchange.getRequestBody(), MAX_BODY_BYTES + 1);
      byte[] stored;
      int status;
      if (body.length > MAX_BODY_BYTES) {
        stored = tooBig("the report is larger than " + MAX_BODY_BYTES + " bytes");
        status = 413;
      } else {
        AttemptResult result;
        try {
          result = ProtocolJson.readResult(body);
        } catch (IOException e) {
          respond(exchange, 400, "not a valid AttemptResult: " + e.getMessage());
          return;
        }
        int resultBytes = result.result() == null ? 0 : ProtocolJson.write(result.result()).length;
        if (resultBytes > maxResultBytes) {
          stored =
              tooBig("the result has " + resultBytes + " bytes; the limit is " + maxResultBytes);
          status = 413;
        } else {
          stored = body;
          status = 204;
        }
      }
      try {
        // in place of the input and token, at the version the token was read at
        client
            .secrets()
            .inNamespace(namespace)
            .resource(ResultSecrets.reported(input, stored))
            .update();
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409) {
          LOG.warn("refused a second result for {}/{}", namespace, pod);
          respond(exchange, 409, "a result was already reported for this attempt");
          return;
        }
        if (e.getCode() == 404) {
          LOG.warn("refused a result for {}/{}: the attempt ended meanwhile", namespace, pod);
          respond(exchange, 403, "not authorized to report for this attempt");
          return;
        }
        throw e;
      }
      LOG.info("accepted the result of {}/{}", namespace, pod);
      respond(exchange, status, status == 204 ? null : "result too big: recorded as ResultTooBig");
    } catch (RuntimeException e) {
      LOG.error("could not handle a result report: {}", e.toString());
      respond(exchange, 500, "the operator could not store the result; retry");
    }
  }

  private static String token(Secret input) {
    String data = input.getData() == null ? null : input.getData().get(AttemptPods.TOKEN_KEY);
    return data == null
        ? null
        : new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
  }

  private static byte[] tooBig(String message) {
    return ProtocolJson.write(
        AttemptResult.of(
            Outcome.FAILED,
            null,
            null,
            null,
            RunnerError.of(ErrorCode.ResultTooBig, message),
            null,
            null));
  }

  private static byte[] readAtMost(InputStream in, int limit) throws IOException {
    return in.readNBytes(limit);
  }

  private static void respond(HttpExchange exchange, int status, String message)
      throws IOException {
    if (message == null) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    byte[] body =
        ("{\"message\":\"" + message.replace("\"", "'") + "\"}").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
  }
}

package dev.tessera.local;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A forward HTTP proxy for tests. It asks for Basic proxy credentials, forwards plain-HTTP requests
 * to their origin, both in absolute form and inside a CONNECT tunnel (it reads the requests in the
 * tunnel, since the origin speaks plain HTTP), and counts what it forwarded by path.
 */
final class CountingProxy implements AutoCloseable {
  private static final Set<String> NOT_FORWARDED =
      Set.of(
          "connection",
          "content-length",
          "date",
          "expect",
          "from",
          "host",
          "keep-alive",
          "proxy-authorization",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "via",
          "warning");

  private final ServerSocket server;
  private final ExecutorService connections = Executors.newCachedThreadPool();
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String expectedAuthorization;
  private final ConcurrentMap<String, AtomicLong> forwarded = new ConcurrentHashMap<>();

  CountingProxy(String username, String password) throws IOException {
    expectedAuthorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    connections.submit(this::accept);
  }

  /** The proxy's URL, for a session's spec.proxy.server. */
  String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** Requests forwarded to a path (without the query string). */
  long forwardedTo(String path) {
    AtomicLong count = forwarded.get(path);
    return count == null ? 0 : count.get();
  }

  /** Every request forwarded. */
  long forwarded() {
    return forwarded.values().stream().mapToLong(AtomicLong::get).sum();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        connections.submit(() -> serve(socket));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket;
        InputStream in = new BufferedInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream()) {
      String tunnel = null;
      while (true) {
        String line = readLine(in);
        if (line == null || line.isEmpty()) {
          return;
        }
        String[] request = line.split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = readLine(in);
            header != null && !header.isEmpty();
            header = readLine(in)) {
          int colon = header.indexOf(':');
          headers.put(
              header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
              header.substring(colon + 1).trim());
        }
        boolean authorized = expectedAuthorization.equals(headers.get("proxy-authorization"));
        if (tunnel == null && !authorized) {
          write(
              out,
              "HTTP/1.1 407 Proxy Authentication Required\r\n"
                  + "Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n");
          skipBody(in, headers);
          continue;
        }
        if (request[0].equals("CONNECT")) {
          tunnel = request[1];
          write(out, "HTTP/1.1 200 Connection established\r\n\r\n");
          continue;
        }
        byte[] body = readBody(in, headers);
        URI target = URI.create(tunnel == null ? request[1] : "http://" + tunnel + request[1]);
        forward(request[0], target, headers, body, out);
        if ("close".equalsIgnoreCase(headers.get("connection"))) {
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      // the client went away
    }
  }

  private void forward(
      String method, URI target, Map<String, String> headers, byte[] body, OutputStream out)
      throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target)
            .method(
                method,
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(
        (name, value) -> {
          if (!NOT_FORWARDED.contains(name)) {
            request.header(name, value);
          }
        });
    HttpResponse<byte[]> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    forwarded.computeIfAbsent(target.getPath(), p -> new AtomicLong()).incrementAndGet();
    StringBuilder head = new StringBuilder("HTTP/1.1 " + response.statusCode() + " Proxied\r\n");
    response
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n"));
              }
            });
    head.append("Content-Length: ").append(response.body().length).append("\r\n\r\n");
    write(out, head.toString());
    out.write(response.body());
    out.flush();
  }

  private static byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      for (int size = Integer.parseInt(readLine(in).split(";")[0].trim(), 16);
          size > 0;
          size = Integer.parseInt(readLine(in).split(";")[0].trim(), 16)) {
        body.write(in.readNBytes(size));
        readLine(in);
      }
      readLine(in);
      return body.toByteArray();
    }
    String length = headers.get("content-length");
    return length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
  }

  private static void skipBody(InputStream in, Map<String, String> headers) throws IOException {
    readBody(in, headers);
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      if (c != '\r') {
        line.write(c);
      }
    }
    return c == -1 && line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    server.close();
    connections.shutdownNow();
  }

  /** For tests that list what went through. */
  Map<String, Long> byPath() {
    Map<String, Long> copy = new LinkedHashMap<>();
    forwarded.forEach((path, count) -> copy.put(path, count.get()));
    return copy;
  }
}

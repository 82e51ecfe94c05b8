package dev.tessera.runner.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpUploaderTest {
  private final Map<String, String> received = new ConcurrentHashMap<>();
  private HttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestURI().getPath().startsWith("/denied")) {
              byte[] error =
                  ("<Error><Code>SignatureDoesNotMatch</Code><StringToSign>"
                          + exchange.getRequestURI().getQuery()
                          + "</StringToSign></Error>")
                      .getBytes(StandardCharsets.UTF_8);
              exchange.sendResponseHeaders(403, error.length);
              exchange.getResponseBody().write(error);
              return;
            }
            received.put(
                exchange.getRequestMethod() + " " + exchange.getRequestURI(),
                exchange.getRequestHeaders().getFirst("Content-Type")
                    + " "
                    + new String(body, StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void putsTheFileWithItsContentType(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("page.html"), "<p>hi</p>");

    new HttpUploader(Duration.ofSeconds(5))
        .put(
            URI.create(base() + "/b/page.html?X-Amz-Signature=abc"),
            file,
            "text/html",
            Duration.ofSeconds(5));

    assertThat(received)
        .containsExactly(Map.entry("PUT /b/page.html?X-Amz-Signature=abc", "text/html <p>hi</p>"));
  }

  @Test
  void aRefusalNamesTheStoresCodeAndNeverTheSignature(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("page.html"), "<p>hi</p>");

    assertThatThrownBy(
            () ->
                new HttpUploader(Duration.ofSeconds(5))
                    .put(
                        URI.create(base() + "/denied/page.html?X-Amz-Signature=abc"),
                        file,
                        "text/html",
                        Duration.ofSeconds(5)))
        .isInstanceOf(IOException.class)
        .hasMessage("the store answered HTTP 403 SignatureDoesNotMatch");
  }

  @Test
  void aStoreThatCannotBeReachedIsSaidSo(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("page.html"), "<p>hi</p>");
    int closedPort;
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }

    assertThatThrownBy(
            () ->
                new HttpUploader(Duration.ofSeconds(5))
                    .put(
                        URI.create("http://127.0.0.1:" + closedPort + "/b/page.html?sig=abc"),
                        file,
                        "text/html",
                        Duration.ofSeconds(5)))
        .isInstanceOf(Uploader.Unreachable.class)
        .hasMessageStartingWith("the store cannot be reached: ConnectException")
        .hasMessageNotContaining("sig=abc");
  }

  @Test
  void releasingStopsTheClientsThreadAndALaterUploadWorksAgain(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("a.png"), "png");
    HttpUploader uploader = new HttpUploader(Duration.ofSeconds(5));
    uploader.put(URI.create(base() + "/b/1.png"), file, "image/png", Duration.ofSeconds(5));
    Thread selector = uploader.selectorThread();
    assertThat(selector).isNotNull();
    assertThat(selector.getName()).endsWith("-SelectorManager");

    uploader.release();

    selector.join(5_000);
    assertThat(selector.isAlive()).isFalse();
    uploader.put(URI.create(base() + "/b/2.png"), file, "image/png", Duration.ofSeconds(5));
    assertThat(received).containsKeys("PUT /b/1.png", "PUT /b/2.png");
    uploader.release();
  }

  @Test
  void aLogLineShowsTheUrlWithoutItsQuery() {
    assertThat(
            Uploader.shown(
                URI.create("https://u:p@store.test:9000/bucket/a/trace.zip?X-Amz-Signature=abc")))
        .isEqualTo("https://store.test:9000/bucket/a/trace.zip");
  }
}

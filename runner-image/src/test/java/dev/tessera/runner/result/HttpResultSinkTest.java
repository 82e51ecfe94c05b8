package dev.tessera.runner.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpResultSinkTest {
  private HttpServer server;
  private final List<String> seen = new CopyOnWriteArrayList<>();

  private URI serve(int... statuses) throws IOException {
    List<Integer> answers = new ArrayList<>();
    for (int status : statuses) {
      answers.add(status);
    }
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          seen.add(
              exchange.getRequestHeaders().getFirst("Authorization")
                  + " "
                  + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          int status = answers.size() > 1 ? answers.remove(0) : answers.get(0);
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
    return URI.create(
        "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/attempts/ns/p/result");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void deliversWithTheTokenAndRetriesWhileTheOperatorIsUnavailable() throws Exception {
    URI url = serve(503, 503, 204);
    new HttpResultSink(url, "tok", Duration.ofSeconds(20)).deliver("{\"r\":1}".getBytes());
    assertThat(seen).hasSize(3).allSatisfy(s -> assertThat(s).isEqualTo("Bearer tok {\"r\":1}"));
  }

  @Test
  void refusalIsFinalAndNotRetried() throws Exception {
    URI url = serve(403);
    assertThatThrownBy(
            () -> new HttpResultSink(url, "bad", Duration.ofSeconds(20)).deliver("{}".getBytes()))
        .hasMessageContaining("403");
    assertThat(seen).hasSize(1);
  }

  @Test
  void alreadyReportedCountsAsDelivered() throws Exception {
    URI url = serve(409);
    new HttpResultSink(url, "tok", Duration.ofSeconds(5)).deliver("{}".getBytes());
    assertThat(seen).hasSize(1);
  }

  @Test
  void unreachableOperatorFailsAfterTheDeadline() {
    URI url = URI.create("http://127.0.0.1:9/v1/attempts/ns/p/result");
    assertThatThrownBy(
            () -> new HttpResultSink(url, "tok", Duration.ofSeconds(1)).deliver("{}".getBytes()))
        .isInstanceOf(IOException.class);
  }
}

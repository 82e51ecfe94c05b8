package dev.tessera.operator.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpsServerTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicBoolean ready = new AtomicBoolean(true);
  private final Liveness liveness = new Liveness();
  private OpsServer server;

  @BeforeEach
  void start() throws Exception {
    server = OpsServer.start("127.0.0.1", 0, ready::get, liveness, new OperatorMetrics());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aRunningOperatorIsLiveWhetherOrNotItIsReady() throws Exception {
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    ready.set(false);
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    assertThat(get("/readyz").statusCode()).isEqualTo(503);
  }

  @Test
  void anOperatorThatLostItsLeadershipIsNotLiveAndSaysWhy() throws Exception {
    liveness.fail(Liveness.LEADERSHIP_LOST);

    HttpResponse<String> healthz = get("/healthz");
    assertThat(healthz.statusCode()).isEqualTo(503);
    assertThat(healthz.body()).contains(Liveness.LEADERSHIP_LOST);
    assertThat(get("/readyz").statusCode()).as("readiness does not follow liveness").isEqualTo(200);
  }

  @Test
  void theFirstReasonIsKept() throws Exception {
    assertThat(liveness.fail(Liveness.INFORMER_STOPPED)).isTrue();
    assertThat(liveness.fail(Liveness.STOPPED)).isFalse();

    assertThat(get("/healthz").body()).contains(Liveness.INFORMER_STOPPED);
    assertThat(liveness.failure()).contains(Liveness.INFORMER_STOPPED);
  }
}

package dev.tessera.runner.it;

import static dev.tessera.runner.testing.RunnerProcess.runner;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.protocol.AttemptInput;
import dev.tessera.api.protocol.AttemptInputs;
import dev.tessera.api.protocol.ErrorCode;
import dev.tessera.api.protocol.Outcome;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.api.v1alpha1.RecorderSpec;
import dev.tessera.demosite.DemoSite;
import dev.tessera.runner.testing.Examples;
import dev.tessera.runner.testing.RunnerProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A recording, as a human does it: a second headless Chromium (the human's browser) opens the
 * runner's hosted browser page, sees the demo site's login in it, and types and clicks through the
 * live view, TOTP code included. The runner saves the state when the page reaches the finish URL,
 * and checks it.
 */
class RecorderIT {
  private static final String TOKEN = "recording-token-7f3a";
  private static DemoSite site;

  @BeforeAll
  static void start() {
    site = DemoSite.start();
  }

  @AfterAll
  static void stop() {
    site.close();
  }

  private static AttemptInput recording(int timeoutSeconds) {
    ProjectSpec project = Examples.project("mfa").getSpec();
    RecorderSpec recorder = new RecorderSpec();
    recorder.setStartUrl(site.baseUrl() + "/login");
    recorder.setFinishUrl("**/dashboard");
    recorder.setTimeoutSeconds(timeoutSeconds);
    project.getAuthentication().setRecorder(recorder);
    ((com.fasterxml.jackson.databind.node.ObjectNode) project.getParameters())
        .put("baseUrl", site.baseUrl());
    return AttemptInputs.record("ns/bob-record", 1, project, null, 2, null, TOKEN);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  private static int status(String url, String token, String method) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("X-Tessera-Token", token);
    }
    return HttpClient.newHttpClient()
        .send(request.build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void theHostedBrowserRefusesRequestsWithoutItsTokenAndDoneWithoutALoginFailsTheCheck()
      throws Exception {
    int port = freePort();
    RunnerProcess.Started recorder =
        runner()
            .withPreExtractedDriver()
            .start(recording(120), Map.of("TESSERA_RECORDER_PORT", Integer.toString(port)));
    String base = "http://127.0.0.1:" + port;
    await("the hosted browser", () -> recorder.stderr().contains("hosted browser on port"));

    assertThat(status(base + "/", null, "GET")).isEqualTo(401);
    assertThat(status(base + "/?token=wrong", null, "GET")).isEqualTo(401);
    assertThat(status(base + "/frame", null, "GET")).isEqualTo(401);
    assertThat(status(base + "/frame", "wrong", "GET")).isEqualTo(401);
    assertThat(status(base + "/done", "wrong", "POST")).isEqualTo(401);
    assertThat(status(base + "/?token=" + TOKEN, null, "GET")).isEqualTo(200);
    assertThat(status(base + "/frame", TOKEN, "GET")).isEqualTo(200);
    assertThat(status(base + "/done", TOKEN, "POST")).isEqualTo(204);

    RunnerProcess.Run run = recorder.await();
    assertThat(run.result().outcome()).as(run::describe).isEqualTo(Outcome.DEPENDENCY_FAILED);
    assertThat(run.result().error().code()).isEqualTo(ErrorCode.PostCreateCheckAttemptsFailed);
    assertThat(run.result().storageState()).isNull();
    assertThat(run.stderr()).doesNotContain(TOKEN);
  }

  @Test
  void aRecordingNoOneFinishesTimesOut() throws Exception {
    RunnerProcess.Run run =
        runner()
            .withPreExtractedDriver()
            .start(recording(3), Map.of("TESSERA_RECORDER_PORT", Integer.toString(freePort())))
            .await();
    assertThat(run.result().outcome()).as(run::describe).isEqualTo(Outcome.DEPENDENCY_FAILED);
    assertThat(run.result().error().code()).isEqualTo(ErrorCode.RecordingTimedOut);
    assertThat(run.result().error().message()).contains("3 s", "record the session again");
  }
}

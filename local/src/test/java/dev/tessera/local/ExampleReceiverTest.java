package dev.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.webhook.WebhookSigner;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The example receiver, {@code examples/webhooks/receiver.py}, run as its docstring says: it takes
 * a delivery signed as the operator signs them and refuses a tampered or stale one.
 */
class ExampleReceiverTest {
  private static final Path RECEIVER = LocalCluster.ROOT.resolve("examples/webhooks/receiver.py");
  private static final byte[] BODY =
      "{\"run\":\"catalog-signed-now-0\",\"phase\":\"Succeeded\",\"result\":{}}"
          .getBytes(StandardCharsets.UTF_8);

  private static boolean pythonRuns() {
    try {
      Process p = new ProcessBuilder("python3", "-c", "'x'.removeprefix('')").start();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  private static int post(HttpClient http, String url, String id, long at, String sig, byte[] body)
      throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(at))
                .header("webhook-signature", sig)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void theExampleReceiverTakesSignedDeliveriesAndRefusesTamperedOrStaleOnes() throws Exception {
    // scripts/prerequisites installs python3: a missing one fails the test rather than skip it
    assertThat(pythonRuns()).as("python3 (3.9 or later) runs").isTrue();
    String secret = WebhookSigner.generateSecret();
    WebhookSigner signer = WebhookSigner.parseStrict(secret);
    ProcessBuilder builder =
        new ProcessBuilder("python3", RECEIVER.toString(), "0").redirectErrorStream(true);
    builder.environment().put("TESSERA_WEBHOOK_SECRET", secret);
    Process receiver = builder.start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(receiver.getInputStream(), StandardCharsets.UTF_8));
      String listening = out.readLine();
      assertThat(listening).startsWith("listening on http://127.0.0.1:");
      String url = listening.substring("listening on ".length());
      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(5))
              .build();
      long now = Instant.now().getEpochSecond();

      assertThat(post(http, url, "uid-1", now, signer.sign("uid-1", now, BODY), BODY))
          .isEqualTo(204);
      assertThat(out.readLine()).isEqualTo("catalog-signed-now-0 Succeeded {}");
      byte[] tampered =
          new String(BODY, StandardCharsets.UTF_8)
              .replace("Succeeded", "Failed")
              .getBytes(StandardCharsets.UTF_8);
      assertThat(post(http, url, "uid-1", now, signer.sign("uid-1", now, BODY), tampered))
          .isEqualTo(401);
      assertThat(out.readLine()).isEqualTo("refused: no webhook-signature matches the body");
      long stale = now - 600;
      assertThat(post(http, url, "uid-1", stale, signer.sign("uid-1", stale, BODY), BODY))
          .isEqualTo(401);
      assertThat(out.readLine()).startsWith("refused: webhook-timestamp");
    } finally {
      receiver.destroy();
      receiver.waitFor(10, TimeUnit.SECONDS);
    }
  }
}

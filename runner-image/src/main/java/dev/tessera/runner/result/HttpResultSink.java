package dev.tessera.runner.result;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * Delivers the result to the operator's results endpoint, authenticated by the Attempt's one-time
 * token. The operator may be restarting: connection failures and 5xx answers are retried with
 * backoff until {@code giveUpAfter}. A 409 means an earlier try already got through; a 413 means
 * the operator recorded the result as too big. Any other refusal is final.
 */
public final class HttpResultSink implements ResultSink {
  private final URI url;
  private final String token;
  private final Duration giveUpAfter;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public HttpResultSink(URI url, String token, Duration giveUpAfter) {
    this.url = url;
    this.token = token;
    this.giveUpAfter = giveUpAfter;
  }

  @Override
  public void deliver(byte[] resultJson) throws IOException {
    Instant deadline = Instant.now().plus(giveUpAfter);
    Duration pause = Duration.ofMillis(250);
    IOException last = null;
    while (true) {
      try {
        HttpRequest request =
            HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(resultJson))
                .build();
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status / 100 == 2 || status == 409 || status == 413) {
          return;
        }
        if (status < 500) {
          throw new IOException("the results endpoint refused the result with status " + status);
        }
        last = new IOException("the results endpoint answered " + status);
      } catch (IOException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("the results endpoint refused")) {
          throw e;
        }
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while delivering the result", e);
      }
      if (Instant.now().plus(pause).isAfter(deadline)) {
        throw last;
      }
      try {
        Thread.sleep(pause.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while delivering the result", e);
      }
      pause =
          pause.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0
              ? Duration.ofSeconds(5)
              : pause.multipliedBy(2);
    }
  }

  @Override
  public String describe() {
    return url.toString();
  }
}

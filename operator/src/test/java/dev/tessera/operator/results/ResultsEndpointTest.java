package dev.tessera.operator.results;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tessera.api.protocol.AttemptResult;
import dev.tessera.api.protocol.ErrorCode;
import dev.tessera.api.protocol.Outcome;
import dev.tessera.api.protocol.ProtocolJson;
import dev.tessera.api.protocol.Validation;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.RunSpec;
import dev.tessera.operator.pod.AttemptPods;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The results endpoint accepts one report per Attempt, from the holder of its token only. */
@EnableKubernetesMockClient(crud = true)
class ResultsEndpointTest {
  private static final AttemptTokens TOKENS = new AttemptTokens("a key of the test".getBytes());
  private static final String TOKEN = TOKENS.forAttempt("ns", "r-a1");
  private static final ObjectMapper JSON = new ObjectMapper();

  KubernetesClient client;
  KubernetesMockServer server;
  private ResultsEndpoint endpoint;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    Logger.getLogger("io.fabric8.mockwebserver").setLevel(Level.WARNING);
    Run run = new Run();
    run.setMetadata(new ObjectMetaBuilder().withName("r").withNamespace("ns").withUid("u").build());
    run.setSpec(new YAMLMapper().readValue("{project: p, api: a}", RunSpec.class));
    client
        .secrets()
        .inNamespace("ns")
        .resource(AttemptPods.inputSecret(run, 1, "r-a1", "{}".getBytes(), TOKEN))
        .create();
    endpoint = ResultsEndpoint.start(client, TOKENS, "127.0.0.1", 0, 1000);
  }

  @AfterEach
  void stop() {
    endpoint.close();
  }

  private HttpResponse<String> post(String pod, String token, String body) throws Exception {
    URI url =
        ResultsEndpoint.reportUrl(URI.create("http://127.0.0.1:" + endpoint.port()), "ns", pod);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String report(String resultJson) throws Exception {
    return new String(
        ProtocolJson.write(
            AttemptResult.of(
                Outcome.SUCCEEDED,
                Validation.notRequired(),
                JSON.readTree(resultJson),
                null,
                null,
                null,
                null)),
        StandardCharsets.UTF_8);
  }

  /** The Attempt's Secret when it holds a report, or null. */
  private Secret stored() {
    Secret secret = client.secrets().inNamespace("ns").withName("r-a1-in").get();
    return secret != null && ResultSecrets.holdsReport(secret) ? secret : null;
  }

  @Test
  void reportWithTheAttemptsTokenIsStoredOnce() throws Exception {
    assertThat(post("r-a1", TOKEN, report("{\"n\":1}")).statusCode()).isEqualTo(204);
    AttemptResult result = ResultSecrets.read(stored());
    assertThat(result.result().get("n").asInt()).isEqualTo(1);
    assertThat(stored().getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo("u"));
    // the report took the place of the input (the state it carried) and of the token
    assertThat(stored().getData()).containsOnlyKeys(ResultSecrets.RESULT_KEY);
    assertThat(stored().getMetadata().getLabels())
        .containsEntry("tessera.dev/component", "attempt-result");
    assertThat(stored().getImmutable()).isTrue();

    HttpResponse<String> replay = post("r-a1", TOKEN, report("{\"n\":2}"));
    assertThat(replay.statusCode()).isEqualTo(409);
    assertThat(ResultSecrets.read(stored()).result().get("n").asInt()).isEqualTo(1);
  }

  @Test
  void ofTwoReportsAtOnceWithTheTokenOneIsStored() throws Exception {
    List<CompletableFuture<Integer>> reports = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String body = report("{\"n\":" + i + "}");
      reports.add(CompletableFuture.supplyAsync(() -> postQuietly(body)));
    }
    List<Integer> statuses = reports.stream().map(CompletableFuture::join).toList();
    assertThat(statuses).containsOnlyOnce(204).containsOnly(204, 409);
    assertThat(ResultSecrets.read(stored()).result().get("n").asInt()).isBetween(0, 3);
  }

  private int postQuietly(String body) {
    try {
      return post("r-a1", TOKEN, body).statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void wrongMissingOrForeignTokenIsRefusedAndChangesNothing() throws Exception {
    assertThat(post("r-a1", "forged", report("{}")).statusCode()).isEqualTo(403);
    assertThat(post("r-a1", null, report("{}")).statusCode()).isEqualTo(403);
    assertThat(post("r-a2", TOKEN, report("{}")).statusCode()).isEqualTo(403);
    assertThat(stored()).isNull();
  }

  @Test
  void aTokenTheOperatorDidNotMakeForThePodIsRefusedBeforeAnyApiCall() throws Exception {
    int before = server.getRequestCount();
    assertThat(post("r-a1", "forged", report("{}")).statusCode()).isEqualTo(403);
    assertThat(post("r-a1", null, report("{}")).statusCode()).isEqualTo(403);
    assertThat(post("r-a2", TOKEN, report("{}")).statusCode()).isEqualTo(403);
    String otherKey = new AttemptTokens("another key".getBytes()).forAttempt("ns", "r-a1");
    assertThat(post("r-a1", otherKey, report("{}")).statusCode()).isEqualTo(403);
    assertThat(server.getRequestCount()).as("requests to the API").isEqualTo(before);

    // a token this key made for the Pod, but not the Attempt's current one, asks the API and fails
    assertThat(post("r-a1", TOKENS.forAttempt("ns", "r-a1"), report("{}")).statusCode())
        .isEqualTo(403);
    assertThat(stored()).isNull();
  }

  @Test
  void unauthenticatedReportsAreAnsweredAtABoundedRate() throws Exception {
    URI url =
        ResultsEndpoint.reportUrl(URI.create("http://127.0.0.1:" + endpoint.port()), "ns", "r-a1");
    String body = report("{}");
    List<CompletableFuture<HttpResponse<Void>>> flood = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      flood.add(
          http.sendAsync(
              HttpRequest.newBuilder(url)
                  .header("Authorization", "Bearer forged-" + i)
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding()));
    }
    List<Integer> statuses = flood.stream().map(f -> f.join().statusCode()).toList();
    assertThat(statuses).containsOnly(403, 429);
    // a bucket of 20 that refills at 10 a second: most of a flood is answered 429
    assertThat(statuses.stream().filter(s -> s == 403).count())
        .as("refused with 403")
        .isLessThan(150);
    // the Attempt's own report still goes through
    assertThat(post("r-a1", TOKEN, report("{}")).statusCode()).isEqualTo(204);
  }

  @Test
  void malformedReportIsRefusedWithoutUsingTheToken() throws Exception {
    assertThat(post("r-a1", TOKEN, "{\"outcome\":\"SUCCEEDED\"}").statusCode()).isEqualTo(400);
    assertThat(stored()).isNull();
    assertThat(post("r-a1", TOKEN, report("{}")).statusCode()).isEqualTo(204);
  }

  @Test
  void resultOverTheBoundIsRecordedAsResultTooBig() throws Exception {
    String big = "{\"text\":\"" + "x".repeat(2000) + "\"}";
    assertThat(post("r-a1", TOKEN, report(big)).statusCode()).isEqualTo(413);
    AttemptResult result = ResultSecrets.read(stored());
    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.error().code()).isEqualTo(ErrorCode.ResultTooBig);
    assertThat(result.error().message()).contains("limit is 1000");
  }
}

package dev.tessera.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultsTest {
  static final Path CRDS = Path.of("..", "crds");
  static final String CONFIG_MAP =
      "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"%s\"}}";

  /** A client of the cluster's API as a browser-free caller: its certificate, its token. */
  private static HttpClient http(EmbeddedCluster cluster) {
    return HttpClient.newBuilder().sslContext(cluster.sslContext()).build();
  }

  private static HttpRequest.Builder request(EmbeddedCluster cluster, URI uri) {
    return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + cluster.token());
  }

  private static Faults faults(
      double errors, double conflicts, double watches, double slow, Duration delay) {
    return new Faults(
        "chaos-victim", errors, conflicts, watches, Duration.ofMillis(500), slow, delay);
  }

  private HttpResponse<String> createConfigMap(EmbeddedCluster cluster, String agent, String name)
      throws Exception {
    return http(cluster)
        .send(
            request(cluster, URI.create(cluster.url() + "/api/v1/namespaces/default/configmaps"))
                .header("User-Agent", agent)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CONFIG_MAP.formatted(name)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void writesOfTheChosenClientFailWithoutBeingCarriedOut() throws Exception {
    try (EmbeddedCluster cluster =
        EmbeddedCluster.builder()
            .crds(CRDS)
            .garbageCollection(null)
            .faults(faults(1, 0, 0, 0, Duration.ZERO))
            .start()) {
      HttpResponse<String> failed = createConfigMap(cluster, "chaos-victim/1.0", "lost");
      assertThat(failed.statusCode()).isEqualTo(500);
      assertThat(failed.body()).contains("\"reason\":\"InternalError\"");
      assertThat(createConfigMap(cluster, "someone-else", "kept").statusCode()).isEqualTo(201);

      assertThat(cluster.kubernetesClient().configMaps().withName("lost").get()).isNull();
      assertThat(cluster.kubernetesClient().configMaps().withName("kept").get()).isNotNull();
      assertThat(cluster.faultsInjected()).isEqualTo(new Faults.Injected(1, 0, 0, 0));
    }
  }

  @Test
  void updatesConflictAsWhenAnotherWriterWasFirstButCreatesDoNot() throws Exception {
    try (EmbeddedCluster cluster =
        EmbeddedCluster.builder()
            .crds(CRDS)
            .garbageCollection(null)
            .faults(faults(0, 1, 0, 0, Duration.ZERO))
            .start()) {
      assertThat(createConfigMap(cluster, "chaos-victim", "c").statusCode()).isEqualTo(201);
      HttpResponse<String> conflict =
          http(cluster)
              .send(
                  request(
                          cluster,
                          URI.create(cluster.url() + "/api/v1/namespaces/default/configmaps/c"))
                      .header("User-Agent", "chaos-victim")
                      .header("Content-Type", "application/merge-patch+json")
                      .method(
                          "PATCH", HttpRequest.BodyPublishers.ofString("{\"data\":{\"k\":\"v\"}}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(conflict.statusCode()).isEqualTo(409);
      assertThat(conflict.body()).contains("\"reason\":\"Conflict\"");
      assertThat(cluster.faultsInjected().conflicts()).isEqualTo(1);
    }
  }

  @Test
  void aDroppedWatchEndsWithinItsLifetime() throws Exception {
    try (EmbeddedCluster cluster =
        EmbeddedCluster.builder()
            .crds(CRDS)
            .garbageCollection(null)
            .faults(faults(0, 0, 1, 0, Duration.ZERO))
            .start()) {
      long start = System.nanoTime();
      HttpResponse<InputStream> watch =
          http(cluster)
              .send(
                  request(
                          cluster,
                          URI.create(
                              cluster.url() + "/api/v1/namespaces/default/configmaps?watch=true"))
                      .header("User-Agent", "chaos-victim")
                      .build(),
                  HttpResponse.BodyHandlers.ofInputStream());
      assertThat(watch.statusCode()).isEqualTo(200);
      try (InputStream body = watch.body()) {
        // the stream ends (or breaks) once the connection is cut
        try {
          body.readAllBytes();
        } catch (java.io.IOException cut) {
          // a cut connection may also surface as an error
        }
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(cluster.faultsInjected().droppedWatches()).isEqualTo(1);
    }
  }

  @Test
  void slowAnswersComeLate() throws Exception {
    try (EmbeddedCluster cluster =
        EmbeddedCluster.builder()
            .crds(CRDS)
            .garbageCollection(null)
            .faults(faults(0, 0, 0, 1, Duration.ofMillis(400)))
            .start()) {
      long start = System.nanoTime();
      HttpResponse<String> list =
          http(cluster)
              .send(
                  request(
                          cluster,
                          URI.create(cluster.url() + "/api/v1/namespaces/default/configmaps"))
                      .header("User-Agent", "chaos-victim")
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(list.statusCode()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(400));
      assertThat(cluster.faultsInjected().slowAnswers()).isEqualTo(1);
    }
  }

  @Test
  void sharesOutsideZeroToOneAreRefused() {
    assertThatThrownBy(() -> faults(1.5, 0, 0, 0, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> faults(0.6, 0.6, 0, 0, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Faults.NONE.enabled()).isFalse();
  }
}

package dev.tessera.local;

import static dev.tessera.local.LocalCluster.awaitFinished;
import static dev.tessera.local.LocalCluster.awaitSession;
import static dev.tessera.local.LocalCluster.create;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tessera.api.v1alpha1.ArtifactStatus;
import dev.tessera.api.v1alpha1.AttemptStatus;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.Project;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.operator.artifacts.ArtifactKeys;
import dev.tessera.operator.artifacts.ArtifactStore;
import dev.tessera.operator.artifacts.ArtifactStoreConfig;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the browser saw, kept in local mode's embedded S3-compatible store: a failing API's Attempt
 * lists a trace, a screenshot and the page's HTML; {@code tessera-local artifacts} downloads them;
 * they hold no secret; runners hold no store credential; deleting the Run deletes them.
 */
class ArtifactsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static LocalMode local;
  private static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    local = LocalCluster.startDemo();
    client = local.client();
  }

  @AfterAll
  static void stop() {
    local.close();
  }

  @Test
  void aFailingApiKeepsItsTraceScreenshotAndHtmlWithoutSecretsUntilItsRunGoes() throws Exception {
    ObjectNode project =
        (ObjectNode)
            YAML.readTree(LocalCluster.ROOT.resolve("examples/demo/project.yaml").toFile());
    ((ObjectNode) project.get("metadata")).put("name", "demo-artifacts");
    ((ObjectNode) project.at("/spec/parameters")).put("baseUrl", local.site().baseUrl());
    ((ObjectNode) project.at("/spec/runner")).put("maxAttempts", 1);
    ((ObjectNode) project.at("/spec/apis"))
        .set(
            "broken",
            YAML.readTree(
                "{steps: [{goto: \"$(params.baseUrl)/invoices\"}, {screenshot: {as: invoices}},"
                    + " {click: {selector: \"#no-such-button\"}, timeoutSeconds: 1}]}"));
    client.resource(JSON.treeToValue(project, Project.class)).inNamespace("default").create();
    create(
        client,
        "{apiVersion: tessera.dev/v1alpha1, kind: AuthSession, metadata: {name: artifacts-alice,"
            + " namespace: default}, spec: {project: demo-artifacts, type: Credentials,"
            + " credentialsSecretRef: {name: demo-alice-credentials}}}",
        AuthSession.class);
    awaitSession(client, "artifacts-alice", "Ready");

    List<String> seen = new CopyOnWriteArrayList<>();
    try (Watch secrets = client.secrets().inNamespace("default").watch(recorder(seen));
        Watch pods = client.pods().inNamespace("default").watch(recorder(seen))) {
      create(
          client,
          "{apiVersion: tessera.dev/v1alpha1, kind: Run, metadata: {name: broken-run, namespace:"
              + " default}, spec: {project: demo-artifacts, api: broken, authSession: {name:"
              + " artifacts-alice}}}",
          Run.class);
      Run run = awaitFinished(client, "broken-run");
      assertThat(run.getStatus().getPhase()).isEqualTo("Failed");
      AttemptStatus attempt = run.getStatus().getAttempts().get(0);
      assertThat(attempt.getArtifacts())
          .extracting(ArtifactStatus::getName, ArtifactStatus::getKind)
          .containsExactlyInAnyOrder(
              tuple("trace.zip", "Trace"),
              tuple("screenshot.png", "Screenshot"),
              tuple("page.html", "Html"),
              tuple("step-2.png", "StepScreenshot"));
      assertThat(attempt.getArtifacts())
          .allSatisfy(
              a -> {
                assertThat(a.getSize()).isPositive();
                assertThat(a.getKey())
                    .isEqualTo(ArtifactKeys.of(run, 1, a.getName()))
                    .startsWith("runs/default/broken-run/" + run.getMetadata().getUid() + "/");
              });

      // tessera-local artifacts downloads them
      Path to = Files.createTempDirectory("artifacts");
      Path settings = local.kubeconfig().getParent().resolve(LocalArtifactStore.SETTINGS_FILE);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int status =
          new ArtifactsCommand(
                  new ArtifactsCommand.Options(
                      "broken-run", "default", null, to, local.kubeconfig(), settings),
                  new PrintStream(out, true, StandardCharsets.UTF_8))
              .call();
      assertThat(status).as(out.toString(StandardCharsets.UTF_8)).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("npx playwright show-trace");

      // the trace is a Playwright trace archive whose events parse and show the API's steps
      List<String> traceEvents = new ArrayList<>();
      Map<String, byte[]> entries = unzip(to.resolve("trace.zip"));
      assertThat(entries.keySet()).anyMatch(name -> name.endsWith(".trace"));
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        if (entry.getKey().endsWith(".trace")) {
          for (String line : new String(entry.getValue(), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
              JSON.readTree(line);
              traceEvents.add(line);
            }
          }
        }
      }
      assertThat(String.join("\n", traceEvents))
          .contains(local.site().baseUrl() + "/invoices")
          .contains("#no-such-button");
      assertThat(Files.readAllBytes(to.resolve("screenshot.png"))).startsWith(PNG);
      assertThat(Files.readAllBytes(to.resolve("step-2.png"))).startsWith(PNG);
      assertThat(Files.readString(to.resolve("page.html"))).contains("id=\"invoices\"");

      // no secret in any artifact, unzipped or not
      List<String> hidden = new ArrayList<>(stateValues("artifacts-alice"));
      hidden.add("wonderland");
      List<byte[]> contents = new ArrayList<>(entries.values());
      try (var files = Files.list(to)) {
        for (Path file : files.toList()) {
          contents.add(Files.readAllBytes(file));
        }
      }
      for (byte[] content : contents) {
        String text = new String(content, StandardCharsets.ISO_8859_1);
        for (String secret : hidden) {
          assertThat(text).doesNotContain(secret);
        }
      }

      // the runner's Pod and input hold no store credential
      String storeSecret = local.artifactStore().get("TESSERA_ARTIFACTS_SECRET_ACCESS_KEY");
      assertThat(seen).isNotEmpty().noneMatch(object -> object.contains(storeSecret));

      // deleting the Run deletes its artifacts
      ArtifactStoreConfig config = ArtifactStoreConfig.fromEnv(local.artifactStore());
      try (ArtifactStore store = new ArtifactStore(config)) {
        String folder = ArtifactKeys.run(run);
        assertThat(store.list(folder)).hasSize(4);
        client.resource(run).delete();
        await().atMost(Duration.ofSeconds(60)).until(() -> store.list(folder).isEmpty());
      }
    }
  }

  @Test
  void anUploadUrlIsRefusedForAnyOtherObject() throws Exception {
    ArtifactStoreConfig config = ArtifactStoreConfig.fromEnv(local.artifactStore());
    HttpClient http = HttpClient.newHttpClient();
    try (ArtifactStore store = new ArtifactStore(config)) {
      URI mine =
          store
              .presignPut("runs/default/a/uid-a/attempt-1/trace.zip", Duration.ofMinutes(5))
              .toURI();
      URI other =
          URI.create(
              mine.toString()
                  .replace("/runs/default/a/uid-a/attempt-1/", "/runs/default/b/uid-b/attempt-1/"));
      assertThat(put(http, other)).isEqualTo(403);
      assertThat(put(http, mine)).isEqualTo(200);
      assertThat(store.list("runs/default/b/")).isEmpty();
      assertThat(store.list("runs/default/a/")).hasSize(1);
    }
  }

  private static int put(HttpClient http, URI uri) throws Exception {
    return http.send(
            HttpRequest.newBuilder(uri)
                .PUT(HttpRequest.BodyPublishers.ofString("not yours"))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** The cookie and localStorage values of a session's stored state. */
  private static List<String> stateValues(String session) throws IOException {
    Secret state = client.secrets().inNamespace("default").withName(session + "-state").get();
    List<String> values = new ArrayList<>();
    for (String encoded : state.getData().values()) {
      String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
      JsonNode json;
      try {
        json = JSON.readTree(decoded);
      } catch (IOException notJson) {
        continue;
      }
      json.path("cookies").forEach(c -> values.add(c.path("value").asText()));
      json.path("origins")
          .forEach(o -> o.path("localStorage").forEach(i -> values.add(i.path("value").asText())));
    }
    values.removeIf(v -> v.length() < 8);
    assertThat(values)
        .as("the state has a session cookie and a token")
        .hasSizeGreaterThanOrEqualTo(2);
    return values;
  }

  private static Map<String, byte[]> unzip(Path zip) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(zip);
        ZipInputStream entriesIn = new ZipInputStream(in)) {
      for (ZipEntry entry; (entry = entriesIn.getNextEntry()) != null; ) {
        entries.put(entry.getName(), entriesIn.readAllBytes());
      }
    }
    return entries;
  }

  /** Records every Secret and Pod as written, as JSON. */
  private static <T> Watcher<T> recorder(List<String> seen) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        try {
          seen.add(JSON.writeValueAsString(resource));
          if (resource instanceof Secret secret && secret.getData() != null) {
            secret
                .getData()
                .values()
                .forEach(
                    v ->
                        seen.add(
                            new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
          }
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }
}

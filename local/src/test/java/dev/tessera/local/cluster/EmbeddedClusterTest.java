package dev.tessera.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.RunSpec;
import dev.tessera.api.v1alpha1.RunStatus;
import dev.tessera.api.v1alpha1.StatusCondition;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedClusterTest {
  static final Path CRDS = Path.of("..", "crds");

  static EmbeddedCluster cluster;
  static KubernetesClient client;

  @BeforeAll
  static void start() {
    cluster = EmbeddedCluster.builder().crds(CRDS).garbageCollection(null).start();
    client = cluster.kubernetesClient();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void registersTheFiveCrdsBeforeItIsHandedOut() {
    assertThat(client.apiextensions().v1().customResourceDefinitions().list().getItems())
        .extracting(CustomResourceDefinition::getMetadata)
        .extracting(m -> m.getName())
        .containsExactlyInAnyOrder(
            "authsessions.tessera.dev",
            "jobruns.tessera.dev",
            "jobs.tessera.dev",
            "projects.tessera.dev",
            "runs.tessera.dev");
    List<APIResource> resources = client.getApiResources("tessera.dev/v1alpha1").getResources();
    APIResource runs =
        resources.stream().filter(r -> r.getName().equals("runs")).findFirst().orElseThrow();
    assertThat(runs.getKind()).isEqualTo("Run");
    assertThat(runs.getNamespaced()).isTrue();
    assertThat(runs.getShortNames()).containsExactly("trun");
    assertThat(runs.getCategories()).containsExactly("tessera");
    assertThat(resources).extracting(APIResource::getName).contains("runs/status");
  }

  @Test
  void theDefaultNamespaceExistsAndOthersMustBeCreated() {
    assertThat(client.namespaces().withName("default").get().getStatus().getPhase())
        .isEqualTo("Active");
    assertThatThrownBy(
            () -> client.resources(Run.class).inNamespace("nowhere").resource(run("r")).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(404);
              assertThat(e.getMessage()).contains("namespaces \"nowhere\" not found");
            });
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("elsewhere").endMetadata().build())
        .create();
    assertThat(client.resources(Run.class).inNamespace("elsewhere").resource(run("r")).create())
        .isNotNull();
  }

  @Test
  void typedRunsAreStoredWithStatusSubresourceSemantics() {
    var runs = client.resources(Run.class).inNamespace("default");
    Run created = runs.resource(run("status-run")).create();
    assertThat(created.getMetadata().getUid()).isNotBlank();
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);

    RunStatus status = new RunStatus();
    status.setPhase("Running");
    status.setAttemptCount(1);
    created.setStatus(status);
    Run updated = runs.resource(created).updateStatus();
    assertThat(updated.getStatus().getPhase()).isEqualTo("Running");
    assertThat(updated.getMetadata().getGeneration()).isEqualTo(1L);

    // a write of the main resource neither changes the status nor keeps a stale one
    Run edited =
        runs.withName("status-run")
            .edit(
                r -> {
                  r.getSpec().setCancel(true);
                  r.getStatus().setPhase("Tampered");
                  return r;
                });
    assertThat(edited.getStatus().getPhase()).isEqualTo("Running");
    assertThat(edited.getMetadata().getGeneration()).isEqualTo(2L);

    Run patched =
        runs.withName("status-run")
            .editStatus(
                r -> {
                  r.getStatus().setPhase("Succeeded");
                  return r;
                });
    assertThat(patched.getStatus().getPhase()).isEqualTo("Succeeded");
    assertThat(runs.withName("status-run").get().getStatus().getAttemptCount()).isEqualTo(1);
  }

  @Test
  void aWatchFromAListsVersionSendsWhatWasDeletedSince() {
    cluster.ensureNamespace("since");
    for (String name : List.of("stays", "goes")) {
      client
          .configMaps()
          .inNamespace("since")
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .endMetadata()
                  .addToData("n", name)
                  .build())
          .create();
    }
    String listed =
        client.configMaps().inNamespace("since").list().getMetadata().getResourceVersion();
    // deleted after the list and before the watch: what an informer's relist goes through
    client.configMaps().inNamespace("since").withName("goes").delete();

    List<String> events = new CopyOnWriteArrayList<>();
    try (var watch =
        client
            .configMaps()
            .inNamespace("since")
            .watch(
                new ListOptionsBuilder().withResourceVersion(listed).build(),
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, ConfigMap map) {
                    events.add(action + " " + map.getMetadata().getName());
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("DELETED goes"));
    }
    assertThat(events).doesNotContain("ADDED stays");
  }

  @Test
  void aReplaceOfAStaleVersionIsAConflictForTheStatusToo() {
    var runs = client.resources(Run.class).inNamespace("default");
    Run read = runs.resource(run("stale-run")).create();
    RunStatus status = new RunStatus();
    status.setPhase("Running");
    read.setStatus(status);
    Run written = runs.resource(read).updateStatus();

    // the object as first read: its resourceVersion is no longer the stored one
    read.getStatus().setPhase("Succeeded");
    assertThatThrownBy(() -> runs.resource(read).updateStatus())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(409);
              assertThat(e.getMessage()).contains("the object has been modified");
            });
    read.getSpec().setCancel(true);
    assertThatThrownBy(() -> runs.resource(read).update())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(runs.withName("stale-run").get().getStatus().getPhase()).isEqualTo("Running");

    written.getStatus().setPhase("Succeeded");
    assertThat(runs.resource(written).updateStatus().getStatus().getPhase()).isEqualTo("Succeeded");
  }

  @Test
  void mergePatchesReplaceListsAsRfc7386Says() {
    var runs = client.resources(Run.class).inNamespace("default");
    runs.resource(run("merge-run")).create();
    for (String reason : List.of("First", "Second")) {
      String patch =
          """
          {"status": {"conditions": [{"type": "Ready", "status": "False", "reason": "%s"}]}}
          """
              .formatted(reason);
      runs.withName("merge-run")
          .subresource("status")
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }
    List<StatusCondition> conditions = runs.withName("merge-run").get().getStatus().getConditions();
    assertThat(conditions).hasSize(1);
    assertThat(conditions.get(0).getReason()).isEqualTo("Second");
    runs.withName("merge-run")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE), "{\"spec\": {\"ttlSecondsAfterFinished\": 60}}");
    assertThat(runs.withName("merge-run").get().getSpec().getTtlSecondsAfterFinished())
        .isEqualTo(60);
    runs.withName("merge-run")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\": {\"ttlSecondsAfterFinished\": null}}");
    assertThat(runs.withName("merge-run").get().getSpec().getTtlSecondsAfterFinished()).isNull();
  }

  @Test
  void aFailingJsonPatchTestIsAnsweredWithAnError() {
    var runs = client.resources(Run.class).inNamespace("default");
    runs.resource(run("json-patch-run")).create();
    String patch = "[{\"op\":\"test\",\"path\":\"/spec/api\",\"value\":\"other\"}]";
    assertThatThrownBy(
            () -> runs.withName("json-patch-run").patch(PatchContext.of(PatchType.JSON), patch))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
  }

  @Test
  void crdDefaultsAreAppliedAndUnknownFieldsPruned() throws Exception {
    String manifest =
        """
        {"apiVersion": "tessera.dev/v1alpha1", "kind": "Run",
         "metadata": {"name": "defaults-run"},
         "spec": {"project": "demo", "api": "invoices", "typo": 1,
                  "authSession": {"name": "alice"}}}
        """;
    HttpResponse<String> response =
        http("POST", "/apis/tessera.dev/v1alpha1/namespaces/default/runs", manifest, Map.of());
    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.headers().allValues("Warning"))
        .anySatisfy(w -> assertThat(w).contains("unknown field \\\"spec.typo\\\""));
    Run stored = client.resources(Run.class).inNamespace("default").withName("defaults-run").get();
    assertThat(stored.getSpec().getAuthSession().getName()).isEqualTo("alice");
    // the validation defaults live on the AuthSession: read the stored JSON, not the Java model
    HttpResponse<String> session =
        http(
            "POST",
            "/apis/tessera.dev/v1alpha1/namespaces/default/authsessions",
            """
            {"apiVersion": "tessera.dev/v1alpha1", "kind": "AuthSession",
             "metadata": {"name": "defaults-session"},
             "spec": {"project": "demo", "type": "Runtime"}}
            """,
            Map.of());
    assertThat(session.statusCode()).isEqualTo(201);
    HttpResponse<String> read =
        http(
            "GET",
            "/apis/tessera.dev/v1alpha1/namespaces/default/authsessions/defaults-session",
            null,
            Map.of());
    assertThat(read.body())
        .contains("\"autoRecreate\":true", "\"checkAttempts\":3", "\"createAttempts\":3");

    HttpResponse<String> strict =
        http(
            "POST",
            "/apis/tessera.dev/v1alpha1/namespaces/default/runs?fieldValidation=Strict",
            manifest.replace("defaults-run", "strict-run"),
            Map.of());
    assertThat(strict.statusCode()).isEqualTo(400);
    assertThat(strict.body()).contains("strict decoding error: unknown field \\\"spec.typo\\\"");
    assertThat(client.resources(Run.class).inNamespace("default").withName("strict-run").get())
        .isNull();
  }

  @Test
  void writesThatBreakTheSchemaOrItsRulesAreRefusedWithTheFieldNamed() throws Exception {
    String runs = "/apis/tessera.dev/v1alpha1/namespaces/default/runs";
    HttpResponse<String> typed =
        http(
            "POST",
            runs,
            """
            {"apiVersion": "tessera.dev/v1alpha1", "kind": "Run", "metadata": {"name": "three"},
             "spec": {"project": "demo", "authSession": {"name": "a", "checkAttempts": "three"}}}
            """,
            Map.of());
    assertThat(typed.statusCode()).isEqualTo(422);
    JsonNode status = Json.parse(typed.body());
    assertThat(status.path("reason").asText()).isEqualTo("Invalid");
    assertThat(status.path("message").asText())
        .isEqualTo(
            "Run.tessera.dev \"three\" is invalid: spec.authSession.checkAttempts: Invalid value:"
                + " \"string\": spec.authSession.checkAttempts in body must be of type integer:"
                + " \"string\"");
    assertThat(status.path("details").path("causes").get(0).path("field").asText())
        .isEqualTo("spec.authSession.checkAttempts");
    assertThat(status.path("details").path("name").asText()).isEqualTo("three");

    HttpResponse<String> noSpec =
        http(
            "POST",
            runs,
            "{\"apiVersion\": \"tessera.dev/v1alpha1\", \"kind\": \"Run\", \"metadata\":"
                + " {\"name\": \"no-spec\"}}",
            Map.of());
    assertThat(noSpec.statusCode()).isEqualTo(422);
    assertThat(Json.parse(noSpec.body()).path("message").asText())
        .isEqualTo("Run.tessera.dev \"no-spec\" is invalid: spec: Required value");
    assertThat(client.resources(Run.class).inNamespace("default").withName("three").get()).isNull();

    // an update is checked too, with the rules that compare it to the stored object
    client.resources(Run.class).inNamespace("default").resource(run("immutable")).create();
    assertThatThrownBy(
            () ->
                client
                    .resources(Run.class)
                    .inNamespace("default")
                    .withName("immutable")
                    .edit(
                        r -> {
                          r.getSpec().setApi("other");
                          return r;
                        }))
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getMessage())
                  .contains("spec: Invalid value: \"object\": spec is immutable after creation");
            });
    assertThatThrownBy(
            () ->
                client
                    .resources(Run.class)
                    .inNamespace("default")
                    .withName("immutable")
                    .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"spec\": {\"retry\": {\"maxAttempts\": 100000}}}"))
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e ->
                assertThat(e.getMessage())
                    .contains("spec.retry.maxAttempts in body should be less than or equal to 20"));
    assertThat(
            client
                .resources(Run.class)
                .inNamespace("default")
                .withName("immutable")
                .get()
                .getSpec()
                .getApi())
        .isEqualTo("invoices");
  }

  @Test
  void invalidNamesAreRejectedAndGeneratedNamesLookReal() {
    assertThatThrownBy(
            () ->
                client
                    .resources(Run.class)
                    .inNamespace("default")
                    .resource(run("Bad_Name"))
                    .create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
    Run generated = run(null);
    generated.getMetadata().setGenerateName("gen-");
    Run created = client.resources(Run.class).inNamespace("default").resource(generated).create();
    assertThat(created.getMetadata().getName()).matches("gen-[a-z0-9]{5}");
  }

  @Test
  void secretStringDataIsStoredAsData() {
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName("string-data")
            .endMetadata()
            .addToStringData("username", "alice")
            .build();
    client.secrets().inNamespace("default").resource(secret).create();
    Secret stored = client.secrets().inNamespace("default").withName("string-data").get();
    assertThat(stored.getStringData()).isNullOrEmpty();
    assertThat(stored.getType()).isEqualTo("Opaque");
    assertThat(new String(Base64.getDecoder().decode(stored.getData().get("username"))))
        .isEqualTo("alice");
  }

  @Test
  void aCreatedPodIsPendingWhateverStatusItWasSentWith() {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("just-created")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("main")
            .withImage("busybox")
            .endContainer()
            .endSpec()
            .withNewStatus()
            .withPhase("Succeeded")
            .withMessage("sent by the client")
            .endStatus()
            .build();
    Pod created = client.pods().inNamespace("default").resource(pod).create();
    assertThat(created.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(created.getStatus().getMessage()).isNull();
    assertThat(client.pods().inNamespace("default").withName("just-created").get().getStatus())
        .isEqualTo(created.getStatus());
  }

  @Test
  void answersTablesWithTheCrdPrinterColumns() throws Exception {
    var runs = client.resources(Run.class).inNamespace("default");
    Run run = runs.resource(run("table-run")).create();
    RunStatus status = new RunStatus();
    status.setPhase("Running");
    status.setAttemptCount(2);
    run.setStatus(status);
    runs.resource(run).updateStatus();

    HttpResponse<String> response =
        http(
            "GET",
            "/apis/tessera.dev/v1alpha1/namespaces/default/runs/table-run",
            null,
            Map.of("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"));
    JsonNode table = Json.parse(response.body());
    assertThat(table.path("kind").asText()).isEqualTo("Table");
    assertThat(table.path("columnDefinitions").findValuesAsText("name"))
        .containsExactly(
            "Name", "Project", "API", "Session", "Phase", "Reason", "Attempts", "Operation", "Age");
    JsonNode cells = table.path("rows").get(0).path("cells");
    assertThat(cells.get(0).asText()).isEqualTo("table-run");
    assertThat(cells.get(1).asText()).isEqualTo("demo");
    assertThat(cells.get(4).asText()).isEqualTo("Running");
    assertThat(cells.get(6).asInt()).isEqualTo(2);
    assertThat(cells.get(8).asText()).matches("\\d+s");
  }

  @Test
  void informersAndWatchesSeeChanges() {
    List<String> events = new CopyOnWriteArrayList<>();
    var runs = client.resources(Run.class).inNamespace("default");
    var informer =
        runs.inform(
            new ResourceEventHandler<>() {
              @Override
              public void onAdd(Run run) {
                events.add("add " + run.getMetadata().getName());
              }

              @Override
              public void onUpdate(Run oldRun, Run newRun) {
                events.add("update " + newRun.getMetadata().getName());
              }

              @Override
              public void onDelete(Run run, boolean unknown) {
                events.add("delete " + run.getMetadata().getName());
              }
            });
    try {
      runs.resource(run("watched")).create();
      runs.withName("watched")
          .edit(
              r -> {
                r.getSpec().setCancel(true);
                return r;
              });
      runs.withName("watched").delete();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(events)
                      .containsSubsequence("add watched", "update watched", "delete watched"));
    } finally {
      informer.close();
    }
  }

  @Test
  void recordedExpectationsTakePrecedence() throws Exception {
    cluster
        .expect()
        .get()
        .withPath("/api/v1/namespaces/default/configmaps/canned")
        .andReturn(
            200,
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("canned")
                .endMetadata()
                .addToData("k", "v")
                .build())
        .once();
    assertThat(client.configMaps().inNamespace("default").withName("canned").get().getData())
        .containsEntry("k", "v");
    assertThat(client.configMaps().inNamespace("default").withName("canned").get()).isNull();
  }

  @Test
  void everyRequestNeedsTheTokenAndWritesNeedAnApiMediaType() throws Exception {
    String pods = "/api/v1/namespaces/default/pods";
    String pod =
        """
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "cross-site"},
         "spec": {"containers": [{"name": "c", "image": "x", "command": ["id"]}]}}
        """;
    for (Map<String, String> without :
        List.of(
            Map.of("Authorization", "Bearer not-the-token"),
            Map.of("Authorization", "Basic " + cluster.token()),
            Map.of("Authorization", ""))) {
      HttpResponse<String> list = http("GET", pods, null, without);
      assertThat(list.statusCode()).as("%s", without).isEqualTo(401);
      assertThat(Json.parse(list.body()).path("reason").asText()).isEqualTo("Unauthorized");
      assertThat(http("POST", pods, pod, without).statusCode()).isEqualTo(401);
    }
    assertThat(http("GET", "/version", null, Map.of("Authorization", "")).statusCode())
        .isEqualTo(401);

    // the body a web page may send cross-site without a preflight
    for (String type :
        List.of("text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded")) {
      HttpResponse<String> plain = http("POST", pods, pod, Map.of("Content-Type", type));
      assertThat(plain.statusCode()).as(type).isEqualTo(415);
      assertThat(Json.parse(plain.body()).path("reason").asText())
          .isEqualTo("UnsupportedMediaType");
    }
    assertThat(client.pods().inNamespace("default").withName("cross-site").get()).isNull();
    assertThat(http("POST", pods, pod, Map.of()).statusCode()).isEqualTo(201);
    client.pods().inNamespace("default").withName("cross-site").delete();
  }

  @Test
  void writesAKubeconfigForTheLocalApi(@TempDir Path dir) throws Exception {
    Path file = cluster.writeKubeconfig(dir.resolve("kubeconfig"));
    String content = Files.readString(file);
    assertThat(content)
        .contains("server: " + cluster.url())
        .contains("token: " + cluster.token())
        .contains("certificate-authority-data: ")
        .contains("current-context: tessera-local")
        .contains("namespace: default");
    assertThat(Files.getPosixFilePermissions(file))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void streamsWatchesOverPlainHttpAsKubectlReadsThem() throws Exception {
    client
        .secrets()
        .inNamespace("default")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("watched-secret")
                .endMetadata()
                .addToStringData("k", "1")
                .build())
        .create();
    List<String> lines = new CopyOnWriteArrayList<>();
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    cluster.url()
                        + "/api/v1/namespaces/default/secrets?watch=true"
                        + "&fieldSelector=metadata.name%3Dwatched-secret&timeoutSeconds=10"))
            .header("Authorization", "Bearer " + cluster.token())
            .build();
    var streaming =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(cluster.sslContext())
            .build()
            .sendAsync(request, HttpResponse.BodyHandlers.ofLines())
            .thenAccept(response -> response.body().forEach(lines::add));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> lines.stream().anyMatch(l -> l.contains("\"ADDED\"")));
    client
        .secrets()
        .inNamespace("default")
        .withName("watched-secret")
        .edit(s -> new SecretBuilder(s).addToData("k2", "Mg==").build());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> lines.stream().anyMatch(l -> l.contains("\"MODIFIED\"")));
    assertThat(Json.parse(lines.get(0)).path("object").path("metadata").path("name").asText())
        .isEqualTo("watched-secret");
    streaming.cancel(true);
  }

  static Run run(String name) {
    Run run = new Run();
    run.getMetadata().setName(name);
    RunSpec spec = new RunSpec();
    spec.setProject("demo");
    spec.setApi("invoices");
    run.setSpec(spec);
    return run;
  }

  static HttpResponse<String> http(
      String method, String path, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(cluster.url() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (body != null && !headers.containsKey("Content-Type")) {
      request.header("Content-Type", "application/json");
    }
    if (!headers.containsKey("Authorization")) {
      request.header("Authorization", "Bearer " + cluster.token());
    }
    headers.forEach(request::header);
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .sslContext(cluster.sslContext())
        .build()
        .send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}

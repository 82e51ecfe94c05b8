package dev.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A corpus of malformed manifests ({@code src/test/resources/malformed}), applied to local mode as
 * a user would apply them: each is refused at apply with its field named, or gets a status with its
 * own reason; local mode stays up, and then the operator is quiet: no hot loop, no stream of log
 * lines.
 *
 * <p>Each file's first line says what to expect: {@code # expect: refused <field>} or {@code #
 * expect: status <Reason>}.
 */
class MalformedManifestsIT {
  private static final Path CORPUS = Path.of("src/test/resources/malformed");
  private static final String NAMESPACE = "corpus";
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ListAppender<ILoggingEvent> logs;

  private static LocalMode local;
  private static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    logs = LocalCluster.captureLogs();
    local =
        LocalMode.start(
            new LocalMode.Options(
                LocalCluster.ROOT,
                Files.createTempDirectory("tessera-corpus").resolve("kubeconfig"),
                0,
                false,
                0,
                System.out));
    client = local.client();
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
    for (GenericKubernetesResource fixture : documents(CORPUS.resolve("fixtures.yaml.txt"))) {
      client.resource(fixture).inNamespace(NAMESPACE).create();
    }
  }

  @AfterAll
  static void stop() {
    if (local != null) {
      local.close();
    }
    logs.stop();
  }

  /** One manifest of the corpus and what it should meet. */
  private record Case(Path file, GenericKubernetesResource object, boolean refused, String what) {
    String name() {
      return object.getMetadata().getName();
    }
  }

  private static List<GenericKubernetesResource> documents(Path file) throws IOException {
    List<GenericKubernetesResource> objects = new ArrayList<>();
    for (JsonNode document :
        YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile()).readAll()) {
      objects.add(JSON.convertValue(document, GenericKubernetesResource.class));
    }
    return objects;
  }

  private static List<Case> corpus() throws IOException {
    List<Case> cases = new ArrayList<>();
    try (Stream<Path> files = Files.list(CORPUS)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        String first = Files.readAllLines(file).get(0);
        String[] expectation = first.replace("# expect:", "").trim().split(" ", 2);
        cases.add(
            new Case(
                file, documents(file).get(0), expectation[0].equals("refused"), expectation[1]));
      }
    }
    return cases;
  }

  @Test
  void eachMalformedManifestIsRefusedOrToldAndTheOperatorStaysQuiet() throws Exception {
    List<Case> corpus = corpus();
    assertThat(corpus).hasSizeGreaterThanOrEqualTo(40);
    List<Case> stored = new ArrayList<>();
    for (Case c : corpus) {
      try {
        client.resource(c.object()).inNamespace(NAMESPACE).create();
        if (c.refused()) {
          fail("%s was stored; it should have been refused naming %s", c.file(), c.what());
        }
        stored.add(c);
      } catch (KubernetesClientException e) {
        if (!c.refused()) {
          throw new AssertionError(c.file() + " was refused: " + e.getMessage(), e);
        }
        assertThat(e.getCode()).as("%s", c.file()).isEqualTo(422);
        assertThat(e.getStatus().getMessage()).as("%s", c.file()).contains(c.what());
        assertThat(e.getStatus().getDetails().getCauses())
            .as("%s", c.file())
            .anySatisfy(cause -> assertThat(cause.getField()).contains(c.what()));
      }
    }
    for (Case c : stored) {
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(reasonsOf(c)).as("%s", c.file()).contains(c.what()));
    }
    List<String> events =
        client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
            .map(Event::getReason)
            .toList();
    for (Case c : stored) {
      assertThat(events).as("an Event for %s", c.file()).contains(c.what());
    }

    // quiet: over the next 30 s, the process burns next to no CPU and logs next to nothing
    Thread.sleep(5_000); // the last status writes and Events settle
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuBefore = os.getProcessCpuTime();
    int logsBefore = logs.list.size();
    Thread.sleep(30_000);
    long cpuMillis = (os.getProcessCpuTime() - cpuBefore) / 1_000_000;
    List<String> newLines =
        logs.list.subList(logsBefore, logs.list.size()).stream()
            .map(ILoggingEvent::getFormattedMessage)
            .toList();
    System.out.printf(
        "corpus: %d manifests, %d refused, %d told by status; then in 30 s: %d ms CPU, %d log"
            + " lines%n",
        corpus.size(), corpus.size() - stored.size(), stored.size(), cpuMillis, newLines.size());
    // a hot loop would burn most of a core (30000 ms); an idle JVM with informers burns little
    assertThat(cpuMillis).as("CPU in 30 quiet seconds").isLessThan(3_000);
    assertThat(newLines).as("log lines in 30 quiet seconds").hasSizeLessThanOrEqualTo(5);

    // local mode is up, and the operator still works
    assertThat(client.namespaces().withName(NAMESPACE).get()).isNotNull();
    GenericKubernetesResource later =
        JSON.convertValue(
            YAML.readTree(
                "{apiVersion: tessera.dev/v1alpha1, kind: Run, metadata: {name: later},"
                    + " spec: {project: nowhere-else, api: list}}"),
            GenericKubernetesResource.class);
    client.resource(later).inNamespace(NAMESPACE).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(reasonsOf(new Case(CORPUS, later, false, "ProjectNotFound")))
                    .contains("ProjectNotFound"));
  }

  /** The object's {@code status.reason} and its conditions' reasons, as stored. */
  @SuppressWarnings("unchecked")
  private static List<String> reasonsOf(Case c) {
    GenericKubernetesResource object =
        client
            .genericKubernetesResources(c.object().getApiVersion(), c.object().getKind())
            .inNamespace(NAMESPACE)
            .withName(c.name())
            .get();
    List<String> reasons = new ArrayList<>();
    Object status = object.getAdditionalProperties().get("status");
    if (status instanceof Map<?, ?> map) {
      if (map.get("reason") != null) {
        reasons.add(String.valueOf(map.get("reason")));
      }
      if (map.get("conditions") instanceof List<?> conditions) {
        for (Object condition : conditions) {
          Object reason = ((Map<String, Object>) condition).get("reason");
          if (reason != null) {
            reasons.add(String.valueOf(reason));
          }
        }
      }
    }
    return reasons;
  }
}

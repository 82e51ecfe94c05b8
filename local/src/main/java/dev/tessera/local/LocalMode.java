package dev.tessera.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.demosite.DemoSite;
import dev.tessera.local.cluster.EmbeddedCluster;
import dev.tessera.local.cluster.ImageResolver;
import dev.tessera.local.cluster.LocalExecutor;
import dev.tessera.local.cluster.LocalImage;
import dev.tessera.operator.OperatorConfig;
import dev.tessera.operator.TesseraOperator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Tessera on one machine: an embedded Kubernetes API with the CRDs, the operator exactly as
 * shipped, a local executor that runs the operator's Pods as local runner processes, and the demo
 * site with the examples applied.
 */
public final class LocalMode implements AutoCloseable {
  /** The runner image local Pods use; the executor maps it to the runner jar. */
  public static final String RUNNER_IMAGE_PATTERN = "*tessera-runner*";

  /**
   * The examples applied with the demo: the public catalog with a Run, and Alice's session of the
   * back office (its Runs are for the user to start once the session is Ready).
   */
  static final List<String> DEMO_EXAMPLES =
      List.of(
          "examples/catalog/project.yaml",
          "examples/catalog/run-products.yaml",
          "examples/demo/project.yaml",
          "examples/demo/credentials-secret.yaml",
          "examples/demo/authsession.yaml");

  /**
   * How to start.
   *
   * @param root the repository (crds/, examples/, the runner jar)
   * @param kubeconfig where to write the kubeconfig
   * @param apiPort the embedded API's port (0: any free port)
   * @param demo whether to start the demo site and apply the examples
   * @param demoPort the demo site's port
   * @param out where progress goes
   */
  public record Options(
      Path root, Path kubeconfig, int apiPort, boolean demo, int demoPort, PrintStream out) {}

  private static final YAMLMapper YAML = new YAMLMapper();

  private final EmbeddedCluster cluster;
  private final LocalExecutor executor;
  private final KubernetesClient operatorClient;
  private TesseraOperator operator;
  private final DemoSite site;
  private final SharedIndexInformer<Run> progress;
  private final LocalArtifactStore artifacts;
  private final Path kubeconfig;

  private LocalMode(
      EmbeddedCluster cluster,
      LocalExecutor executor,
      KubernetesClient operatorClient,
      TesseraOperator operator,
      DemoSite site,
      SharedIndexInformer<Run> progress,
      LocalArtifactStore artifacts,
      Path kubeconfig) {
    this.artifacts = artifacts;
    this.kubeconfig = kubeconfig;
    this.cluster = cluster;
    this.executor = executor;
    this.operatorClient = operatorClient;
    this.operator = operator;
    this.site = site;
    this.progress = progress;
  }

  /** Starts everything; returns once kubectl can be used. */
  public static LocalMode start(Options options) throws IOException {
    Path runnerJar = options.root().resolve(RunnerProcess.DEFAULT_JAR);
    if (!Files.isRegularFile(runnerJar)) {
      throw new IOException(
          "runner jar not found at " + runnerJar + "; build it first: ./mvnw package -DskipTests");
    }
    EmbeddedCluster cluster =
        EmbeddedCluster.builder()
            .crds(options.root().resolve("crds"))
            .port(options.apiPort())
            .start();
    LocalExecutor executor = null;
    KubernetesClient operatorClient = null;
    TesseraOperator operator = null;
    DemoSite site = null;
    LocalArtifactStore artifacts = null;
    try {
      cluster.writeKubeconfig(options.kubeconfig());
      artifacts = LocalArtifactStore.start(options.kubeconfig().toAbsolutePath().getParent());
      KubernetesClient client = cluster.kubernetesClient();
      executor = startExecutor(client, options.root(), stateDirectory(options.kubeconfig()));
      cluster.podLogs(executor);
      // The operator has a client of its own, with its User-Agent, as in a cluster.
      operatorClient = TesseraOperator.client(cluster.config());
      operator =
          TesseraOperator.start(
              operatorClient, localConfig(artifacts.env()), Clock.systemUTC(), false);
      SharedIndexInformer<Run> progress = null;
      if (options.demo()) {
        site = DemoSite.start(DemoSite.Options.defaults().withPort(options.demoPort()));
        options.out().println("demo site: " + site.baseUrl());
        progress = watchRuns(client, options.out());
        for (String example : DEMO_EXAMPLES) {
          apply(client, options.root().resolve(example), site.baseUrl());
          options.out().println("applied " + example);
        }
      }
      return new LocalMode(
          cluster,
          executor,
          operatorClient,
          operator,
          site,
          progress,
          artifacts,
          options.kubeconfig().toAbsolutePath());
    } catch (IOException | RuntimeException e) {
      if (site != null) {
        site.close();
      }
      if (operator != null) {
        operator.close();
      }
      if (operatorClient != null) {
        operatorClient.close();
      }
      if (executor != null) {
        executor.close();
      }
      if (artifacts != null) {
        artifacts.close();
      }
      cluster.close();
      throw e;
    }
  }

  /**
   * Where the local executor of a local mode records its runner processes and Pod folders, for the
   * next local mode with the same kubeconfig to clean up if this one is killed: beside the
   * kubeconfig, which already tells one local mode from another (see docs/local-mode.md).
   */
  static Path stateDirectory(Path kubeconfig) {
    return kubeconfig.toAbsolutePath().resolveSibling("local-executor");
  }

  /**
   * Starts a local executor that runs the Pods of the runner image ({@value #RUNNER_IMAGE_PATTERN})
   * as processes of the runner jar of {@code root}.
   */
  public static LocalExecutor startExecutor(KubernetesClient client, Path root) {
    return startExecutor(client, root, null);
  }

  /**
   * Starts a local executor as {@link #startExecutor(KubernetesClient, Path)} does, which records
   * what it runs in {@code stateDirectory} (null: nowhere) and first cleans up what a previous one
   * that was killed left there.
   */
  public static LocalExecutor startExecutor(
      KubernetesClient client, Path root, Path stateDirectory) {
    Path runnerJar = root.resolve(RunnerProcess.DEFAULT_JAR);
    Map<String, String> runnerEnv = new HashMap<>();
    // a recording's hosted browser listens on loopback, as every listener of local mode does
    runnerEnv.put("TESSERA_RECORDER_HOST", "127.0.0.1");
    String chromium = System.getenv("TESSERA_CHROMIUM");
    if (chromium != null) {
      runnerEnv.put("TESSERA_CHROMIUM", chromium);
    }
    boolean plain = "plain".equals(runnerStart());
    if (System.getenv("PLAYWRIGHT_DRIVER_DIR") == null && !plain) {
      PlaywrightDriver.extractedFor(runnerJar, javaExecutable())
          .ifPresent(dir -> runnerEnv.put("PLAYWRIGHT_DRIVER_DIR", dir.toString()));
    }
    // as the image's entrypoint starts it: its JVM options and a class-data archive
    List<String> command =
        plain
            ? List.of(javaExecutable(), "-jar", runnerJar.toAbsolutePath().toString())
            : RunnerJvm.command(javaExecutable(), runnerJar, root, runnerEnv);
    ImageResolver images =
        ImageResolver.builder()
            .map(
                RUNNER_IMAGE_PATTERN,
                LocalImage.of(command.toArray(String[]::new)).withEnvironment(runnerEnv))
            .build();
    return LocalExecutor.builder(client)
        .imageResolver(images)
        .stateDirectory(stateDirectory)
        .maxConcurrentPods(maxConcurrentPods())
        .start();
  }

  /**
   * How runners start: {@code image} (the default: as the image's entrypoint, see {@link
   * RunnerJvm}) or {@code plain} ({@code java -jar}, each runner extracting Playwright's driver
   * itself), which only benchmarks compare against. {@code TESSERA_LOCAL_RUNNER_START}, or the
   * system property {@code tessera.local.runnerStart}.
   */
  static String runnerStart() {
    String start =
        System.getProperty(
            "tessera.local.runnerStart", System.getenv("TESSERA_LOCAL_RUNNER_START"));
    if (start == null || start.isBlank() || start.equals("image")) {
      return "image";
    }
    if (start.equals("plain")) {
      return "plain";
    }
    throw new IllegalArgumentException(
        "TESSERA_LOCAL_RUNNER_START is image or plain, not " + start);
  }

  /**
   * How many runner processes run at once: {@code TESSERA_LOCAL_MAX_PODS}, or twice the cores (a
   * runner waits on its browser and the site much of the time); other Pods stay Pending.
   */
  static int maxConcurrentPods() {
    String value = System.getenv("TESSERA_LOCAL_MAX_PODS");
    if (value != null && !value.isBlank()) {
      try {
        int max = Integer.parseInt(value.trim());
        if (max >= 1) {
          return max;
        }
      } catch (NumberFormatException e) {
        // the default, as for a value below 1
      }
      throw new IllegalArgumentException(
          "TESSERA_LOCAL_MAX_PODS is a number of runner processes, at least 1: " + value);
    }
    return 2 * Runtime.getRuntime().availableProcessors();
  }

  /** The operator's configuration in local mode: one replica, results on this machine. */
  public static OperatorConfig localConfig() {
    return localConfig(Map.of());
  }

  /** As {@link #localConfig()}, keeping artifacts in the store these variables name. */
  static OperatorConfig localConfig(Map<String, String> artifactStore) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(artifactStore);
    env.put("TESSERA_LEADER_ELECTION", "false");
    env.put("TESSERA_RESULTS_HOST", "127.0.0.1");
    env.put("TESSERA_RESULTS_PORT", "0");
    env.putIfAbsent("TESSERA_OPS_PORT", "0");
    // every listener of local mode is on loopback: nothing else on the network may reach it
    env.put("TESSERA_OPS_HOST", "127.0.0.1");
    env.put("POD_NAMESPACE", EmbeddedCluster.DEFAULT_NAMESPACE);
    env.putIfAbsent("POD_NAME", "tessera-local");
    return OperatorConfig.fromEnv(env).withResultsUrl(null);
  }

  /**
   * Applies a manifest to the embedded API (create or replace). A Project's {@code baseUrl}
   * parameter is pointed at the demo site when one runs.
   */
  public static void apply(KubernetesClient client, Path file, String baseUrl) throws IOException {
    for (JsonNode document :
        YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile()).readAll()) {
      if (!(document instanceof ObjectNode manifest) || manifest.isEmpty()) {
        continue;
      }
      ObjectNode metadata = manifest.with("metadata");
      if (!metadata.has("namespace")) {
        metadata.put("namespace", EmbeddedCluster.DEFAULT_NAMESPACE);
      }
      JsonNode parameters = manifest.path("spec").path("parameters");
      if ("Project".equals(manifest.path("kind").asText())
          && baseUrl != null
          && parameters.has("baseUrl")) {
        ((ObjectNode) parameters).put("baseUrl", baseUrl);
      }
      GenericKubernetesResource resource =
          YAML.treeToValue(manifest, GenericKubernetesResource.class);
      for (int tries = 1; ; tries++) {
        try {
          client.resource(resource).createOr(existing -> existing.update());
          break;
        } catch (KubernetesClientException e) {
          // the operator wrote the object's status between our read and our write: again
          if (e.getCode() != 409 || tries == 5) {
            throw e;
          }
        }
      }
    }
  }

  private static SharedIndexInformer<Run> watchRuns(KubernetesClient client, PrintStream out) {
    return client
        .resources(Run.class)
        .inAnyNamespace()
        .inform(
            new ResourceEventHandler<>() {
              @Override
              public void onAdd(Run run) {
                out.printf("run/%s created%n", run.getMetadata().getName());
              }

              @Override
              public void onUpdate(Run before, Run after) {
                String was = before.getStatus() == null ? null : before.getStatus().getPhase();
                String is = after.getStatus() == null ? null : after.getStatus().getPhase();
                Integer attemptsBefore =
                    before.getStatus() == null ? null : before.getStatus().getAttemptCount();
                Integer attemptsAfter =
                    after.getStatus() == null ? null : after.getStatus().getAttemptCount();
                if (!Objects.equals(was, is) || !Objects.equals(attemptsBefore, attemptsAfter)) {
                  out.printf(
                      "run/%s %s%s%s%n",
                      after.getMetadata().getName(),
                      is,
                      attemptsAfter == null ? "" : " (attempt " + attemptsAfter + ")",
                      after.getStatus().getReason() == null
                          ? ""
                          : ": " + after.getStatus().getReason());
                }
              }

              @Override
              public void onDelete(Run run, boolean unknown) {
                out.printf("run/%s deleted%n", run.getMetadata().getName());
              }
            });
  }

  static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public KubernetesClient client() {
    return cluster.kubernetesClient();
  }

  public EmbeddedCluster cluster() {
    return cluster;
  }

  public LocalExecutor executor() {
    return executor;
  }

  public DemoSite site() {
    return site;
  }

  public TesseraOperator operator() {
    return operator;
  }

  /**
   * Stops the operator and starts a new one on the same API and results port, as a crash and
   * restart of the operator's Deployment would: runner Pods that are still running report to the
   * new one.
   */
  public synchronized void restartOperator() throws IOException {
    int resultsPort = operator.config().resultsUrl().getPort();
    operator.close();
    OperatorConfig config = localConfig(artifacts.env());
    operator =
        TesseraOperator.start(
            operatorClient, config.withResultsPort(resultsPort), Clock.systemUTC(), false);
  }

  /** Stops the operator, the Pods' processes, the demo site and the API, in that order. */
  @Override
  public void close() {
    if (progress != null) {
      progress.close();
    }
    operator.close();
    operatorClient.close();
    executor.close();
    if (site != null) {
      site.close();
    }
    artifacts.close();
    cluster.close();
  }

  /** The kubeconfig this local mode wrote; its store's settings file is beside it. */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /** The artifact store's {@code TESSERA_ARTIFACTS_*} settings, as the operator has them. */
  public Map<String, String> artifactStore() {
    return artifacts.env();
  }
}

package dev.tessera.local.bench;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.local.LocalMode;
import dev.tessera.local.cluster.EmbeddedCluster;
import dev.tessera.local.cluster.LocalExecutor;
import dev.tessera.operator.CommonPool;
import dev.tessera.operator.OperatorConfig;
import dev.tessera.operator.TesseraOperator;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * How much memory the operator needs with many objects stored: SESSIONS AuthSessions (each made
 * Ready by a real create operation), RUNS finished Runs on them (each with its Pod and its report),
 * and SECRETS unrelated Secrets in the operator's own namespace, then the shipped operator started
 * as a process of its own with the chart's container settings, its resident memory sampled every
 * second until it has been ready for a while.
 *
 * <p>The objects are made by the operator itself against local mode's embedded API, with the local
 * executor in instant mode (each Pod answered at once through the results endpoint, no browser):
 * what is stored is what a cluster that ran them holds. That operator then stops, and the measured
 * one starts, as a replica that restarts would: it lists and caches everything, and looks at every
 * session and Run once.
 *
 * <p>The chart runs the operator in a container limited to 512 MiB with {@code
 * -XX:MaxRAMPercentage=75}; in such a container the JVM sizes its heap from the limit and, with
 * less than 1,792 MB, picks the serial collector. Outside a container, {@code -XX:MaxRAM=512m} and
 * {@code -XX:+UseSerialGC} give the same. Not a test: {@code scripts/bench-memory [SESSIONS [RUNS
 * [SECRETS]]]} (defaults 10,000, 10,000 and 30,000).
 */
public final class MemoryBenchmark {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final String NAMESPACE = EmbeddedCluster.DEFAULT_NAMESPACE;
  private static final int THREADS = 8;

  /** The chart's container limit and JVM options, as a process outside a container gets them. */
  static final List<String> CHART_JVM =
      List.of(
          "-XX:MaxRAM=512m",
          "-XX:MaxRAMPercentage=75",
          "-XX:+UseSerialGC",
          "-XX:+ExitOnOutOfMemoryError");

  /** Whether to have the JVM track its native memory and print a summary at the end. */
  private static final boolean NATIVE_MEMORY = Boolean.getBoolean("bench.nmt");

  /** How long the measured operator runs once ready: three rounds of its 30 s Secret rechecks. */
  private static final Duration SETTLE = Duration.ofSeconds(Long.getLong("bench.settle", 100));

  private MemoryBenchmark() {}

  public static void main(String[] args) throws Exception {
    CommonPool.size(); // as the operator's main does
    int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int secrets = args.length > 2 ? Integer.parseInt(args[2]) : 30_000;
    Path root = Path.of(System.getProperty("tessera.root", "..")).toAbsolutePath().normalize();
    Path work = Files.createTempDirectory("tessera-bench-memory");
    Bench.logTo(work.resolve("populating-operator.log"));
    System.out.printf(
        "Memory benchmark: %,d AuthSessions, %,d finished Runs, %,d unrelated Secrets%n"
            + "work directory: %s%n%n",
        sessions, runs, secrets, work);
    Path audit = work.resolve("audit.jsonl");
    try (EmbeddedCluster cluster =
        EmbeddedCluster.builder().crds(root.resolve("crds")).auditLog(audit).start()) {
      Path kubeconfig = work.resolve("kubeconfig");
      cluster.writeKubeconfig(kubeconfig);
      Config config = cluster.config();
      config.setUserAgent("tessera-bench");
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
        populate(root, cluster, client, sessions, runs, secrets);
        for (String options : System.getProperty("bench.jvm", "").split("\\|", -1)) {
          measureAndPrint(kubeconfig, work, audit, options, sessions, runs, secrets);
        }
        if (Boolean.getBoolean("bench.hold")) {
          // more measurements of the same store: one line of JVM options per line of the file
          Path more = work.resolve("more-options.txt");
          Files.writeString(more, "");
          System.err.printf("holding the store; JVM options to measure, a line each: %s%n", more);
          int done = 0;
          while (true) {
            List<String> lines = Files.readAllLines(more);
            if (lines.size() > done) {
              String line = lines.get(done++);
              if (line.trim().equals("stop")) {
                break;
              }
              measureAndPrint(kubeconfig, work, audit, line, sessions, runs, secrets);
            } else {
              Thread.sleep(1000);
            }
          }
        }
      }
    }
  }

  // ---- what is stored ----

  private static void populate(
      Path root,
      EmbeddedCluster cluster,
      KubernetesClient client,
      int sessions,
      int runs,
      int secrets)
      throws Exception {
    long start = System.nanoTime();
    inParallel(
        secrets,
        i ->
            client
                .resource(
                    new SecretBuilder()
                        .withNewMetadata()
                        .withName(String.format("unrelated-%05d", i))
                        .withNamespace(NAMESPACE)
                        .addToLabels("app", "unrelated")
                        .endMetadata()
                        .withStringData(Map.of("key", "value-" + i, "other", "x".repeat(64)))
                        .build())
                .create());
    progress("stored %,d unrelated Secrets", secrets, start);

    Config executorConfig = cluster.config();
    executorConfig.setUserAgent("tessera-local-executor");
    try (KubernetesClient executorClient =
            new KubernetesClientBuilder().withConfig(executorConfig).build();
        KubernetesClient operatorClient = TesseraOperator.client(cluster.config())) {
      LocalExecutor executor = Bench.instantExecutor(executorClient, 64);
      TesseraOperator operator =
          TesseraOperator.start(operatorClient, LocalMode.localConfig(), Clock.systemUTC(), false);
      try {
        for (String example :
            List.of("examples/demo/project.yaml", "examples/demo/credentials-secret.yaml")) {
          LocalMode.apply(client, root.resolve(example), null);
        }
        start = System.nanoTime();
        inParallel(sessions, i -> client.resource(session(i)).create());
        awaitAll(
            () ->
                client
                    .resources(AuthSession.class)
                    .inNamespace(NAMESPACE)
                    .list()
                    .getItems()
                    .stream()
                    .filter(s -> s.getStatus() != null && "Ready".equals(s.getStatus().getPhase()))
                    .count(),
            sessions,
            "AuthSessions Ready");
        progress("%,d AuthSessions Ready", sessions, start);
        start = System.nanoTime();
        inParallel(runs, i -> client.resource(run(i, sessions)).create());
        awaitAll(
            () ->
                client.resources(Run.class).inNamespace(NAMESPACE).list().getItems().stream()
                    .filter(r -> r.getMetadata().getName().startsWith("mem-run-"))
                    .filter(r -> r.getStatus() != null)
                    .filter(r -> "Succeeded".equals(r.getStatus().getPhase()))
                    .count(),
            runs,
            "Runs Succeeded");
        progress("%,d Runs Succeeded", runs, start);
      } finally {
        operator.close();
        executor.close();
      }
    }
  }

  private static AuthSession session(int i) {
    return read(
        "{apiVersion: tessera.dev/v1alpha1, kind: AuthSession, metadata: {name: "
            + sessionName(i)
            + ", namespace: "
            + NAMESPACE
            + "}, spec: {project: demo-site, type: Credentials,"
            + " credentialsSecretRef: {name: demo-alice-credentials}}}",
        AuthSession.class);
  }

  private static Run run(int i, int sessions) {
    return read(
        "{apiVersion: tessera.dev/v1alpha1, kind: Run, metadata: {name: "
            + String.format("mem-run-%05d", i)
            + ", namespace: "
            + NAMESPACE
            + "}, spec: {project: demo-site, api: me, authSession: {name: "
            + sessionName(i % Math.max(1, sessions))
            + "}}}",
        Run.class);
  }

  private static String sessionName(int i) {
    return String.format("mem-%05d", i);
  }

  private static <T> T read(String yaml, Class<T> type) {
    try {
      return YAML.readValue(yaml, type);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- the measured operator ----

  /** What the measured operator used. */
  record Measured(
      long peakRssKib, long endRssKib, double readySeconds, double idleRequestsPerSecond) {}

  private static void measureAndPrint(
      Path kubeconfig, Path work, Path audit, String options, int sessions, int runs, int secrets)
      throws Exception {
    List<String> extra = options.isBlank() ? List.of() : List.of(options.trim().split("\\s+"));
    try {
      Measured measured = measure(kubeconfig, work, audit, extra);
      print(sessions, runs, secrets, extra, measured);
    } catch (IllegalStateException e) {
      System.out.printf("%nwith JVM options %s %s: %s%n", CHART_JVM, extra, e.getMessage());
    }
  }

  private static Measured measure(Path kubeconfig, Path work, Path audit, List<String> extra)
      throws Exception {
    int opsPort = freePort();
    int resultsPort = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(CHART_JVM);
    command.addAll(extra);
    if (NATIVE_MEMORY) {
      command.add("-XX:NativeMemoryTracking=summary");
    }
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), "dev.tessera.operator.OperatorMain"));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(OperatorConfig.VARIABLES::contains);
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("TESSERA_LEADER_ELECTION", "false");
    env.put("POD_NAME", "tessera-memory");
    env.put("POD_NAMESPACE", NAMESPACE);
    env.put("TESSERA_OPS_PORT", Integer.toString(opsPort));
    env.put("TESSERA_RESULTS_HOST", "127.0.0.1");
    env.put("TESSERA_RESULTS_PORT", Integer.toString(resultsPort));
    env.put("TESSERA_RESULTS_URL", "http://127.0.0.1:" + resultsPort);
    builder.redirectErrorStream(true);
    builder.redirectOutput(work.resolve("measured-operator.log").toFile());
    System.err.printf("starting the measured operator: %s%n", String.join(" ", CHART_JVM));
    long start = System.nanoTime();
    Process process = builder.start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      URI ready = URI.create("http://127.0.0.1:" + opsPort + "/readyz");
      double readySeconds = Double.NaN;
      long readyAt = 0;
      long peak = 0;
      long rss = 0;
      long idleFrom = -1;
      while (process.isAlive()) {
        long[] sample = rss(process.pid());
        rss = sample[0];
        peak = Math.max(peak, sample[1]);
        if (readyAt == 0 && isReady(http, ready)) {
          readyAt = System.nanoTime();
          readySeconds = (readyAt - start) / 1e9;
          System.err.printf("ready after %.1f s, RSS %,d KiB%n", readySeconds, rss);
        }
        if (readyAt != 0) {
          long since = System.nanoTime() - readyAt;
          if (idleFrom < 0 && since > SETTLE.toNanos() - TimeUnit.SECONDS.toNanos(60)) {
            idleFrom = Files.size(audit);
          }
          if (since > SETTLE.toNanos()) {
            break;
          }
        }
        if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(10)) {
          throw new IllegalStateException("the operator was not ready in 10 minutes");
        }
        Thread.sleep(1000);
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the measured operator exited with " + process.exitValue() + "; see its log");
      }
      if (Boolean.getBoolean("bench.histogram")) {
        Path histogram = work.resolve("histogram-" + System.currentTimeMillis() + ".txt");
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid()),
                "GC.class_histogram")
            .redirectErrorStream(true)
            .redirectOutput(histogram.toFile())
            .start()
            .waitFor(120, TimeUnit.SECONDS);
        System.err.printf("class histogram: %s%n", histogram);
      }
      if (NATIVE_MEMORY) {
        Path summary = work.resolve("native-memory.txt");
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid()),
                "VM.native_memory",
                "summary")
            .redirectErrorStream(true)
            .redirectOutput(summary.toFile())
            .start()
            .waitFor(60, TimeUnit.SECONDS);
        System.err.printf("native memory summary: %s%n", summary);
      }
      double idle =
          idleFrom < 0
              ? Double.NaN
              : OperatorBenchmark.Requests.read(audit, idleFrom, Files.size(audit))
                      .total(TesseraOperator.USER_AGENT)
                  / 60.0;
      return new Measured(peak, rss, readySeconds, idle);
    } finally {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private static boolean isReady(HttpClient http, URI ready) {
    try {
      return http.send(
                  HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The process's resident set and its peak, in KiB (VmRSS and VmHWM). */
  private static long[] rss(long pid) throws IOException {
    long rss = 0;
    long peak = 0;
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
      } else if (line.startsWith("VmHWM:")) {
        peak = Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return new long[] {rss, peak};
  }

  private static void print(
      int sessions, int runs, int secrets, List<String> extra, Measured measured) {
    System.out.printf(
        "%nthe operator with %,d AuthSessions, %,d finished Runs and %,d unrelated Secrets"
            + " stored; JVM options %s; %d CPUs; load average %s%n%n",
        sessions,
        runs,
        secrets,
        String.join(" ", CHART_JVM) + (extra.isEmpty() ? "" : " " + String.join(" ", extra)),
        Runtime.getRuntime().availableProcessors(),
        Bench.loadAverage());
    System.out.println("| measure | value |");
    System.out.println("|---|---:|");
    System.out.printf(Locale.ROOT, "| started to ready (s) | %.1f |%n", measured.readySeconds());
    System.out.printf(
        Locale.ROOT, "| peak RSS (MiB, VmHWM) | %.0f |%n", measured.peakRssKib() / 1024.0);
    System.out.printf(
        Locale.ROOT,
        "| RSS %d s after ready (MiB) | %.0f |%n",
        SETTLE.toSeconds(),
        measured.endRssKib() / 1024.0);
    System.out.printf(
        Locale.ROOT,
        "| operator requests/s, the last 60 s (idle) | %.1f |%n",
        measured.idleRequestsPerSecond());
  }

  // ---- helpers ----

  private static void inParallel(int count, IntConsumer create) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      done.add(
          threads.submit(
              () -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                  create.accept(i);
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    threads.shutdown();
  }

  interface Count {
    long get() throws Exception;
  }

  private static void awaitAll(Count count, int expected, String what) throws Exception {
    long last = -1;
    long lastChange = System.nanoTime();
    while (true) {
      long now = count.get();
      if (now >= expected) {
        return;
      }
      if (now != last) {
        last = now;
        lastChange = System.nanoTime();
        System.err.printf("%,d of %,d %s%n", now, expected, what);
      } else if (System.nanoTime() - lastChange > TimeUnit.MINUTES.toNanos(3)) {
        throw new IllegalStateException(
            "no progress in 3 minutes: " + now + " of " + expected + " " + what);
      }
      Thread.sleep(5000);
    }
  }

  private static void progress(String what, int count, long since) {
    System.err.printf(what + " in %.1f s%n", count, (System.nanoTime() - since) / 1e9);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}

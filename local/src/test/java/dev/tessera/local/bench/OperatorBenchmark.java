package dev.tessera.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.local.LocalMode;
import dev.tessera.local.cluster.EmbeddedCluster;
import dev.tessera.local.cluster.InstantRunner;
import dev.tessera.local.cluster.LocalExecutor;
import dev.tessera.operator.CommonPool;
import dev.tessera.operator.TesseraOperator;
import dev.tessera.operator.naming.Labels;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How fast the operator orchestrates Runs, and what each costs it in API requests: the shipped
 * operator ({@link TesseraOperator}, started as local mode starts it) against local mode's embedded
 * API ({@link EmbeddedCluster}, with its audit log), whose Pods a {@link LocalExecutor} in
 * <em>instant mode</em> answers: no runner process, no browser and no site, an {@link
 * InstantRunner} reports success through the real results endpoint as soon as a Pod starts. It is a
 * benchmark of orchestration only (the operator, the API and the executor); it says nothing about
 * runners or sites, and no correctness test uses instant mode.
 *
 * <p>One Project and one Credentials AuthSession as in examples/demo/; once the session is Ready,
 * RUNS Runs on it are created from a few client threads as fast as they go, and timed until all are
 * Succeeded. Two phases, each on a new embedded API: a fresh store, then one that already holds
 * 20,000 unrelated objects (Secrets and ConfigMaps of another namespace, created before the
 * operator starts; {@code -Dbench.unrelated=N} for another number). Each prints Runs/s, created to
 * Succeeded (p50, p99), created to Pod ADD seen by an informer (p50) and the other steps of a Run,
 * process CPU per Run (the operator, the API, the executor and this client share the JVM), the load
 * average, and the operator's API requests per Run by verb and resource from the audit log over the
 * measured window (the requests whose User-Agent is {@link TesseraOperator#USER_AGENT}), with its
 * reads by object and the Events it recorded; then the requests of one Run created alone after the
 * batch. A warm-up batch of RUNS Runs on a throwaway API comes first, so that both phases run on a
 * warm JVM.
 *
 * <p>Runs/s and latencies depend on the machine and on the embedded API, which serves every client
 * of this JVM; the requests per Run are the operator's own, and hold in a cluster too.
 *
 * <p>Usage: {@code scripts/bench-operator [RUNS]} (default 1000). The operator's logs go to a file
 * whose path is printed.
 */
public final class OperatorBenchmark {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NAMESPACE = EmbeddedCluster.DEFAULT_NAMESPACE;
  private static final String UNRELATED_NAMESPACE = "bench-unrelated";
  private static final String SESSION = "demo-alice";
  private static final String BENCH_USER_AGENT = "tessera-bench";
  private static final String EXECUTOR_USER_AGENT = "tessera-local-executor";
  private static final int CLIENT_THREADS = 4;
  private static final int MAX_CONCURRENT_PODS = 64;

  /** How many unrelated objects the second phase stores ({@code -Dbench.unrelated}). */
  private static final int UNRELATED_OBJECTS = Integer.getInteger("bench.unrelated", 20_000);

  private static final List<String> FINAL_FAILURES = List.of("Failed", "Canceled", "Rejected");
  private static final List<String> WRITES =
      List.of("create", "update", "patch", "delete", "deletecollection");

  private final Path root;
  private final Path work;

  private OperatorBenchmark(Path root, Path work) {
    this.root = root;
    this.work = work;
  }

  public static void main(String[] args) throws Exception {
    CommonPool.size(); // as the operator's main does
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    if (runs < 1) {
      throw new IllegalArgumentException("RUNS is at least 1");
    }
    Path root = Path.of(System.getProperty("tessera.root", "..")).toAbsolutePath().normalize();
    Path work = Files.createTempDirectory("tessera-bench-operator");
    Path operatorLog = work.resolve("operator.log");
    Bench.logTo(operatorLog);
    OperatorBenchmark bench = new OperatorBenchmark(root, work);

    System.out.printf(
        "Orchestration benchmark (instant mode: no runner process, no browser, no site)%n"
            + "%d Runs per phase from %d client threads, maxConcurrentPods %d, %d CPUs%n"
            + "operator log: %s%n%n",
        runs, CLIENT_THREADS, MAX_CONCURRENT_PODS, cpus(), operatorLog);

    // as many Runs as a phase: the JIT has compiled the paths a Run takes, as in an operator that
    // has been running for a while (with 200, the first phase still paid for compiling)
    int warmUp = runs;
    Phase warm = bench.phase("warm-up", warmUp, 0, false);
    System.out.printf(
        "warm-up (not measured): %d Runs, %.1f Runs/s%n%n", warmUp, warm.runsPerSecond());

    List<Phase> phases = new ArrayList<>();
    phases.add(bench.phase("fresh store", runs, 0, true));
    phases.add(
        bench.phase(
            String.format("%,d unrelated objects stored", UNRELATED_OBJECTS),
            runs,
            UNRELATED_OBJECTS,
            true));
    for (Phase phase : phases) {
      phase.print();
    }
    printSummary(phases);
  }

  // ---- one phase ----

  private Phase phase(String name, int runs, int unrelated, boolean single) throws Exception {
    Path dir = Files.createDirectories(work.resolve(name.replaceAll("[^a-z0-9]+", "-")));
    Path audit = dir.resolve("audit.jsonl");
    Phase phase = new Phase(name, runs, audit);
    System.err.printf("[%s] starting the embedded API%n", name);
    try (EmbeddedCluster cluster =
        EmbeddedCluster.builder().crds(root.resolve("crds")).auditLog(audit).start()) {
      cluster.writeKubeconfig(dir.resolve("kubeconfig"));
      Config benchConfig = cluster.config();
      benchConfig.setUserAgent(BENCH_USER_AGENT);
      Config executorConfig = cluster.config();
      executorConfig.setUserAgent(EXECUTOR_USER_AGENT);
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(benchConfig).build();
          KubernetesClient executorClient =
              new KubernetesClientBuilder().withConfig(executorConfig).build()) {
        if (unrelated > 0) {
          long start = System.nanoTime();
          storeUnrelated(cluster, client, unrelated);
          System.err.printf(
              "[%s] stored %,d unrelated objects in %.1f s%n",
              name, unrelated, (System.nanoTime() - start) / 1e9);
        }
        LocalExecutor executor = Bench.instantExecutor(executorClient, MAX_CONCURRENT_PODS);
        cluster.podLogs(executor);
        // the operator has a client of its own, with its User-Agent, as LocalMode starts it
        KubernetesClient operatorClient = TesseraOperator.client(cluster.config());
        TesseraOperator operator =
            TesseraOperator.start(
                operatorClient, LocalMode.localConfig(), Clock.systemUTC(), false);
        try {
          for (String example :
              List.of(
                  "examples/demo/project.yaml",
                  "examples/demo/credentials-secret.yaml",
                  "examples/demo/authsession.yaml")) {
            LocalMode.apply(client, root.resolve(example), null);
          }
          awaitReady(client);
          System.err.printf("[%s] session Ready; creating %d Runs%n", name, runs);
          measureBatch(client, phase);
          if (single) {
            awaitQuiet(audit);
            measureSingle(client, phase);
          }
        } finally {
          operator.close();
          operatorClient.close();
          executor.close();
        }
      }
    }
    return phase;
  }

  /** Creates the Runs from a few threads and waits until all are Succeeded. */
  private void measureBatch(KubernetesClient client, Phase phase) throws Exception {
    int runs = phase.runs;
    Map<String, Long> created = new ConcurrentHashMap<>();
    Map<String, Long> podAdded = new ConcurrentHashMap<>();
    Map<String, Long> podRunning = new ConcurrentHashMap<>();
    Map<String, Long> podSucceeded = new ConcurrentHashMap<>();
    Map<String, Long> succeeded = new ConcurrentHashMap<>();
    Map<String, String> failed = new ConcurrentHashMap<>();
    try (SharedIndexInformer<Pod> pods = watchPods(client, podAdded, podRunning, podSucceeded);
        SharedIndexInformer<Run> watched = watchRuns(client, succeeded, failed)) {
      String loadBefore = Bench.loadAverage();
      long auditFrom = Files.size(phase.audit);
      long cpuBefore = processCpuNanos();
      long first = System.nanoTime();
      ExecutorService clients = Executors.newFixedThreadPool(CLIENT_THREADS);
      AtomicInteger next = new AtomicInteger();
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < CLIENT_THREADS; t++) {
        done.add(
            clients.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i < runs; i = next.getAndIncrement()) {
                    String runName = String.format("bench-%05d", i);
                    Run run = run(runName);
                    created.put(runName, System.nanoTime());
                    client.resource(run).create();
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      clients.shutdown();
      long createdAll = System.nanoTime();
      long deadline = createdAll + TimeUnit.SECONDS.toNanos(120 + runs / 2);
      long lastProgress = System.nanoTime();
      while (succeeded.size() < runs && failed.isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              phase.name
                  + ": only "
                  + succeeded.size()
                  + " of "
                  + runs
                  + " Runs Succeeded in time");
        }
        if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(10)) {
          lastProgress = System.nanoTime();
          System.err.printf(
              "[%s] %d of %d Succeeded, %d Pods seen%n",
              phase.name, succeeded.size(), runs, podAdded.size());
        }
        Thread.sleep(5);
      }
      if (!failed.isEmpty()) {
        throw new IllegalStateException(phase.name + ": Runs did not succeed: " + failed);
      }
      long last = succeeded.values().stream().mapToLong(Long::longValue).max().orElseThrow();
      long cpuAfter = processCpuNanos();
      long auditTo = Files.size(phase.audit);
      String loadAfter = Bench.loadAverage();

      phase.seconds = (last - first) / 1e9;
      phase.createSeconds = (createdAll - first) / 1e9;
      phase.cpuMillisPerRun = (cpuAfter - cpuBefore) / 1e6 / runs;
      phase.loadBefore = loadBefore;
      phase.loadAfter = loadAfter;
      List<Long> toSucceeded = new ArrayList<>();
      created.forEach((run, at) -> toSucceeded.add(succeeded.get(run) - at));
      phase.succeededP50 = percentile(toSucceeded, 50);
      phase.succeededP99 = percentile(toSucceeded, 99);
      phase.podP50 = percentile(since(created, podAdded), 50);
      phase.podRunningP50 = percentile(since(created, podRunning), 50);
      phase.podSucceededP50 = percentile(since(created, podSucceeded), 50);
      phase.addedToRunningP50 = percentile(since(podAdded, podRunning), 50);
      phase.runningToSucceededP50 = percentile(since(podRunning, podSucceeded), 50);
      phase.runningToRunSucceededP50 = percentile(since(podRunning, succeeded), 50);
      phase.requests = Requests.read(phase.audit, auditFrom, auditTo);
      client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
          .filter(e -> e.getInvolvedObject() != null)
          .filter(e -> created.containsKey(e.getInvolvedObject().getName()))
          .forEach(
              e ->
                  phase.events.merge(
                      e.getInvolvedObject().getKind() + " " + e.getReason(), 1L, Long::sum));
    }
  }

  /** Creates one Run alone and counts the operator's requests until it has gone quiet. */
  private void measureSingle(KubernetesClient client, Phase phase) throws Exception {
    Map<String, Long> succeeded = new ConcurrentHashMap<>();
    Map<String, String> failed = new ConcurrentHashMap<>();
    try (SharedIndexInformer<Run> watched = watchRuns(client, succeeded, failed)) {
      long from = Files.size(phase.audit);
      long start = System.nanoTime();
      client.resource(run("bench-single")).create();
      while (!succeeded.containsKey("bench-single")) {
        if (!failed.isEmpty()) {
          throw new IllegalStateException("the single Run did not succeed: " + failed);
        }
        if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(60)) {
          throw new IllegalStateException("the single Run did not succeed in 60 s");
        }
        Thread.sleep(5);
      }
      phase.singleMillis = (succeeded.get("bench-single") - start) / 1e6;
      awaitQuiet(phase.audit);
      phase.single = Requests.read(phase.audit, from, Files.size(phase.audit));
    }
  }

  /**
   * Waits until the operator has made no request for a second (at most 15 s), so that what a batch
   * left (Pods to delete, statuses) is not counted for the Run that follows.
   */
  private static void awaitQuiet(Path audit) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    long size = Files.size(audit);
    long quietSince = System.nanoTime();
    while (System.nanoTime() < end) {
      Thread.sleep(100);
      long now = Files.size(audit);
      if (now != size && Requests.read(audit, size, now).total(TesseraOperator.USER_AGENT) > 0) {
        quietSince = System.nanoTime();
      }
      size = now;
      if (System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(1)) {
        return;
      }
    }
  }

  // ---- the cluster ----

  /** Secrets and ConfigMaps, half each, in a namespace of their own, from 8 threads. */
  private static void storeUnrelated(EmbeddedCluster cluster, KubernetesClient client, int count)
      throws Exception {
    cluster.ensureNamespace(UNRELATED_NAMESPACE);
    ExecutorService threads = Executors.newFixedThreadPool(8);
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      done.add(
          threads.submit(
              () -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                  String name = String.format("unrelated-%05d", i);
                  Map<String, String> data = Map.of("key", "value-" + i, "other", "x".repeat(64));
                  if (i % 2 == 0) {
                    client
                        .resource(
                            new SecretBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .withNamespace(UNRELATED_NAMESPACE)
                                .addToLabels("app", "unrelated")
                                .endMetadata()
                                .withStringData(data)
                                .build())
                        .create();
                  } else {
                    client
                        .resource(
                            new ConfigMapBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .withNamespace(UNRELATED_NAMESPACE)
                                .addToLabels("app", "unrelated")
                                .endMetadata()
                                .withData(data)
                                .build())
                        .create();
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    threads.shutdown();
  }

  private static Run run(String name) {
    try {
      return YAML.readValue(
          "{apiVersion: tessera.dev/v1alpha1, kind: Run, metadata: {name: "
              + name
              + ", namespace: "
              + NAMESPACE
              + "}, spec: {project: demo-site, api: me, authSession: {name: "
              + SESSION
              + "}}}",
          Run.class);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void awaitReady(KubernetesClient client) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < end) {
      AuthSession session =
          client.resources(AuthSession.class).inNamespace(NAMESPACE).withName(SESSION).get();
      if (session != null
          && session.getStatus() != null
          && "Ready".equals(session.getStatus().getPhase())
          && session.getStatus().getLockHolder() == null) {
        return;
      }
      if (session != null
          && session.getStatus() != null
          && "Failed".equals(session.getStatus().getPhase())) {
        throw new IllegalStateException("the session failed: " + session.getStatus().getMessage());
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException(SESSION + " did not become Ready");
  }

  /** The time from one event to another of each Run that has both. */
  private static List<Long> since(Map<String, Long> from, Map<String, Long> to) {
    List<Long> times = new ArrayList<>();
    from.forEach(
        (run, at) -> {
          Long then = to.get(run);
          if (then != null) {
            times.add(then - at);
          }
        });
    return times;
  }

  /**
   * Records when the informer first sees the Pod of each Run (ADD), then Running, then Succeeded,
   * by Run name.
   */
  private static SharedIndexInformer<Pod> watchPods(
      KubernetesClient client,
      Map<String, Long> added,
      Map<String, Long> running,
      Map<String, Long> succeeded) {
    return client
        .pods()
        .inNamespace(NAMESPACE)
        .inform(
            new ResourceEventHandler<>() {
              @Override
              public void onAdd(Pod pod) {
                long now = System.nanoTime();
                Map<String, String> labels = pod.getMetadata().getLabels();
                String run = labels == null ? null : labels.get(Labels.RUN);
                if (run != null) {
                  added.putIfAbsent(run, now);
                }
              }

              @Override
              public void onUpdate(Pod before, Pod after) {
                long now = System.nanoTime();
                Map<String, String> labels = after.getMetadata().getLabels();
                String run = labels == null ? null : labels.get(Labels.RUN);
                String phase = after.getStatus() == null ? null : after.getStatus().getPhase();
                if (run == null || phase == null) {
                  return;
                }
                if (phase.equals("Running") || phase.equals("Succeeded")) {
                  running.putIfAbsent(run, now);
                }
                if (phase.equals("Succeeded")) {
                  succeeded.putIfAbsent(run, now);
                }
              }

              @Override
              public void onDelete(Pod pod, boolean unknown) {}
            });
  }

  /** Records when the informer first sees each Run Succeeded, and the Runs that end otherwise. */
  private static SharedIndexInformer<Run> watchRuns(
      KubernetesClient client, Map<String, Long> succeeded, Map<String, String> failed) {
    return client
        .resources(Run.class)
        .inNamespace(NAMESPACE)
        .inform(
            new ResourceEventHandler<>() {
              @Override
              public void onAdd(Run run) {
                seen(run);
              }

              @Override
              public void onUpdate(Run before, Run after) {
                seen(after);
              }

              @Override
              public void onDelete(Run run, boolean unknown) {}

              private void seen(Run run) {
                long now = System.nanoTime();
                String name = run.getMetadata().getName();
                if (!name.startsWith("bench-") || run.getStatus() == null) {
                  return;
                }
                String phase = run.getStatus().getPhase();
                if ("Succeeded".equals(phase)) {
                  succeeded.putIfAbsent(name, now);
                } else if (FINAL_FAILURES.contains(phase)) {
                  failed.putIfAbsent(name, phase + ": " + run.getStatus().getMessage());
                }
              }
            });
  }

  // ---- measurements ----

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static int cpus() {
    return Runtime.getRuntime().availableProcessors();
  }

  private static double percentile(List<Long> nanos, int p) {
    if (nanos.isEmpty()) {
      return Double.NaN;
    }
    List<Long> sorted = nanos.stream().sorted().toList();
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1)) / 1e6;
  }

  // ---- reporting ----

  private static void printSummary(List<Phase> phases) {
    System.out.println("## Summary");
    System.out.println();
    StringBuilder header = new StringBuilder("| |");
    StringBuilder rule = new StringBuilder("|---|");
    for (Phase phase : phases) {
      header.append(' ').append(phase.name).append(" |");
      rule.append("---:|");
    }
    System.out.println(header);
    System.out.println(rule);
    row(phases, "Runs/s", p -> fmt(p.runsPerSecond()));
    row(phases, "created→Succeeded p50 (ms)", p -> fmt(p.succeededP50));
    row(phases, "created→Succeeded p99 (ms)", p -> fmt(p.succeededP99));
    row(phases, "created→Pod ADD p50 (ms)", p -> fmt(p.podP50));
    row(phases, "Pod ADD→Running p50 (ms)", p -> fmt(p.addedToRunningP50));
    row(phases, "Pod Running→Pod Succeeded p50 (ms)", p -> fmt(p.runningToSucceededP50));
    row(phases, "Pod Running→Run Succeeded p50 (ms)", p -> fmt(p.runningToRunSucceededP50));
    row(phases, "process CPU per Run (ms)", p -> fmt(p.cpuMillisPerRun));
    row(phases, "operator requests per Run", p -> fmt(p.requestsPerRun()));
    row(phases, "operator writes per Run", p -> fmt(p.writesPerRun()));
    row(phases, "load average start → end", p -> p.loadBefore + " → " + p.loadAfter);
    System.out.println();
  }

  private static void row(
      List<Phase> phases, String label, java.util.function.Function<Phase, String> value) {
    StringBuilder line = new StringBuilder("| ").append(label).append(" |");
    for (Phase phase : phases) {
      line.append(' ').append(value.apply(phase)).append(" |");
    }
    System.out.println(line);
  }

  private static String fmt(double value) {
    return Math.abs(value) >= 100
        ? String.format(Locale.ROOT, "%.0f", value)
        : Math.abs(value) >= 10
            ? String.format(Locale.ROOT, "%.1f", value)
            : String.format(Locale.ROOT, "%.2f", value);
  }

  /** What one phase measured. */
  private static final class Phase {
    final String name;
    final int runs;
    final Path audit;
    double seconds;
    double createSeconds;
    double succeededP50;
    double succeededP99;
    double podP50;
    double podRunningP50;
    double podSucceededP50;
    double addedToRunningP50;
    double runningToSucceededP50;
    double runningToRunSucceededP50;
    double cpuMillisPerRun;
    String loadBefore;
    String loadAfter;
    Requests requests;
    Requests single;
    double singleMillis;
    final Map<String, Long> events = new TreeMap<>();

    Phase(String name, int runs, Path audit) {
      this.name = name;
      this.runs = runs;
      this.audit = audit;
    }

    double runsPerSecond() {
      return runs / seconds;
    }

    double requestsPerRun() {
      return (double) requests.total(TesseraOperator.USER_AGENT) / runs;
    }

    double writesPerRun() {
      return (double) requests.writes(TesseraOperator.USER_AGENT) / runs;
    }

    void print() {
      System.out.printf("## %s: %d Runs on a Ready session%n%n", name, runs);
      System.out.println("| measure | value |");
      System.out.println("|---|---:|");
      System.out.printf(
          "| Runs/s (first create to last Succeeded, %.1f s; creates took %.1f s) | %s |%n",
          seconds, createSeconds, fmt(runsPerSecond()));
      System.out.printf("| created→Succeeded p50 (ms) | %s |%n", fmt(succeededP50));
      System.out.printf("| created→Succeeded p99 (ms) | %s |%n", fmt(succeededP99));
      System.out.printf("| created→Pod ADD (informer) p50 (ms) | %s |%n", fmt(podP50));
      System.out.printf("| created→Pod Running p50 (ms) | %s |%n", fmt(podRunningP50));
      System.out.printf("| created→Pod Succeeded p50 (ms) | %s |%n", fmt(podSucceededP50));
      System.out.printf(
          "| process CPU per Run (ms; operator, API, executor and clients share this JVM) | %s |%n",
          fmt(cpuMillisPerRun));
      System.out.printf("| load average (1/5/15 min) at start | %s |%n", loadBefore);
      System.out.printf("| load average (1/5/15 min) at end | %s |%n", loadAfter);
      System.out.printf("| operator requests per Run | %s |%n", fmt(requestsPerRun()));
      System.out.printf("| operator writes per Run | %s |%n", fmt(writesPerRun()));
      System.out.println();
      System.out.printf(
          "Operator requests per Run by verb and resource (audit log, measured window; User-Agent"
              + " %s):%n%n",
          TesseraOperator.USER_AGENT);
      System.out.println("| verb | resource | requests | per Run |");
      System.out.println("|---|---|---:|---:|");
      requests
          .byKind(TesseraOperator.USER_AGENT)
          .forEach(
              (kind, count) ->
                  System.out.printf(
                      "| %s | %s | %d | %s |%n",
                      kind.verb(), kind.resource(), count, fmt((double) count / runs)));
      System.out.printf(
          "| **all** | | %d | %s |%n",
          requests.total(TesseraOperator.USER_AGENT), fmt(requestsPerRun()));
      System.out.printf(
          "| **writes** | | %d | %s |%n",
          requests.writes(TesseraOperator.USER_AGENT), fmt(writesPerRun()));
      System.out.println();
      System.out.println(
          "Where a Run's time goes, p50 of each step (ms; seen by this JVM's informers):");
      System.out.println();
      System.out.println("| step | who | p50 (ms) |");
      System.out.println("|---|---|---:|");
      System.out.printf("| Run created → Pod ADD | operator | %s |%n", fmt(podP50));
      System.out.printf(
          "| Pod ADD → Pod Running | executor (input Secret, directory, status) | %s |%n",
          fmt(addedToRunningP50));
      System.out.printf(
          "| Pod Running → Run Succeeded | instant runner, results endpoint, operator | %s |%n",
          fmt(runningToRunSucceededP50));
      System.out.printf(
          "| (beside the Run) Pod Running → Pod Succeeded | instant runner, executor | %s |%n",
          fmt(runningToSucceededP50));
      System.out.println();
      System.out.println(
          "The operator's reads (get) by object, Run names and uids folded (top 12):");
      System.out.println();
      System.out.println("| resource | object | gets | per Run |");
      System.out.println("|---|---|---:|---:|");
      requests.gets.entrySet().stream()
          .sorted(Map.Entry.<Kind, Long>comparingByValue().reversed())
          .limit(12)
          .forEach(
              e ->
                  System.out.printf(
                      "| %s | %s | %d | %s |%n",
                      e.getKey().verb(),
                      e.getKey().resource(),
                      e.getValue(),
                      fmt((double) e.getValue() / runs)));
      System.out.println();
      System.out.println("Events about the batch's Runs, by kind and reason:");
      System.out.println();
      System.out.println("| object reason | events | per Run |");
      System.out.println("|---|---:|---:|");
      events.forEach(
          (reason, count) ->
              System.out.printf("| %s | %d | %s |%n", reason, count, fmt((double) count / runs)));
      System.out.println();
      System.out.println(
          "Requests per Run of every client in the window (by User-Agent; "
              + EXECUTOR_USER_AGENT
              + " is the executor, "
              + BENCH_USER_AGENT
              + " creates and watches the Runs, fabric8's default is the embedded API's own"
              + " garbage collector):");
      System.out.println();
      System.out.println("| client | requests | per Run |");
      System.out.println("|---|---:|---:|");
      requests
          .byAgent()
          .forEach(
              (agent, count) ->
                  System.out.printf(
                      "| %s | %d | %s |%n", agent, count, fmt((double) count / runs)));
      System.out.println();
      if (single != null) {
        System.out.printf(
            "One Run created alone after the batch (Succeeded in %.0f ms; counted until the"
                + " operator was quiet for 1 s):%n%n",
            singleMillis);
        System.out.println("| verb | resource | requests |");
        System.out.println("|---|---|---:|");
        single
            .byKind(TesseraOperator.USER_AGENT)
            .forEach(
                (kind, count) ->
                    System.out.printf("| %s | %s | %d |%n", kind.verb(), kind.resource(), count));
        System.out.printf(
            "| **all** | | %d |%n| **writes** | | %d |%n",
            single.total(TesseraOperator.USER_AGENT), single.writes(TesseraOperator.USER_AGENT));
        System.out.println();
        System.out.println("| get | object | gets |");
        System.out.println("|---|---|---:|");
        single.gets.entrySet().stream()
            .sorted(Map.Entry.<Kind, Long>comparingByValue().reversed())
            .forEach(
                e ->
                    System.out.printf(
                        "| %s | %s | %d |%n",
                        e.getKey().verb(), e.getKey().resource(), e.getValue()));
        System.out.println();
      }
    }
  }

  /** A kind of request: its verb and resource ({@code resource/subresource}). */
  record Kind(String verb, String resource) {}

  /** The requests of an audit log between two offsets, by client. */
  static final class Requests {
    /** User-Agent to kind to count. */
    private final Map<String, Map<Kind, Long>> counts = new TreeMap<>();

    /** The operator's gets by resource (as verb) and folded object name (as resource). */
    final Map<Kind, Long> gets = new HashMap<>();

    /** Reads the whole lines of the audit log between two byte offsets. */
    static Requests read(Path audit, long from, long to) throws IOException {
      Requests requests = new Requests();
      if (to <= from) {
        return requests;
      }
      byte[] bytes;
      try (RandomAccessFile file = new RandomAccessFile(audit.toFile(), "r")) {
        long start = from;
        if (start > 0) {
          // start at a line's beginning: a line cut at "from" belongs to the window before
          file.seek(start - 1);
          if (file.read() != '\n') {
            while (start < to) {
              file.seek(start++);
              if (file.read() == '\n') {
                break;
              }
            }
          }
        }
        bytes = new byte[(int) (to - start)];
        file.seek(start);
        file.readFully(bytes);
      }
      String text = new String(bytes, StandardCharsets.UTF_8);
      int end = text.lastIndexOf('\n');
      if (end < 0) {
        return requests;
      }
      for (String line : text.substring(0, end).split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode entry = JSON.readTree(line);
        String agent = entry.path("userAgent").asText("(none)");
        String resource =
            entry.has("resource")
                ? entry.path("resource").asText()
                    + (entry.has("subresource") ? "/" + entry.path("subresource").asText() : "")
                : entry.path("nonResourceURL").asText();
        Kind kind = new Kind(entry.path("verb").asText(), resource);
        requests.counts.computeIfAbsent(agent, a -> new HashMap<>()).merge(kind, 1L, Long::sum);
        if (agent.equals(TesseraOperator.USER_AGENT) && kind.verb().equals("get")) {
          requests.gets.merge(new Kind(resource, fold(entry.path("name").asText())), 1L, Long::sum);
        }
      }
      return requests;
    }

    /** An object's name with the benchmark's Run names and the uid parts of names folded. */
    static String fold(String name) {
      return name.replaceAll("bench-(\\d{5}|single)", "<run>")
          .replaceAll("-[0-9a-f]{5}-a(\\d+)", "-<uid>-a$1");
    }

    /** The kinds of one client's requests, most frequent first. */
    Map<Kind, Long> byKind(String agent) {
      Map<Kind, Long> sorted = new LinkedHashMap<>();
      counts.getOrDefault(agent, Map.of()).entrySet().stream()
          .sorted(
              Map.Entry.<Kind, Long>comparingByValue()
                  .reversed()
                  .thenComparing(e -> e.getKey().verb() + " " + e.getKey().resource()))
          .forEach(e -> sorted.put(e.getKey(), e.getValue()));
      return sorted;
    }

    Map<String, Long> byAgent() {
      Map<String, Long> totals = new LinkedHashMap<>();
      counts.forEach(
          (agent, kinds) ->
              totals.put(agent, kinds.values().stream().mapToLong(Long::longValue).sum()));
      return totals;
    }

    long total(String agent) {
      return counts.getOrDefault(agent, Map.of()).values().stream()
          .mapToLong(Long::longValue)
          .sum();
    }

    long writes(String agent) {
      AtomicLong writes = new AtomicLong();
      counts
          .getOrDefault(agent, Map.of())
          .forEach(
              (kind, count) -> {
                if (WRITES.contains(kind.verb())) {
                  writes.addAndGet(count);
                }
              });
      return writes.get();
    }
  }
}

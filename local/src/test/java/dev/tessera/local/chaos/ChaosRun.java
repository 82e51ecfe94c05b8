package dev.tessera.local.chaos;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.Job;
import dev.tessera.api.v1alpha1.JobRun;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.RunPhase;
import dev.tessera.demosite.DemoSite;
import dev.tessera.local.LocalMode;
import dev.tessera.local.cluster.EmbeddedCluster;
import dev.tessera.local.cluster.Faults;
import dev.tessera.local.cluster.LocalExecutor;
import dev.tessera.operator.TesseraOperator;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A chaos run: Tessera under failures, end to end in one JVM, with real runner processes and
 * Chromium. It starts the embedded API (injecting faults into the operator's requests), the local
 * executor, the demo site, a webhook sink, and two replicas of the shipped operator jar with leader
 * election; applies a mix of Runs (on Ready sessions, on sessions the site expires at random
 * moments, of an API that fails every Attempt, and a JobRun with a webhook sink), while it kills
 * the leader with SIGKILL every 10-30 s and starts it again a few seconds later. At the end it
 * checks what must hold whatever failed: every Run ended, no Attempt ran twice, no session lock is
 * left held, the site saw exactly the logins the expiries called for, and the webhook received each
 * finished Run once.
 *
 * <p>Usage: {@code scripts/chaos [RUNS] [SEED]} (200 Runs by default); it exits with 1 when a check
 * fails. The figures and what each check means are in docs/reliability.md.
 */
public final class ChaosRun {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final String NS = OperatorReplicas.NAMESPACE;
  private static final Pattern CONTINUATION = Pattern.compile("^(.*)-a\\d+-r\\d+$");

  /** The sessions the Runs use, and the site user each logs in as. */
  static final Map<String, String> SESSIONS =
      Map.of("demo-alice", "alice", "multi-alice", "alice", "multi-carol", "carol");

  /** A range of durations, from which a random one is drawn each time. */
  public record Range(Duration min, Duration max) {}

  /**
   * How to run.
   *
   * @param root the repository (crds/, examples/, the operator and runner jars)
   * @param runs how many Runs to apply, those of the JobRun included
   * @param maxKills how many times to kill the leader; negative for as long as Runs remain
   * @param killEvery the shortest and longest pause before the next kill
   * @param restartAfter the shortest and longest time a killed replica stays down
   * @param expireEvery the shortest and longest pause between two expiries at the site
   * @param inFlight how many of the chaos run's own Runs may be unfinished at once
   * @param deadline when to give up waiting for the Runs to end
   * @param faults what the embedded API injects into the operator's requests
   * @param seed the seed of every random choice but the faults'
   * @param out where progress and the report go
   */
  public record Options(
      Path root,
      int runs,
      int maxKills,
      Range killEvery,
      Range restartAfter,
      Range expireEvery,
      int inFlight,
      Duration deadline,
      Faults faults,
      long seed,
      PrintStream out) {

    /** The full-size run's settings for {@code runs} Runs. */
    public static Options defaults(Path root, int runs, long seed, PrintStream out) {
      return new Options(
          root,
          runs,
          -1,
          new Range(Duration.ofSeconds(10), Duration.ofSeconds(30)),
          new Range(Duration.ofSeconds(3), Duration.ofSeconds(6)),
          new Range(Duration.ofSeconds(20), Duration.ofSeconds(60)),
          6,
          Duration.ofMinutes(Math.max(15, runs / 4)),
          operatorFaults(),
          seed,
          out);
    }

    /** The same with another number of leader kills. */
    public Options withMaxKills(int kills) {
      return new Options(
          root,
          runs,
          kills,
          killEvery,
          restartAfter,
          expireEvery,
          inFlight,
          deadline,
          faults,
          seed,
          out);
    }

    /** The same with other pauses between kills and between expiries. */
    public Options withPauses(Range kill, Range expire) {
      return new Options(
          root, runs, maxKills, kill, restartAfter, expire, inFlight, deadline, faults, seed, out);
    }
  }

  /**
   * The faults of a chaos run, on the operator's requests only: 3% of writes answered 500, 3%
   * answered 409, a fifth of watches cut within 30 s, 5% of requests answered 300 ms late.
   */
  public static Faults operatorFaults() {
    return new Faults(
        TesseraOperator.USER_AGENT,
        0.03,
        0.03,
        0.2,
        Duration.ofSeconds(30),
        0.05,
        Duration.ofMillis(300));
  }

  /** What to create, and what it should end as. */
  private enum Kind {
    SESSION("Succeeded"),
    CATALOG("Succeeded"),
    FAILING("Failed/ApiAttemptsFailed");

    final String expected;

    Kind(String expected) {
      this.expected = expected;
    }
  }

  private final Options options;
  private final PrintStream out;
  private final Random random;
  private volatile boolean stopChaos;
  private final AtomicInteger kills = new AtomicInteger();
  private final AtomicInteger expiries = new AtomicInteger();
  private final List<Long> takeoverMillis = new CopyOnWriteArrayList<>();
  private final Map<String, Kind> created = new LinkedHashMap<>();
  private volatile SharedIndexInformer<Pod> podStore;
  private volatile SharedIndexInformer<Run> runStore;

  private ChaosRun(Options options) {
    this.options = options;
    this.out = options.out();
    this.random = new Random(options.seed());
  }

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    long seed = args.length > 1 ? Long.parseLong(args[1]) : System.nanoTime();
    Path root = Path.of(System.getProperty("tessera.root", "..")).toAbsolutePath().normalize();
    ChaosReport report = run(Options.defaults(root, runs, seed, System.out));
    System.exit(report.passed() ? 0 : 1);
  }

  /** Runs the chaos run, prints its report, and returns it. */
  public static ChaosReport run(Options options) throws Exception {
    return new ChaosRun(options).execute();
  }

  private ChaosReport execute() throws Exception {
    Instant start = Instant.now();
    log("%d Runs, seed %d%n", options.runs(), options.seed());
    Path work = Files.createTempDirectory("tessera-chaos");
    log("operator logs and the kubeconfig in %s%n", work);
    DemoSite site = null;
    EmbeddedCluster cluster = null;
    LocalExecutor executor = null;
    OperatorReplicas operators = null;
    WebhookReceiver hooks = null;
    SharedIndexInformer<Pod> podInformer = null;
    SharedIndexInformer<Run> runInformer = null;
    Thread killer = null;
    Thread expirer = null;
    // a JVM stopped from outside still ends every process this run started
    Thread reaper =
        new Thread(
            () -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly),
            "chaos-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
    try {
      site = DemoSite.start(DemoSite.Options.defaults().withSessionLifetime(Duration.ofHours(12)));
      cluster =
          EmbeddedCluster.builder()
              .crds(options.root().resolve("crds"))
              .faults(options.faults())
              .start();
      Path kubeconfig = cluster.writeKubeconfig(work.resolve("kubeconfig"));
      KubernetesClient client = cluster.kubernetesClient();
      executor = LocalMode.startExecutor(client, options.root());
      cluster.podLogs(executor);
      PodExecutions pods = new PodExecutions();
      podInformer = client.pods().inNamespace(NS).inform(pods);
      runInformer = client.resources(Run.class).inNamespace(NS).inform();
      podStore = podInformer;
      runStore = runInformer;
      hooks = new WebhookReceiver(out);

      operators = new OperatorReplicas(options.root(), kubeconfig, work, out);
      operators.start();
      operators
          .awaitLeader(client, Duration.ofSeconds(120))
          .orElseThrow(() -> new IllegalStateException("no operator replica took the lead"));
      for (String example :
          List.of(
              "examples/catalog/project.yaml",
              "examples/demo/project.yaml",
              "examples/demo/credentials-secret.yaml",
              "examples/demo/authsession.yaml",
              "examples/multi-user/sessions.yaml")) {
        LocalMode.apply(client, options.root().resolve(example), site.baseUrl());
      }
      for (String session : SESSIONS.keySet()) {
        awaitSessionReady(client, session, Duration.ofMinutes(3));
      }
      log("sessions Ready; chaos begins%n");

      int jobItems = Math.max(3, options.runs() / 20);
      createJob(client, hooks.url(), jobItems);

      final OperatorReplicas replicas = operators;
      final DemoSite demo = site;
      killer = new Thread(() -> killLeaders(client, replicas), "chaos-killer");
      expirer = new Thread(() -> expireSessions(client, demo), "chaos-expirer");
      killer.start();
      expirer.start();

      Instant deadline = start.plus(options.deadline());
      createRuns(client, runInformer, options.runs() - jobItems, deadline);
      awaitEnd(client, deadline);

      stopChaos = true;
      killer.join(Duration.ofMinutes(3).toMillis());
      expirer.join(Duration.ofMinutes(1).toMillis());
      for (OperatorReplicas.Replica replica : operators.replicas()) {
        if (!replica.alive()) {
          replica.start();
        }
      }
      awaitDeliveries(client, Duration.ofMinutes(3));
      awaitLocksFree(client, Duration.ofSeconds(60));
      Thread.sleep(3000); // a late second delivery, if any, arrives now

      ChaosReport report =
          report(
              client,
              site,
              pods,
              hooks,
              operators,
              cluster.faultsInjected(),
              Duration.between(start, Instant.now()));
      report.print(out);
      return report;
    } finally {
      stopChaos = true;
      if (killer != null) {
        killer.interrupt();
      }
      if (expirer != null) {
        expirer.interrupt();
      }
      if (operators != null) {
        operators.close();
      }
      if (runInformer != null) {
        runInformer.close();
      }
      if (podInformer != null) {
        podInformer.close();
      }
      if (executor != null) {
        executor.close();
      }
      if (cluster != null) {
        cluster.close();
      }
      if (hooks != null) {
        hooks.close();
      }
      if (site != null) {
        site.close();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(reaper);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
  }

  private void createJob(KubernetesClient client, String sinkUrl, int items) throws IOException {
    StringBuilder payload = new StringBuilder();
    for (int i = 0; i < items; i++) {
      payload.append(i == 0 ? "" : ", ");
      payload.append(
          i % 2 == 0 ? "{api: me}" : "{api: invoices, parameters: {page: " + (1 + i % 4) + "}}");
    }
    client
        .resource(
            YAML.readValue(
                "{apiVersion: tessera.dev/v1alpha1, kind: Job, metadata: {name: chaos-webhook,"
                    + " namespace: default}, spec: {project: demo-site, maxConcurrentRuns: 2,"
                    + " authSession: {name: demo-alice}, sink: {url: '"
                    + sinkUrl
                    + "'}, payload: ["
                    + payload
                    + "]}}",
                Job.class))
        .create();
    client
        .resource(
            YAML.readValue(
                "{apiVersion: tessera.dev/v1alpha1, kind: JobRun, metadata: {name:"
                    + " chaos-webhook-now, namespace: default}, spec: {job: chaos-webhook}}",
                JobRun.class))
        .create();
  }

  private void createRuns(
      KubernetesClient client, SharedIndexInformer<Run> runs, int count, Instant deadline)
      throws Exception {
    List<String> sessions = List.copyOf(new TreeMap<>(SESSIONS).keySet());
    for (int i = 0; i < count && Instant.now().isBefore(deadline); ) {
      long unfinished =
          created.keySet().stream()
              .filter(name -> !finished(runs.getStore().getByKey(NS + "/" + name)))
              .count();
      if (unfinished >= options.inFlight()) {
        Thread.sleep(250);
        continue;
      }
      double draw = random.nextDouble();
      Kind kind = draw < 0.1 ? Kind.FAILING : draw < 0.2 ? Kind.CATALOG : Kind.SESSION;
      String name = String.format("chaos-%03d", i);
      String spec =
          switch (kind) {
            case FAILING -> "{project: demo-catalog, api: missing-button, retry: {maxAttempts: 2}}";
            case CATALOG ->
                "{project: demo-catalog, api: products, parameters: {page: "
                    + (1 + random.nextInt(3))
                    + "}}";
            case SESSION -> {
              String session = sessions.get(random.nextInt(sessions.size()));
              // alice has four pages of invoices, carol one
              int pages = "alice".equals(SESSIONS.get(session)) ? 4 : 1;
              yield random.nextBoolean()
                  ? "{project: demo-site, api: me, authSession: {name: " + session + "}}"
                  : "{project: demo-site, api: invoices, parameters: {page: "
                      + (1 + random.nextInt(pages))
                      + "}, authSession: {name: "
                      + session
                      + "}}";
            }
          };
      client
          .resource(
              YAML.readValue(
                  "{apiVersion: tessera.dev/v1alpha1, kind: Run, metadata: {name: "
                      + name
                      + ", namespace: default}, spec: "
                      + spec
                      + "}",
                  Run.class))
          .create();
      created.put(name, kind);
      i++;
      if (i % 20 == 0) {
        log("%d of %d Runs created%n", i, count);
      }
    }
  }

  private void log(String format, Object... args) {
    out.print(
        "[chaos " + java.time.LocalTime.now().withNano(0) + "] " + String.format(format, args));
  }

  private void killLeaders(KubernetesClient client, OperatorReplicas operators) {
    try {
      while (!stopChaos && (options.maxKills() < 0 || kills.get() < options.maxKills())) {
        if (!pause(options.killEvery())) {
          return;
        }
        Optional<OperatorReplicas.Replica> leader =
            operators.awaitLeader(client, Duration.ofSeconds(60));
        if (leader.isEmpty()) {
          log("no live leader for 60 s; not killing this time%n");
          continue;
        }
        OperatorReplicas.Replica victim = leader.get();
        String killed = victim.identity();
        long killedAt = System.nanoTime();
        victim.kill();
        kills.incrementAndGet();
        log("killed the leader %s (kill %d)%n", killed, kills.get());
        Thread.sleep(between(options.restartAfter()).toMillis());
        victim.start();
        Optional<OperatorReplicas.Replica> next =
            operators.awaitLeader(client, Duration.ofSeconds(90));
        long took = (System.nanoTime() - killedAt) / 1_000_000;
        if (next.isPresent()) {
          takeoverMillis.add(took);
          log("%s leads, %d ms after the kill%n", next.get().identity(), took);
        } else {
          log("no replica took the lead within 90 s of the restart%n");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void expireSessions(KubernetesClient client, DemoSite site) {
    while (!stopChaos) {
      if (!pause(options.expireEvery())) {
        return;
      }
      if (!awaitQuiet(client, Duration.ofSeconds(60))) {
        log("no moment outside a recreation within 60 s; no expiry this time%n");
        continue;
      }
      int ended = site.expireSessions();
      expiries.incrementAndGet();
      log("the site expired its sessions (%d live ones ended)%n", ended);
    }
  }

  /**
   * Waits for a moment when no session is being recreated: every session Ready and unlocked, no
   * Attempt waiting for a session operation or continuing after one, and the JobRun not renewing
   * its session. An expiry during a recreation makes the checks right after the new login fail,
   * which the operator takes, by design, as a session it cannot recreate (it gives up rather than
   * log in again and again): that case is not what this run measures.
   */
  private boolean awaitQuiet(KubernetesClient client, Duration timeout) {
    long until = System.nanoTime() + timeout.toNanos();
    while (!stopChaos && System.nanoTime() < until) {
      if (quiet(client)) {
        return true;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  private boolean quiet(KubernetesClient client) {
    for (String name : SESSIONS.keySet()) {
      AuthSession session =
          client.resources(AuthSession.class).inNamespace(NS).withName(name).get();
      if (session == null
          || session.getStatus() == null
          || !"Ready".equals(session.getStatus().getPhase())
          || session.getStatus().getLockHolder() != null) {
        return false;
      }
    }
    for (Run run : runStore.getStore().list()) {
      if (!finished(run)
          && run.getStatus() != null
          && run.getStatus().getAttempts() != null
          && run.getStatus().getAttempts().stream().anyMatch(a -> a.getWaitingFor() != null)) {
        return false;
      }
    }
    for (Pod pod : podStore.getStore().list()) {
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      if (CONTINUATION.matcher(pod.getMetadata().getName()).matches()
          && !"Succeeded".equals(phase)
          && !"Failed".equals(phase)) {
        return false;
      }
    }
    JobRun jobRun =
        client.resources(JobRun.class).inNamespace(NS).withName("chaos-webhook-now").get();
    return jobRun == null
        || jobRun.getStatus() == null
        || !List.of("Validating", "Paused").contains(jobRun.getStatus().getPhase());
  }

  /** Sleeps a random time within the range, unless the chaos stops; false when it stopped. */
  private boolean pause(Range range) {
    long until = System.nanoTime() + between(range).toNanos();
    while (System.nanoTime() < until) {
      if (stopChaos) {
        return false;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return !stopChaos;
  }

  private Duration between(Range range) {
    long min = range.min().toMillis();
    long max = range.max().toMillis();
    synchronized (random) {
      return Duration.ofMillis(min + (max > min ? (long) (random.nextDouble() * (max - min)) : 0));
    }
  }

  private void awaitEnd(KubernetesClient client, Instant deadline) throws InterruptedException {
    log("every Run created; waiting for them to end%n");
    while (Instant.now().isBefore(deadline)) {
      List<Run> runs = client.resources(Run.class).inNamespace(NS).list().getItems();
      JobRun jobRun =
          client.resources(JobRun.class).inNamespace(NS).withName("chaos-webhook-now").get();
      boolean jobRunDone =
          jobRun != null
              && jobRun.getStatus() != null
              && List.of("Succeeded", "Failed", "Canceled").contains(jobRun.getStatus().getPhase());
      if (jobRunDone && runs.stream().allMatch(ChaosRun::finished)) {
        return;
      }
      Thread.sleep(2000);
    }
    log("deadline passed with Runs unfinished%n");
  }

  private void awaitDeliveries(KubernetesClient client, Duration timeout)
      throws InterruptedException {
    long until = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < until) {
      JobRun jobRun =
          client.resources(JobRun.class).inNamespace(NS).withName("chaos-webhook-now").get();
      if (jobRun != null
          && jobRun.getStatus() != null
          && jobRun.getStatus().getDelivery() != null
          && Integer.valueOf(0).equals(jobRun.getStatus().getDelivery().getPending())) {
        return;
      }
      Thread.sleep(1000);
    }
  }

  private void awaitLocksFree(KubernetesClient client, Duration timeout)
      throws InterruptedException {
    long until = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < until && !heldLeases(client).isEmpty()) {
      Thread.sleep(1000);
    }
  }

  private static List<String> heldLeases(KubernetesClient client) {
    return client
        .leases()
        .inNamespace(NS)
        .withLabel("app.kubernetes.io/managed-by", "tessera")
        .list()
        .getItems()
        .stream()
        .filter(l -> l.getSpec() != null && l.getSpec().getHolderIdentity() != null)
        .map(ChaosRun::describe)
        .toList();
  }

  private static String describe(Lease lease) {
    return lease.getMetadata().getName()
        + " held by "
        + lease.getSpec().getHolderIdentity()
        + " (renewed "
        + lease.getSpec().getRenewTime()
        + ")";
  }

  private static boolean finished(Run run) {
    return run != null
        && run.getStatus() != null
        && RunPhase.isFinished(run.getStatus().getPhase());
  }

  private static String outcome(Run run) {
    if (run.getStatus() == null || run.getStatus().getPhase() == null) {
      return "Pending";
    }
    String phase = run.getStatus().getPhase();
    return "Succeeded".equals(phase) || run.getStatus().getReason() == null
        ? phase
        : phase + "/" + run.getStatus().getReason();
  }

  private void awaitSessionReady(KubernetesClient client, String name, Duration timeout)
      throws InterruptedException {
    long until = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < until) {
      AuthSession session =
          client.resources(AuthSession.class).inNamespace(NS).withName(name).get();
      if (session != null
          && session.getStatus() != null
          && "Ready".equals(session.getStatus().getPhase())
          && session.getStatus().getLockHolder() == null) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("AuthSession " + name + " did not become Ready");
  }

  private ChaosReport report(
      KubernetesClient client,
      DemoSite site,
      PodExecutions pods,
      WebhookReceiver hooks,
      OperatorReplicas operators,
      Faults.Injected faults,
      Duration elapsed) {
    List<Run> runs = client.resources(Run.class).inNamespace(NS).list().getItems();
    Map<String, Run> byName =
        runs.stream().collect(Collectors.toMap(r -> r.getMetadata().getName(), r -> r));

    List<String> notFinished =
        runs.stream()
            .filter(r -> !finished(r))
            .map(r -> r.getMetadata().getName() + " (" + outcome(r) + ")")
            .sorted()
            .toList();
    Map<String, Integer> outcomes = new TreeMap<>();
    List<String> unexpected = new ArrayList<>();
    created.forEach(
        (name, kind) -> {
          Run run = byName.get(name);
          String outcome = run == null ? "missing" : outcome(run);
          outcomes.merge(kind.name().toLowerCase() + ": " + outcome, 1, Integer::sum);
          // a Run created while its session is being recreated waits for it: no exception
          if (!kind.expected.equals(outcome)) {
            unexpected.add(
                name
                    + " "
                    + outcome
                    + (run == null
                            || run.getStatus() == null
                            || run.getStatus().getMessage() == null
                        ? ""
                        : ": " + run.getStatus().getMessage()));
          }
        });
    List<Run> jobRuns =
        runs.stream()
            .filter(
                r ->
                    r.getMetadata().getLabels() != null
                        && "chaos-webhook-now"
                            .equals(r.getMetadata().getLabels().get("tessera.dev/job-run")))
            .toList();
    jobRuns.forEach(r -> outcomes.merge("jobrun: " + outcome(r), 1, Integer::sum));
    long operations =
        runs.stream()
            .filter(
                r ->
                    r.getMetadata().getLabels() != null
                        && "session-operation"
                            .equals(r.getMetadata().getLabels().get("tessera.dev/component")))
            .count();

    Map<String, Integer> delivered = hooks.deliveries();
    List<String> lost = new ArrayList<>();
    Map<String, Integer> doubled = new TreeMap<>();
    for (Run run : jobRuns) {
      if (!finished(run)) {
        continue;
      }
      int count = delivered.getOrDefault(NS + "/" + run.getMetadata().getName(), 0);
      if (count == 0) {
        lost.add(run.getMetadata().getName());
      } else if (count > 1) {
        doubled.put(run.getMetadata().getName(), count);
      }
    }

    Map<String, ChaosReport.Logins> logins = new TreeMap<>();
    for (String user : new TreeMap<>(Map.of("alice", 0, "carol", 0)).keySet()) {
      long sessions = SESSIONS.values().stream().filter(user::equals).count();
      long hit = site.endedSessionsPresented(user);
      logins.put(
          user,
          new ChaosReport.Logins(
              site.stats().loginsOf(user).succeeded(),
              sessions,
              hit,
              site.stats().loginsOf(user).failed()));
    }
    long continued =
        pods.ranNames().stream()
            .map(CONTINUATION::matcher)
            .filter(Matcher::matches)
            .map(m -> m.group(1))
            .distinct()
            .count();

    return new ChaosReport(
        elapsed,
        options.runs(),
        created.size() + jobRuns.size(),
        outcomes,
        unexpected,
        notFinished,
        pods.podsRan(),
        pods.ranTwice(),
        (int) continued,
        (int) operations,
        heldLeases(client),
        logins,
        jobRuns.size(),
        delivered.values().stream().mapToInt(Integer::intValue).sum(),
        lost,
        doubled,
        kills.get(),
        List.copyOf(takeoverMillis),
        operators.unexpectedExits(),
        expiries.get(),
        faults);
  }
}

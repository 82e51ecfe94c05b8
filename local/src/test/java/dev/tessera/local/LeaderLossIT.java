package dev.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tessera.api.v1alpha1.AttemptStatus;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.demosite.DemoSite;
import dev.tessera.local.cluster.EmbeddedCluster;
import dev.tessera.local.cluster.LocalExecutor;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two operator processes, started from the shipped jar as the chart starts them: when another
 * identity takes the leader Lease from the leader, the leader's process exits, the standby takes
 * over, and the Runs that were in flight finish, each Attempt in one Pod.
 */
class LeaderLossIT {
  private static final Path OUT = Path.of("target", "leader-loss").toAbsolutePath();
  private static final Path OPERATOR_JAR =
      LocalCluster.ROOT.resolve("operator/target/tessera-operator.jar");
  private static final Path OPERATOR_LIB = LocalCluster.ROOT.resolve("operator/target/lib");
  private static final int RUNS = 3;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void aLeaderWhoseLeaseIsTakenExitsAndTheStandbyFinishesItsRunsOnce() throws Exception {
    assertThat(OPERATOR_JAR).as("build the operator first: ./mvnw package").isRegularFile();
    Files.createDirectories(OUT);
    Map<String, Set<String>> podUids = new ConcurrentHashMap<>();
    List<OperatorProcess> replicas = new ArrayList<>();
    try (EmbeddedCluster cluster =
            EmbeddedCluster.builder().crds(LocalCluster.ROOT.resolve("crds")).port(0).start();
        DemoSite site = DemoSite.start(DemoSite.Options.defaults());
        LocalExecutor executor =
            LocalMode.startExecutor(cluster.kubernetesClient(), LocalCluster.ROOT)) {
      cluster.podLogs(executor);
      KubernetesClient client = cluster.kubernetesClient();
      Path kubeconfig = cluster.writeKubeconfig(OUT.resolve("kubeconfig"));
      LocalMode.apply(
          client, LocalCluster.ROOT.resolve("examples/catalog/project.yaml"), site.baseUrl());
      Watch pods = client.pods().inAnyNamespace().watch(recordUids(podUids));
      try {
        // Runner Pods report to the standby's results endpoint: it outlives the leader here, as
        // the operator's Service does in a cluster, and any replica stores a report for the leader.
        int standbyResultsPort = freePort();
        OperatorProcess leader =
            OperatorProcess.start("replica-a", kubeconfig, freePort(), standbyResultsPort);
        replicas.add(leader);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> "replica-a".equals(LeaderLease.holder(client)));
        OperatorProcess standby =
            OperatorProcess.start("replica-b", kubeconfig, standbyResultsPort, standbyResultsPort);
        replicas.add(standby);
        await().atMost(Duration.ofSeconds(60)).until(() -> status(standby, "/readyz") == 200);
        assertThat(status(standby, "/healthz")).as("a standby is alive").isEqualTo(200);

        for (int i = 1; i <= RUNS; i++) {
          LocalCluster.create(
              client,
              "{apiVersion: tessera.dev/v1alpha1, kind: Run, metadata: {name: in-flight-"
                  + i
                  + ", namespace: default}, spec: {project: demo-catalog, api: slow,"
                  + " parameters: {ms: 20000}}}",
              Run.class);
        }
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> runningPods(client) == RUNS && status(leader, "/healthz") == 200);

        LeaderLease.takeOver(client, "another-operator");
        long stolenAt = System.nanoTime();
        await()
            .atMost(Duration.ofSeconds(15))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> !leader.process.isAlive());
        System.out.printf(
            "the leader exited with %d, %d ms after its lease was taken%n",
            leader.process.exitValue(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stolenAt));
        assertThat(leader.process.exitValue()).isNotZero();

        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> "replica-b".equals(LeaderLease.holder(client)));
        for (int i = 1; i <= RUNS; i++) {
          Run run = LocalCluster.awaitFinished(client, "in-flight-" + i);
          assertThat(run.getStatus().getPhase())
              .as("in-flight-%d: %s", i, run.getStatus().getMessage())
              .isEqualTo("Succeeded");
          assertRanEachAttemptOnce(run, podUids);
        }
      } catch (AssertionError | RuntimeException e) {
        printWhatWasSeen(client, replicas);
        throw e;
      } finally {
        pods.close();
        replicas.forEach(OperatorProcess::kill);
      }
    }
  }

  /** Each Attempt of the Run has a number of its own and ran in one Pod, created once. */
  private static void assertRanEachAttemptOnce(Run run, Map<String, Set<String>> podUids) {
    String name = run.getMetadata().getName();
    List<AttemptStatus> attempts = run.getStatus().getAttempts();
    assertThat(attempts).as("attempts of %s", name).isNotEmpty();
    assertThat(attempts.stream().map(AttemptStatus::getNumber))
        .as("attempt numbers of %s", name)
        .doesNotHaveDuplicates();
    assertThat(attempts.stream().map(AttemptStatus::getPod))
        .as("pods of the attempts of %s", name)
        .doesNotHaveDuplicates();
    Map<String, Set<String>> podsOfRun =
        podUids.entrySet().stream()
            .filter(e -> e.getKey().startsWith("default/" + name + "/"))
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    assertThat(podsOfRun.keySet())
        .as("pods created for %s, by attempt", name)
        .containsExactlyInAnyOrderElementsOf(
            attempts.stream().map(a -> "default/" + name + "/" + a.getNumber()).toList());
    podsOfRun.forEach(
        (attempt, uids) -> assertThat(uids).as("pods created for %s", attempt).hasSize(1));
  }

  /** Records, by namespace, Run and attempt number, the UID of every Pod created. */
  private static Watcher<Pod> recordUids(Map<String, Set<String>> podUids) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        if (action == Action.ADDED && labels != null && labels.containsKey("tessera.dev/run")) {
          podUids
              .computeIfAbsent(
                  pod.getMetadata().getNamespace()
                      + "/"
                      + labels.get("tessera.dev/run")
                      + "/"
                      + labels.get("tessera.dev/attempt"),
                  k -> ConcurrentHashMap.newKeySet())
              .add(pod.getMetadata().getUid());
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }

  private static long runningPods(KubernetesClient client) {
    return client.pods().inNamespace("default").list().getItems().stream()
        .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
        .count();
  }

  private static int status(OperatorProcess replica, String path) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replica.opsPort + path))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void printWhatWasSeen(KubernetesClient client, List<OperatorProcess> replicas) {
    System.out.println("leader lease: " + LeaderLease.get(client));
    for (Run run : client.resources(Run.class).inNamespace("default").list().getItems()) {
      System.out.printf(
          "run/%s %s%n",
          run.getMetadata().getName(), run.getStatus() == null ? "" : run.getStatus());
    }
    for (OperatorProcess replica : replicas) {
      replica.dumpThreads();
      System.out.printf(
          "%s: %s, log in %s%n",
          replica.name,
          replica.process.isAlive() ? "running" : "exited " + replica.process.exitValue(),
          replica.log);
    }
  }

  /** An operator process from the shipped jar, configured by environment as the chart does. */
  private static final class OperatorProcess {
    final String name;
    final Process process;
    final int opsPort;
    final Path log;

    private OperatorProcess(String name, Process process, int opsPort, Path log) {
      this.name = name;
      this.process = process;
      this.opsPort = opsPort;
      this.log = log;
    }

    static OperatorProcess start(String name, Path kubeconfig, int resultsPort, int reportsTo)
        throws IOException {
      int opsPort = freePort();
      Path log = OUT.resolve(name + ".log");
      ProcessBuilder builder =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  OPERATOR_JAR + ":" + OPERATOR_LIB + "/*",
                  "dev.tessera.operator.OperatorMain")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      Map<String, String> env = builder.environment();
      env.keySet().removeIf(k -> k.startsWith("TESSERA_") || k.startsWith("KUBERNETES_"));
      env.putAll(
          new HashMap<>(
              Map.of(
                  "KUBECONFIG",
                  kubeconfig.toString(),
                  "POD_NAME",
                  name,
                  "POD_NAMESPACE",
                  "default",
                  "TESSERA_LEADER_ELECTION",
                  "true",
                  "TESSERA_OPS_PORT",
                  Integer.toString(opsPort),
                  "TESSERA_RESULTS_HOST",
                  "127.0.0.1",
                  "TESSERA_RESULTS_PORT",
                  Integer.toString(resultsPort),
                  "TESSERA_RESULTS_URL",
                  "http://127.0.0.1:" + reportsTo)));
      return new OperatorProcess(name, builder.start(), opsPort, log);
    }

    /** Writes the threads of the process, while it runs, next to its log. */
    void dumpThreads() {
      if (!process.isAlive()) {
        return;
      }
      try {
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid()),
                "Thread.print")
            .redirectErrorStream(true)
            .redirectOutput(OUT.resolve(name + ".threads").toFile())
            .start()
            .waitFor(20, TimeUnit.SECONDS);
      } catch (IOException e) {
        System.out.println("no thread dump of " + name + ": " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void kill() {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

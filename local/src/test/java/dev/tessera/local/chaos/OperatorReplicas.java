package dev.tessera.local.chaos;

import dev.tessera.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two replicas of the shipped operator jar, each a child process configured through its environment
 * as the chart configures a Pod, with leader election on. Like a Deployment, it starts a replica
 * again when its process ends; each start is a new Pod with a new name ({@code tessera-a-3}), and
 * keeps the replica's results port, which stands for the Service runner Pods report to.
 */
final class OperatorReplicas implements AutoCloseable {
  private static final Duration RESTART_BACKOFF = Duration.ofSeconds(2);

  /** One replica: its ports, and its current process. */
  final class Replica {
    final String slot;
    final int resultsPort;
    final int opsPort;
    private int incarnation;
    private volatile Process process;
    private volatile String identity;
    private volatile boolean down;

    Replica(String slot) {
      this.slot = slot;
      this.resultsPort = freePort();
      this.opsPort = freePort();
    }

    String identity() {
      return identity;
    }

    boolean alive() {
      Process current = process;
      return current != null && current.isAlive();
    }

    synchronized void start() {
      incarnation++;
      identity = "tessera-" + slot + "-" + incarnation;
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(
          List.of(
              "-Xmx384m",
              "-XX:+ExitOnOutOfMemoryError",
              "-XX:+UseSerialGC",
              "-XX:TieredStopAtLevel=1",
              "-cp",
              jar + ":" + jar.resolveSibling("lib") + "/*",
              "dev.tessera.operator.OperatorMain"));
      ProcessBuilder builder = new ProcessBuilder(command);
      Map<String, String> env = builder.environment();
      env.keySet().removeIf(OperatorConfig.VARIABLES::contains);
      env.put("KUBECONFIG", kubeconfig.toString());
      env.put("TESSERA_LEADER_ELECTION", "true");
      env.put("POD_NAME", identity);
      env.put("POD_NAMESPACE", NAMESPACE);
      env.put("TESSERA_OPS_PORT", Integer.toString(opsPort));
      env.put("TESSERA_RESULTS_HOST", "127.0.0.1");
      env.put("TESSERA_RESULTS_PORT", Integer.toString(resultsPort));
      env.put("TESSERA_RESULTS_URL", "http://127.0.0.1:" + resultsPort);
      builder.redirectErrorStream(true);
      builder.redirectOutput(
          ProcessBuilder.Redirect.appendTo(logs.resolve("operator-" + slot + ".log").toFile()));
      try {
        process = builder.start();
      } catch (IOException e) {
        throw new UncheckedIOException("could not start the operator " + identity, e);
      }
      down = false;
      out.printf(
          "[chaos %s] started operator %s (pid %d)%n",
          java.time.LocalTime.now().withNano(0), identity, process.pid());
    }

    /** Kills the process with SIGKILL and waits for it to end; it stays down until restarted. */
    synchronized void kill() throws InterruptedException {
      down = true;
      Process current = process;
      if (current != null) {
        current.destroyForcibly();
        current.waitFor();
      }
    }

    synchronized void stop() {
      down = true;
      Process current = process;
      if (current != null) {
        current.descendants().forEach(ProcessHandle::destroyForcibly);
        current.destroyForcibly();
        try {
          current.waitFor();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  static final String NAMESPACE = "default";

  private final Path jar;
  private final Path kubeconfig;
  private final Path logs;
  private final PrintStream out;
  private final List<Replica> replicas = new CopyOnWriteArrayList<>();
  private final AtomicInteger unexpectedExits = new AtomicInteger();
  private final Thread watcher;
  private volatile boolean closed;

  OperatorReplicas(Path root, Path kubeconfig, Path logs, PrintStream out) {
    this.jar = root.resolve("operator/target/tessera-operator.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar) || !Files.isDirectory(jar.resolveSibling("lib"))) {
      throw new IllegalStateException(
          "the operator jar is not at "
              + jar
              + " (with lib/ beside it); build it first: ./mvnw -B -ntp -o package -pl local -am"
              + " -DskipTests");
    }
    this.kubeconfig = kubeconfig.toAbsolutePath();
    this.logs = logs;
    this.out = out;
    replicas.add(new Replica("a"));
    replicas.add(new Replica("b"));
    watcher = new Thread(this::restartEnded, "chaos-operator-watcher");
    watcher.setDaemon(true);
  }

  void start() {
    replicas.forEach(Replica::start);
    watcher.start();
  }

  List<Replica> replicas() {
    return replicas;
  }

  /** Processes that ended without being killed (a lost lead, a failed start), then restarted. */
  int unexpectedExits() {
    return unexpectedExits.get();
  }

  /** The replica whose current process holds the leader Lease, if any. */
  Optional<Replica> leader(KubernetesClient client) {
    Lease lease =
        client.leases().inNamespace(NAMESPACE).withName(OperatorConfig.LEADER_LEASE).get();
    String holder =
        lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    return replicas.stream()
        .filter(r -> r.alive() && holder != null && holder.equals(r.identity()))
        .findFirst();
  }

  /** Waits until a live replica leads, up to {@code timeout}. */
  Optional<Replica> awaitLeader(KubernetesClient client, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Replica> leader = leader(client);
      if (leader.isPresent()) {
        return leader;
      }
      Thread.sleep(200);
    }
    return Optional.empty();
  }

  private void restartEnded() {
    while (!closed) {
      for (Replica replica : replicas) {
        synchronized (replica) {
          if (!closed && !replica.down && replica.process != null && !replica.process.isAlive()) {
            unexpectedExits.incrementAndGet();
            out.printf(
                "[chaos %s] operator %s ended by itself (exit %d); restarting it%n",
                java.time.LocalTime.now().withNano(0),
                replica.identity,
                replica.process.exitValue());
            replica.down = true;
            Thread restart =
                new Thread(
                    () -> {
                      try {
                        Thread.sleep(RESTART_BACKOFF.toMillis());
                      } catch (InterruptedException e) {
                        return;
                      }
                      synchronized (replica) {
                        if (!closed && replica.down) {
                          replica.start();
                        }
                      }
                    },
                    "chaos-operator-restart");
            restart.setDaemon(true);
            restart.start();
          }
        }
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Kills every replica's process (and anything it started). */
  @Override
  public void close() {
    closed = true;
    watcher.interrupt();
    replicas.forEach(Replica::stop);
  }
}

package dev.tessera.local.bench;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.local.LocalMode;
import dev.tessera.operator.CommonPool;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a session costs a Run, end to end in local mode with real Chromium and the demo site: the
 * time from creating a Run to its Succeeded status, for a Run on a Ready session (one Pod: check,
 * then the API) and for a Run that finds the session expired (its Pod's checks fail, an
 * AuthSession:Validate Run logs in under the lock, a second Pod checks and runs the API).
 *
 * <p>Usage: {@code scripts/bench-sessions [ROUNDS]}. Rounds alternate the two cases after one
 * warm-up of each; the figures are in docs/performance.md.
 */
public final class SessionRunBenchmark {
  private static final YAMLMapper YAML = new YAMLMapper();

  private SessionRunBenchmark() {}

  public static void main(String[] args) throws Exception {
    CommonPool.size(); // as the operator's main does
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path root = Path.of(System.getProperty("tessera.root", "..")).toAbsolutePath().normalize();
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    try (LocalMode local =
        LocalMode.start(
            new LocalMode.Options(
                root,
                Files.createTempDirectory("tessera-bench").resolve("kubeconfig"),
                0,
                true,
                0,
                quiet))) {
      KubernetesClient client = local.client();
      awaitReady(client);
      List<Long> ready = new ArrayList<>();
      List<Long> recreating = new ArrayList<>();
      long loginsBefore = local.site().stats().loginsOf("alice").succeeded();
      for (int round = 0; round <= rounds; round++) {
        long readyMs = timeRun(client, "bench-ready-" + round);
        local.site().expireSessions();
        long recreatingMs = timeRun(client, "bench-recreate-" + round);
        awaitReady(client);
        if (round > 0) {
          ready.add(readyMs);
          recreating.add(recreatingMs);
        }
        System.out.printf(
            "round %d%s: ready session %d ms, expired session %d ms%n",
            round, round == 0 ? " (warm-up)" : "", readyMs, recreatingMs);
      }
      long logins = local.site().stats().loginsOf("alice").succeeded() - loginsBefore;
      System.out.printf("logins at the site: %d for %d expired-session Runs%n", logins, rounds + 1);
      System.out.println();
      System.out.println("| Run | median (ms) | best (ms) |");
      System.out.println("|---|---:|---:|");
      System.out.printf("| on a Ready session | %d | %d |%n", median(ready), min(ready));
      System.out.printf(
          "| on an expired session (recreated) | %d | %d |%n", median(recreating), min(recreating));
    }
  }

  private static long timeRun(KubernetesClient client, String name) throws Exception {
    Run run =
        YAML.readValue(
            "{apiVersion: tessera.dev/v1alpha1, kind: Run, metadata: {name: "
                + name
                + ", namespace: default}, spec: {project: demo-site, api: me, authSession: {name:"
                + " demo-alice}}}",
            Run.class);
    long start = System.nanoTime();
    client.resource(run).create();
    while (true) {
      Run current = client.resources(Run.class).inNamespace("default").withName(name).get();
      String phase = current.getStatus() == null ? null : current.getStatus().getPhase();
      if ("Succeeded".equals(phase)) {
        return (System.nanoTime() - start) / 1_000_000;
      }
      if (phase != null && List.of("Failed", "Canceled", "Rejected").contains(phase)) {
        throw new IllegalStateException(
            name + " ended " + phase + ": " + current.getStatus().getMessage());
      }
      Thread.sleep(20);
    }
  }

  private static void awaitReady(KubernetesClient client) throws InterruptedException {
    for (int i = 0; i < 6000; i++) {
      AuthSession session =
          client.resources(AuthSession.class).inNamespace("default").withName("demo-alice").get();
      if (session != null
          && session.getStatus() != null
          && "Ready".equals(session.getStatus().getPhase())
          && session.getStatus().getLockHolder() == null) {
        return;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("demo-alice did not become Ready");
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static long min(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).min().orElseThrow();
  }
}

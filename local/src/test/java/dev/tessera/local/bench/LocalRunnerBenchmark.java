package dev.tessera.local.bench;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
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
import java.util.Locale;

/**
 * How fast local mode's runners go, started as the image starts them (its JVM options, a class-data
 * archive, a driver extracted once) against a plain {@code java -jar} that extracts the driver
 * itself: RUNS trivial Runs with real Chromium (a page of the public catalog, no login) created at
 * once, timed from the first create to the last Succeeded, in one local mode per configuration, one
 * after the other. Not a test: {@code scripts/bench-local [RUNS]}.
 */
public final class LocalRunnerBenchmark {
  private static final YAMLMapper YAML = new YAMLMapper();

  private LocalRunnerBenchmark() {}

  public static void main(String[] args) throws Exception {
    CommonPool.size(); // as the operator's main does
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    Path root = Path.of(System.getProperty("tessera.root", "..")).toAbsolutePath().normalize();
    String loadBefore = load();
    List<String> rows = new ArrayList<>();
    double plain = 0;
    double image = 0;
    for (String start : List.of("plain", "image")) {
      System.setProperty("tessera.local.runnerStart", start);
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
        // one Run first, so that the archive and the driver exist before the clock starts
        awaitAll(client, create(client, start + "-warm", 1));
        long begin = System.nanoTime();
        List<String> names = create(client, start, runs);
        awaitAll(client, names);
        double seconds = (System.nanoTime() - begin) / 1e9;
        double rate = runs / seconds;
        if (start.equals("plain")) {
          plain = rate;
        } else {
          image = rate;
        }
        rows.add(
            String.format(
                Locale.ROOT, "| %s | %d | %.1f s | %.2f Runs/s |", start, runs, seconds, rate));
      }
    }
    System.out.printf(
        "%nlocal mode, %d trivial Runs with real Chromium (catalog page 1), %d cores, at most %d"
            + " runner processes at once; load average before %s, after %s%n%n",
        runs,
        Runtime.getRuntime().availableProcessors(),
        2 * Runtime.getRuntime().availableProcessors(),
        loadBefore,
        load());
    System.out.println("| runners started | Runs | created to all Succeeded | throughput |");
    System.out.println("|---|---:|---:|---:|");
    rows.forEach(System.out::println);
    System.out.printf(Locale.ROOT, "%nimage start / plain start: %.2fx%n", image / plain);
  }

  private static List<String> create(KubernetesClient client, String prefix, int count)
      throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      String name = "bench-" + prefix + "-" + i;
      client
          .resource(
              YAML.readValue(
                  "{apiVersion: tessera.dev/v1alpha1, kind: Run, metadata: {name: "
                      + name
                      + ", namespace: default}, spec: {project: demo-catalog, api: products,"
                      + " parameters: {page: 1}}}",
                  Run.class))
          .create();
      names.add(name);
    }
    return names;
  }

  private static void awaitAll(KubernetesClient client, List<String> names) throws Exception {
    for (String name : names) {
      while (true) {
        Run run = client.resources(Run.class).inNamespace("default").withName(name).get();
        String phase = run == null || run.getStatus() == null ? null : run.getStatus().getPhase();
        if ("Succeeded".equals(phase)) {
          break;
        }
        if (phase != null && !phase.equals("Pending") && !phase.equals("Running")) {
          throw new IllegalStateException(name + " ended " + phase);
        }
        Thread.sleep(100);
      }
    }
  }

  private static String load() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (Exception e) {
      return "unknown";
    }
  }
}

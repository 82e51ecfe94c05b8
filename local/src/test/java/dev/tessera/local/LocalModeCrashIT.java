package dev.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.demosite.DemoSite;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local mode killed with SIGKILL, as a crash or {@code kill -9} does, then started again with the
 * same kubeconfig: the runner processes and Pod folders the first one left are gone.
 */
class LocalModeCrashIT {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Duration START = Duration.ofSeconds(120);

  @TempDir Path temp;

  private final List<Process> localModes = new ArrayList<>();
  private final List<ProcessHandle> runnerTree = new ArrayList<>();
  private DemoSite site;
  private Path podDirectory;

  @AfterEach
  void stopEverything() throws InterruptedException {
    for (Process localMode : localModes) {
      localMode.destroy();
      if (!localMode.waitFor(30, TimeUnit.SECONDS)) {
        localMode.destroyForcibly();
      }
    }
    runnerTree.forEach(ProcessHandle::destroyForcibly);
    if (site != null) {
      site.close();
    }
    if (podDirectory != null) {
      Path work = podDirectory.getParent().getParent();
      if (work.getFileName().toString().startsWith("tessera-local-pods-")) {
        deleteRecursively(work);
      }
    }
  }

  @Test
  void aRestartAfterSigkillKillsTheRunnersAndRemovesThePodFoldersOfTheFirstInstance()
      throws Exception {
    Path kubeconfig = temp.resolve("state").resolve("kubeconfig");
    site = DemoSite.start(DemoSite.Options.defaults().withPort(0));
    Process first = startLocalMode(kubeconfig, "first");
    String crashPod;

    try (KubernetesClient client = client(kubeconfig)) {
      LocalMode.apply(client, ROOT.resolve("examples/catalog/project.yaml"), site.baseUrl());
      client
          .resource(
              new YAMLMapper()
                  .readValue(
                      """
                      apiVersion: tessera.dev/v1alpha1
                      kind: Run
                      metadata: {name: crash, namespace: default}
                      spec:
                        project: demo-catalog
                        api: slow
                        parameters: {ms: 600000}
                        timeoutSeconds: 600
                        retry: {maxAttempts: 1}
                      """,
                      Run.class))
          .create();
      crashPod = LocalCluster.attemptPod(client, "crash", 1);
    }
    ProcessHandle runner =
        await()
            .atMost(START)
            .pollInterval(Duration.ofMillis(250))
            .until(
                () -> processWithEnvironment("TESSERA_ATTEMPT_POD=" + crashPod),
                Optional::isPresent)
            .orElseThrow();
    await()
        .atMost(START)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                runner
                    .descendants()
                    .anyMatch(p -> commandLine(p).contains("chrom") && p.isAlive()));
    runnerTree.add(runner);
    runner.descendants().forEach(runnerTree::add);
    podDirectory = Path.of(environment(runner).get("HOME")).getParent();
    ProcessHandle.allProcesses()
        .filter(p -> commandLine(p).contains(podDirectory.toString()) && !runnerTree.contains(p))
        .forEach(runnerTree::add);
    List<Path> profiles =
        runnerTree.stream()
            .flatMap(p -> Stream.of(commandLine(p).split(" ")))
            .filter(arg -> arg.startsWith("--user-data-dir="))
            .map(arg -> Path.of(arg.substring("--user-data-dir=".length())))
            .distinct()
            .toList();
    assertThat(podDirectory.resolve("volumes")).isDirectory();

    first.destroyForcibly();
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(2000);
    assertThat(runner.isAlive())
        .as("the runner outlives a local mode killed with SIGKILL")
        .isTrue();
    assertThat(podDirectory).as("the Pod folder of a killed local mode").isDirectory();

    startLocalMode(kubeconfig, "second");

    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              assertThat(runnerTree)
                  .as("the runner, its browser driver and Chromium's processes of the first one")
                  .noneMatch(ProcessHandle::isAlive);
              assertThat(podDirectory).doesNotExist();
            });
    assertThat(profiles).as("Chromium's profile of the first local mode").noneMatch(Files::exists);
  }

  /** Starts local mode as users do, from its jar, and returns once it printed "ready". */
  private Process startLocalMode(Path kubeconfig, String name) throws Exception {
    Path jar = ROOT.resolve("local/target/tessera-local.jar");
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString(),
                "--root",
                ROOT.toString(),
                "--kubeconfig",
                kubeconfig.toString(),
                "--no-demo")
            .redirectErrorStream(true)
            .start();
    localModes.add(process);
    CountDownLatch ready = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  System.out.println("[" + name + " local mode] " + line);
                  if (line.startsWith("ready")) {
                    ready.countDown();
                  }
                }
              } catch (IOException e) {
                // the process is gone
              }
            },
            name + "-local-mode-output");
    reader.setDaemon(true);
    reader.start();
    assertThat(ready.await(START.toSeconds(), TimeUnit.SECONDS))
        .as("%s local mode printed ready", name)
        .isTrue();
    return process;
  }

  private static KubernetesClient client(Path kubeconfig) throws IOException {
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
        .build();
  }

  /** A process of this user whose environment holds {@code entry} ({@code NAME=value}). */
  private static Optional<ProcessHandle> processWithEnvironment(String entry) {
    return ProcessHandle.allProcesses()
        .filter(p -> readEnviron(p).contains("\0" + entry + "\0"))
        .findFirst();
  }

  private static Map<String, String> environment(ProcessHandle process) {
    Map<String, String> environment = new HashMap<>();
    for (String entry : readEnviron(process).split("\0")) {
      int equals = entry.indexOf('=');
      if (equals > 0) {
        environment.put(entry.substring(0, equals), entry.substring(equals + 1));
      }
    }
    return environment;
  }

  private static String readEnviron(ProcessHandle process) {
    try {
      byte[] environ =
          Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "environ"));
      return "\0" + new String(environ, StandardCharsets.ISO_8859_1);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static String commandLine(ProcessHandle process) {
    return process.info().commandLine().orElse("");
  }

  private static void deleteRecursively(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      List<Path> all = paths.toList();
      all.forEach(path -> path.toFile().setWritable(true, true));
      for (Path path : all.stream().sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException | RuntimeException e) {
      System.out.println("could not delete " + directory + ": " + e);
    }
  }
}

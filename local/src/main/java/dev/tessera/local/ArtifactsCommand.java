package dev.tessera.local;

import dev.tessera.api.v1alpha1.ArtifactStatus;
import dev.tessera.api.v1alpha1.AttemptStatus;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.operator.artifacts.ArtifactStore;
import dev.tessera.operator.artifacts.ArtifactStoreConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tessera-local artifacts RUN}: downloads what an Attempt of a Run kept, from local mode's
 * store or a cluster's. The Run's status names the objects; the store's address and keys come from
 * local mode's settings file, a file of the same form, or {@code TESSERA_ARTIFACTS_*} variables.
 */
final class ArtifactsCommand {
  /**
   * @param run the Run's name
   * @param namespace its namespace
   * @param attempt the Attempt's number, or null for the last one that kept artifacts
   * @param to where the files go, or null for {@code <run>-attempt-<n>/}
   * @param kubeconfig the cluster (local mode's kubeconfig by default)
   * @param store a settings file with the store's {@code TESSERA_ARTIFACTS_*} values, or null for
   *     the environment's
   */
  record Options(
      String run, String namespace, Integer attempt, Path to, Path kubeconfig, Path store) {}

  private final Options options;
  private final PrintStream out;

  ArtifactsCommand(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Downloads the files; returns the exit status (0, or 1 with a message on stderr). */
  int call() throws IOException {
    Run run;
    try (KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(Files.readString(options.kubeconfig())))
            .build()) {
      run =
          client
              .resources(Run.class)
              .inNamespace(options.namespace())
              .withName(options.run())
              .get();
    }
    if (run == null) {
      return fail("no Run " + options.namespace() + "/" + options.run());
    }
    AttemptStatus attempt = attempt(run);
    if (attempt == null) {
      return fail(
          options.attempt() == null
              ? "no Attempt of Run " + options.run() + " kept artifacts"
              : "Attempt " + options.attempt() + " of Run " + options.run() + " kept no artifacts");
    }
    ArtifactStoreConfig config = ArtifactStoreConfig.fromEnv(storeSettings());
    if (config == null) {
      return fail(
          "no artifact store: pass --store FILE (local mode writes .tessera/"
              + LocalArtifactStore.SETTINGS_FILE
              + ") or set TESSERA_ARTIFACTS_BUCKET and the other TESSERA_ARTIFACTS_* variables");
    }
    Path to =
        options.to() != null
            ? options.to()
            : Path.of(options.run() + "-attempt-" + attempt.getNumber());
    Files.createDirectories(to);
    try (ArtifactStore store = new ArtifactStore(config)) {
      for (ArtifactStatus artifact : attempt.getArtifacts()) {
        Path file = to.resolve(artifact.getName());
        try (InputStream in = store.get(artifact.getKey())) {
          Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        out.printf("%s  %s, %d bytes%n", file, artifact.getKind(), Files.size(file));
      }
    }
    if (attempt.getArtifacts().stream().anyMatch(a -> a.getName().equals("trace.zip"))) {
      out.println(
          "open the trace with Playwright's trace viewer: npx playwright show-trace "
              + to.resolve("trace.zip"));
    }
    return 0;
  }

  private AttemptStatus attempt(Run run) {
    List<AttemptStatus> attempts =
        run.getStatus() == null || run.getStatus().getAttempts() == null
            ? List.of()
            : run.getStatus().getAttempts();
    AttemptStatus chosen = null;
    for (AttemptStatus attempt : attempts) {
      boolean kept = attempt.getArtifacts() != null && !attempt.getArtifacts().isEmpty();
      if (options.attempt() == null ? kept : attempt.getNumber().equals(options.attempt())) {
        chosen = kept ? attempt : null;
      }
    }
    return chosen;
  }

  private Map<String, String> storeSettings() throws IOException {
    Map<String, String> settings = new HashMap<>(System.getenv());
    if (options.store() != null) {
      settings.putAll(LocalArtifactStore.readSettings(options.store()));
    }
    return settings;
  }

  private static int fail(String message) {
    System.err.println(message);
    return 1;
  }
}

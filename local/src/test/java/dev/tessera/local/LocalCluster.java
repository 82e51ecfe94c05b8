package dev.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.JobRun;
import dev.tessera.api.v1alpha1.Run;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Local mode as the README starts it (embedded API, operator, executor, demo site and the
 * examples), with what integration tests ask of it: read Runs and AuthSessions of the default
 * namespace, create from YAML, wait for a Run to end or a session to reach a phase.
 */
final class LocalCluster {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final YAMLMapper YAML = new YAMLMapper();

  private LocalCluster() {}

  /** A list of every log event of this JVM from now on (the operator's and local mode's). */
  static ListAppender<ILoggingEvent> captureLogs() {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    ((LoggerContext) LoggerFactory.getILoggerFactory())
        .getLogger(Logger.ROOT_LOGGER_NAME)
        .addAppender(logs);
    return logs;
  }

  /** Starts local mode with the demo, its progress lines on standard output. */
  static LocalMode startDemo() throws IOException {
    return LocalMode.start(
        new LocalMode.Options(
            ROOT,
            Files.createTempDirectory("tessera-it").resolve("kubeconfig"),
            0,
            true,
            0,
            System.out));
  }

  static Run run(KubernetesClient client, String name) {
    return client.resources(Run.class).inNamespace("default").withName(name).get();
  }

  static AuthSession session(KubernetesClient client, String name) {
    return client.resources(AuthSession.class).inNamespace("default").withName(name).get();
  }

  /** Creates an object from its YAML. */
  static <T extends HasMetadata> T create(KubernetesClient client, String yaml, Class<T> type)
      throws IOException {
    return client.resource(YAML.readValue(yaml, type)).create();
  }

  /**
   * The name of the Pod of Attempt {@code attempt} of a Run in the default namespace (waits for the
   * Run to exist): {@code <run>-<uid>-a<attempt>}.
   */
  static String attemptPod(KubernetesClient client, String run, int attempt) {
    Run stored =
        await().atMost(Duration.ofSeconds(30)).until(() -> run(client, run), r -> r != null);
    return dev.tessera.operator.naming.Names.attemptPod(
        run, stored.getMetadata().getUid(), attempt);
  }

  /** Waits for a Run to reach a final phase, and returns it. */
  static Run awaitFinished(KubernetesClient client, String name) {
    await()
        .atMost(Duration.ofSeconds(180))
        .until(
            () ->
                run(client, name) != null
                    && run(client, name).getStatus() != null
                    && List.of("Succeeded", "Failed", "Canceled", "Rejected")
                        .contains(run(client, name).getStatus().getPhase()));
    return run(client, name);
  }

  /** Waits for a JobRun to reach one of the phases, and returns it. */
  static JobRun awaitJobRun(KubernetesClient client, String name, String... phases) {
    await()
        .atMost(Duration.ofSeconds(240))
        .until(
            () -> {
              JobRun jobRun =
                  client.resources(JobRun.class).inNamespace("default").withName(name).get();
              return jobRun != null
                  && jobRun.getStatus() != null
                  && List.of(phases).contains(jobRun.getStatus().getPhase());
            });
    return client.resources(JobRun.class).inNamespace("default").withName(name).get();
  }

  /** Waits for a session to reach {@code phase} (failing at once if it ends Failed instead). */
  static AuthSession awaitSession(KubernetesClient client, String name, String phase) {
    await()
        .atMost(Duration.ofSeconds(150))
        .until(
            () -> {
              // one read per look: three reads could each see a different moment
              AuthSession seen = session(client, name);
              return seen != null
                  && seen.getStatus() != null
                  && List.of(phase, "Failed").contains(seen.getStatus().getPhase());
            });
    AuthSession session = session(client, name);
    assertThat(session.getStatus().getPhase())
        .as(session.getStatus().getMessage())
        .isEqualTo(phase);
    return session;
  }
}

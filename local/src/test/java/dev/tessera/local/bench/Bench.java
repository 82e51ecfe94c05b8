package dev.tessera.local.bench;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import dev.tessera.local.LocalMode;
import dev.tessera.local.cluster.ImageResolver;
import dev.tessera.local.cluster.InstantRunner;
import dev.tessera.local.cluster.LocalExecutor;
import dev.tessera.local.cluster.LocalImage;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/** What the benchmarks share: the operator's local configuration, the load, logs to a file. */
final class Bench {
  private Bench() {}

  /**
   * The local executor in instant mode: each Pod is prepared as for a runner process and answered
   * at once through the results endpoint (orchestration benchmarks only).
   */
  static LocalExecutor instantExecutor(KubernetesClient client, int maxConcurrentPods) {
    return LocalExecutor.builder(client)
        .imageResolver(
            ImageResolver.builder()
                // never run: the instant runner answers instead
                .map(LocalMode.RUNNER_IMAGE_PATTERN, LocalImage.of("tessera-runner"))
                .build())
        .maxConcurrentPods(maxConcurrentPods)
        .instantRunner(new InstantRunner())
        .start();
  }

  /** The machine's load average (1, 5 and 15 minutes). */
  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return String.format(
          Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  /** This JVM's logs go to a file, at the levels the test configuration sets. */
  static void logTo(Path file) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n");
    encoder.start();
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setContext(context);
    appender.setName("file");
    appender.setFile(file.toString());
    appender.setEncoder(encoder);
    appender.start();
    root.addAppender(appender);
  }
}

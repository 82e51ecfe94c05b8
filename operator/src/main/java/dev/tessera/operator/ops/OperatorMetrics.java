package dev.tessera.operator.ops;

import dev.tessera.api.v1alpha1.Run;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The operator's Prometheus metrics: Runs by phase, finished Runs, Attempt durations, and what
 * sessions cost: checks, creates, recreations and waits for a session's lock. The same registry
 * carries the Java Operator SDK's meters of each controller ({@link #controllerMetrics}).
 */
public class OperatorMetrics {
  private static final List<String> PHASES =
      List.of("Pending", "Running", "Succeeded", "Failed", "Canceled", "Rejected");

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private volatile Supplier<Collection<Run>> runs = List::of;

  public OperatorMetrics() {
    for (String phase : PHASES) {
      Gauge.builder("tessera_runs", () -> count(phase))
          .description("Runs by phase, from the operator's cache")
          .tag("phase", phase)
          .register(registry);
    }
  }

  /**
   * The SDK's meters of every controller on this registry: reconciliations started, succeeded and
   * failed, their durations, events received, and the reconciliations queued and running. Per
   * controller (resource kind), not per resource: a tag per object would make a series of every Run
   * that ever existed.
   */
  public Metrics controllerMetrics() {
    return MicrometerMetrics.newMicrometerMetricsBuilder(registry)
        .notCollectingMetricsPerResource()
        .build();
  }

  /** Where the Runs gauge reads from (the Run informer's cache). */
  public void watchRuns(Supplier<Collection<Run>> runs) {
    this.runs = runs;
  }

  /** An Attempt ended, with the given phase, after the given time. */
  public void attemptEnded(String phase, Duration duration) {
    Timer.builder("tessera_attempt_duration")
        .description("Time from an Attempt's start to its end")
        .tag("phase", phase)
        .publishPercentileHistogram()
        .register(registry)
        .record(duration);
  }

  /** A Run reached a final phase. */
  public void runFinished(String phase, String reason) {
    Counter.builder("tessera_runs_finished")
        .description("Runs that reached a final phase")
        .tag("phase", phase)
        .tag("reason", reason == null ? "" : reason)
        .register(registry)
        .increment();
  }

  /** Checks a runner reported (every try counts). */
  public void sessionChecks(int checks) {
    counter("tessera_session_checks", "Checks of AuthSession states run by runners")
        .increment(checks);
  }

  /** Creates (logins) a runner reported (every try counts). */
  public void sessionCreates(int creates) {
    counter("tessera_session_creates", "Creates (logins) run by runners").increment(creates);
  }

  /** An AuthSession:Validate operation logged in again because its state was invalid. */
  public void sessionRecreated() {
    counter("tessera_session_recreations", "AuthSession states recreated after they expired")
        .increment();
  }

  /** An Attempt began to wait for a session operation (a lock holder or a recreation). */
  public void sessionLockWait() {
    counter(
            "tessera_session_lock_waits",
            "Attempts that waited for a session operation before they validated")
        .increment();
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }

  private double count(String phase) {
    return runs.get().stream()
        .filter(
            r ->
                Objects.equals(
                    phase,
                    r.getStatus() == null || r.getStatus().getPhase() == null
                        ? "Pending"
                        : r.getStatus().getPhase()))
        .count();
  }
}

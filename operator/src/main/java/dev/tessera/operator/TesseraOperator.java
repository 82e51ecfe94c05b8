package dev.tessera.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.operator.artifacts.ArtifactStore;
import dev.tessera.operator.artifacts.ArtifactSweeper;
import dev.tessera.operator.job.JobReconciler;
import dev.tessera.operator.job.JobRunReconciler;
import dev.tessera.operator.ops.Liveness;
import dev.tessera.operator.ops.OperatorMetrics;
import dev.tessera.operator.ops.OpsServer;
import dev.tessera.operator.project.ProjectReconciler;
import dev.tessera.operator.results.AttemptTokens;
import dev.tessera.operator.results.ResultsEndpoint;
import dev.tessera.operator.results.ResultsKey;
import dev.tessera.operator.run.RunReconciler;
import dev.tessera.operator.session.AuthSessionReconciler;
import dev.tessera.operator.status.EventRecorder;
import dev.tessera.operator.status.UnreadableObjects;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator as one unit: the reconcilers on JOSDK, the results endpoint and the ops server. The
 * same assembly runs in a cluster ({@link OperatorMain}) and in local mode.
 */
public final class TesseraOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TesseraOperator.class);

  /**
   * The User-Agent of every request the operator makes, so that an API server's audit log (and
   * local mode's) tells the operator's requests from everyone else's.
   */
  public static final String USER_AGENT = "tessera-operator";

  /**
   * How long a stop waits for running reconciliations: short enough that a process that must exit
   * stops in order within {@link ProcessExit#STOP_BUDGET}.
   */
  private static final Duration RECONCILIATION_TERMINATION = Duration.ofSeconds(5);

  private final Operator operator;
  private final ResultsEndpoint results;
  private final OpsServer ops;
  private final OperatorConfig config;
  private final OperatorMetrics metrics;
  private final Liveness liveness;
  private final ArtifactStore artifacts;
  private final ArtifactSweeper sweeper;

  private TesseraOperator(
      Operator operator,
      ResultsEndpoint results,
      OpsServer ops,
      OperatorConfig config,
      OperatorMetrics metrics,
      Liveness liveness,
      ArtifactStore artifacts,
      ArtifactSweeper sweeper) {
    this.artifacts = artifacts;
    this.sweeper = sweeper;
    this.operator = operator;
    this.results = results;
    this.ops = ops;
    this.config = config;
    this.metrics = metrics;
    this.liveness = liveness;
  }

  /**
   * A client for the operator: {@code config} (which this sets the User-Agent of) as a client,
   * whose informers read an object they cannot map to the model as unreadable instead of failing
   * (see {@link UnreadableObjects}).
   */
  public static KubernetesClient client(Config config) {
    config.setUserAgent(USER_AGENT);
    ObjectMapper mapper = new ObjectMapper().registerModule(UnreadableObjects.module());
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withKubernetesSerialization(new KubernetesSerialization(mapper, true))
        .build();
  }

  /**
   * Starts the operator against the cluster the client talks to.
   *
   * @param client the client (not closed by the operator)
   * @param config the configuration; a null {@code resultsUrl} means "this machine, the bound port"
   * @param exitOnFatal whether to end the process ({@link ProcessExit}, code {@value
   *     ProcessExit#FATAL}) when the controllers stop for good: another replica took the leadership
   *     this one held, or an informer stopped with an error. True in a cluster, where the Pod
   *     restarts; false when embedded, where the JVM is not the operator's to end and the operator
   *     only reports itself not live ({@link #liveness()}).
   */
  public static TesseraOperator start(
      KubernetesClient client, OperatorConfig config, Clock clock, boolean exitOnFatal)
      throws IOException {
    OperatorConfig keyed = config;
    AttemptTokens tokens =
        new AttemptTokens(
            () -> ResultsKey.load(client, keyed.leaseNamespace(), keyed.resultsKeySecret()));
    ResultsEndpoint results =
        ResultsEndpoint.start(
            client, tokens, config.resultsHost(), config.resultsPort(), config.maxResultBytes());
    if (config.resultsUrl() == null) {
      config = config.withResultsUrl(URI.create("http://127.0.0.1:" + results.port()));
    }
    OperatorMetrics metrics = new OperatorMetrics();
    EventRecorder events = new EventRecorder(client, clock, config.identity());
    OperatorConfig effective = config;
    ArtifactStore artifacts =
        effective.artifactStore() == null ? null : new ArtifactStore(effective.artifactStore());
    Liveness liveness = new Liveness();
    Consumer<String> stopped =
        reason -> {
          // a loss during close() is the stop itself: liveness has failed with STOPPED already
          if (liveness.fail(reason)) {
            LOG.error("the controllers stopped: {}", reason);
            if (exitOnFatal) {
              ProcessExit.exit(ProcessExit.FATAL, reason);
            }
          }
        };
    Operator operator =
        new Operator(
            overrider -> {
              overrider
                  .withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withUseSSAToPatchPrimaryResource(false)
                  .withSSABasedCreateUpdateMatchForDependentResources(false)
                  .withReconciliationTerminationTimeout(RECONCILIATION_TERMINATION)
                  .withMetrics(metrics.controllerMetrics())
                  // the SDK's own handler calls System.exit on the informer's thread
                  .withInformerStoppedHandler(
                      (informer, error) -> {
                        if (error != null && informer.hasSynced()) {
                          LOG.error("an informer stopped: {}", informer, error);
                          stopped.accept(Liveness.INFORMER_STOPPED);
                        }
                      });
              if (effective.leaderElection()) {
                overrider.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        effective.leaderLease(),
                        effective.leaseNamespace(),
                        Duration.ofSeconds(15),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(2),
                        effective.identity(),
                        new LeaderCallbacks(
                            () -> {}, () -> stopped.accept(Liveness.LEADERSHIP_LOST), leader -> {}),
                        // never the SDK's System.exit, which deadlocks: see ProcessExit
                        false));
              }
            });
    operator.register(
        new RunReconciler(effective, tokens, events, metrics, clock, artifacts),
        overrider -> {
          if (!effective.namespaces().isEmpty()) {
            overrider.settingNamespaces(effective.namespaces());
          }
        });
    operator.register(
        new ProjectReconciler(events, clock),
        overrider -> {
          if (!effective.namespaces().isEmpty()) {
            overrider.settingNamespaces(effective.namespaces());
          }
        });
    operator.register(
        new AuthSessionReconciler(events, clock, config),
        overrider -> {
          if (!effective.namespaces().isEmpty()) {
            overrider.settingNamespaces(effective.namespaces());
          }
        });
    operator.register(
        new JobRunReconciler(effective, events, clock),
        overrider -> {
          if (!effective.namespaces().isEmpty()) {
            overrider.settingNamespaces(effective.namespaces());
          }
        });
    operator.register(
        new JobReconciler(effective, events, clock),
        overrider -> {
          if (!effective.namespaces().isEmpty()) {
            overrider.settingNamespaces(effective.namespaces());
          }
        });
    OpsServer ops = null;
    if (config.opsPort() >= 0) {
      ops =
          OpsServer.start(
              config.opsHost(),
              config.opsPort(),
              () -> operator.getRuntimeInfo().allEventSourcesAreHealthy(),
              liveness,
              metrics);
    }
    try {
      operator.start();
    } catch (RuntimeException e) {
      // the endpoints' threads would keep the process alive, never ready, instead of failing
      operator.stop();
      results.close();
      if (ops != null) {
        ops.close();
      }
      throw e;
    }
    LOG.info(
        "operator started: results endpoint on port {}, runner pods report to {}, ops port {}",
        results.port(),
        effective.resultsUrl(),
        ops == null ? "off" : ops.port());
    ArtifactSweeper sweeper = null;
    if (artifacts != null) {
      LOG.info("artifacts: kept in {}", effective.artifactStore());
      sweeper =
          ArtifactSweeper.start(
              artifacts, client, effective.namespaces(), effective.artifactStore().sweepInterval());
    } else {
      LOG.info("artifacts: off (no TESSERA_ARTIFACTS_BUCKET)");
    }
    return new TesseraOperator(
        operator, results, ops, effective, metrics, liveness, artifacts, sweeper);
  }

  /** The configuration in effect (with the results URL filled in). */
  public OperatorConfig config() {
    return config;
  }

  /** The port of the ops server, or -1 when it is off. */
  public int opsPort() {
    return ops == null ? -1 : ops.port();
  }

  public OperatorMetrics metrics() {
    return metrics;
  }

  /** Whether the controllers still run: what {@code /healthz} answers. */
  public Liveness liveness() {
    return liveness;
  }

  /** Stops reconciling, then the endpoints. */
  @Override
  public void close() {
    liveness.fail(Liveness.STOPPED);
    operator.stop();
    results.close();
    if (ops != null) {
      ops.close();
    }
    if (sweeper != null) {
      sweeper.close();
    }
    if (artifacts != null) {
      artifacts.close();
    }
  }
}

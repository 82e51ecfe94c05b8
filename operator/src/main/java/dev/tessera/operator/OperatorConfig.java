package dev.tessera.operator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.api.protocol.Cidr;
import dev.tessera.api.v1alpha1.ResourceSpec;
import dev.tessera.operator.artifacts.ArtifactStoreConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How the operator process is set up, from environment variables (the chart sets them).
 *
 * @param runnerImage default image of runner Pods ({@code TESSERA_RUNNER_IMAGE})
 * @param runnerImagePullPolicy default pull policy of runner Pods ({@code
 *     TESSERA_RUNNER_IMAGE_PULL_POLICY})
 * @param runnerResources default resources of runner Pods, for projects that set none ({@code
 *     TESSERA_RUNNER_RESOURCES}: JSON, {@code {"requests":{"cpu":"500m"},"limits":{...}}}); null
 *     for the built-in defaults
 * @param resultsUrl the URL runner Pods post results to: the operator's Service ({@code
 *     TESSERA_RESULTS_URL})
 * @param resultsHost address the results endpoint binds to ({@code TESSERA_RESULTS_HOST})
 * @param resultsPort port of the results endpoint; 0 picks a free one ({@code
 *     TESSERA_RESULTS_PORT})
 * @param resultsKeySecret the Secret, in the operator's namespace, with the key of report tokens;
 *     made by the first replica that starts ({@code TESSERA_RESULTS_KEY_SECRET})
 * @param opsHost address the ops server binds to ({@code TESSERA_OPS_HOST}): every address in a
 *     cluster, where the kubelet and Prometheus reach the Pod's IP; loopback in local mode
 * @param opsPort port of /healthz, /readyz and /metrics; -1 turns it off ({@code TESSERA_OPS_PORT})
 * @param namespaces namespaces to watch; empty for all ({@code TESSERA_WATCH_NAMESPACES},
 *     comma-separated)
 * @param leaderElection whether to elect a leader among replicas ({@code TESSERA_LEADER_ELECTION})
 * @param leaderLease name of the leader-election Lease ({@code TESSERA_LEADER_LEASE}), one per
 *     installation
 * @param leaseNamespace namespace of the leader-election Lease ({@code POD_NAMESPACE})
 * @param identity this replica's name in Events and the leader Lease ({@code POD_NAME})
 * @param maxResultBytes largest result an Attempt may report ({@code TESSERA_MAX_RESULT_BYTES})
 * @param sessionLockDuration how long a session operation keeps its session's lock without renewing
 *     it, so that a holder that died frees the session after this time ({@code
 *     TESSERA_SESSION_LOCK_SECONDS})
 * @param secretRecheck how often a session reads its credentials and proxy Secrets again, which the
 *     operator does not watch ({@code TESSERA_SECRET_RECHECK_SECONDS})
 * @param runnerBlockedNetworks networks every runner Pod refuses to connect to, besides the
 *     Kubernetes API and link-local addresses ({@code TESSERA_RUNNER_BLOCKED_NETWORKS}:
 *     comma-separated CIDRs)
 * @param artifactStore where Attempts keep what the browser saw; null when no bucket is set ({@code
 *     TESSERA_ARTIFACTS_*}, see {@link ArtifactStoreConfig})
 */
public record OperatorConfig(
    String runnerImage,
    String runnerImagePullPolicy,
    ResourceSpec runnerResources,
    URI resultsUrl,
    String resultsHost,
    int resultsPort,
    String resultsKeySecret,
    String opsHost,
    int opsPort,
    Set<String> namespaces,
    boolean leaderElection,
    String leaderLease,
    String leaseNamespace,
    String identity,
    int maxResultBytes,
    Duration sessionLockDuration,
    Duration secretRecheck,
    List<Cidr> runnerBlockedNetworks,
    ArtifactStoreConfig artifactStore) {

  /** The runner image this release ships with. */
  public static final String DEFAULT_RUNNER_IMAGE = "ghcr.io/tessera-dev/tessera-runner:0.1.0";

  /** Every environment variable {@link #fromEnv} reads. */
  public static final Set<String> VARIABLES =
      Set.of(
          "TESSERA_RUNNER_IMAGE",
          "TESSERA_RUNNER_IMAGE_PULL_POLICY",
          "TESSERA_RUNNER_RESOURCES",
          "TESSERA_RESULTS_URL",
          "TESSERA_RESULTS_HOST",
          "TESSERA_RESULTS_PORT",
          "TESSERA_RESULTS_KEY_SECRET",
          "TESSERA_OPS_HOST",
          "TESSERA_OPS_PORT",
          "TESSERA_WATCH_NAMESPACES",
          "TESSERA_LEADER_ELECTION",
          "TESSERA_LEADER_LEASE",
          "POD_NAMESPACE",
          "POD_NAME",
          "TESSERA_MAX_RESULT_BYTES",
          "TESSERA_SESSION_LOCK_SECONDS",
          "TESSERA_SECRET_RECHECK_SECONDS",
          "TESSERA_RUNNER_BLOCKED_NETWORKS",
          "TESSERA_ARTIFACTS_ENDPOINT",
          "TESSERA_ARTIFACTS_BUCKET",
          "TESSERA_ARTIFACTS_REGION",
          "TESSERA_ARTIFACTS_PATH_STYLE",
          "TESSERA_ARTIFACTS_ACCESS_KEY_ID",
          "TESSERA_ARTIFACTS_SECRET_ACCESS_KEY",
          "TESSERA_ARTIFACTS_SWEEP_SECONDS");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Name of the leader-election Lease unless {@code TESSERA_LEADER_LEASE} names another. */
  public static final String LEADER_LEASE = "tessera-leader";

  /** Reads the configuration from environment variables, with defaults for a cluster install. */
  public static OperatorConfig fromEnv(Map<String, String> env) {
    String namespaces = env.getOrDefault("TESSERA_WATCH_NAMESPACES", "");
    return new OperatorConfig(
        env.getOrDefault("TESSERA_RUNNER_IMAGE", DEFAULT_RUNNER_IMAGE),
        env.getOrDefault("TESSERA_RUNNER_IMAGE_PULL_POLICY", "IfNotPresent"),
        runnerResources(env.get("TESSERA_RUNNER_RESOURCES")),
        URI.create(
            env.getOrDefault("TESSERA_RESULTS_URL", "http://tessera.tessera-system.svc:8081")),
        env.getOrDefault("TESSERA_RESULTS_HOST", "0.0.0.0"),
        Integer.parseInt(env.getOrDefault("TESSERA_RESULTS_PORT", "8081")),
        env.getOrDefault("TESSERA_RESULTS_KEY_SECRET", "tessera-results-key"),
        env.getOrDefault("TESSERA_OPS_HOST", "0.0.0.0"),
        Integer.parseInt(env.getOrDefault("TESSERA_OPS_PORT", "8080")),
        Arrays.stream(namespaces.split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet()),
        Boolean.parseBoolean(env.getOrDefault("TESSERA_LEADER_ELECTION", "true")),
        env.getOrDefault("TESSERA_LEADER_LEASE", LEADER_LEASE),
        env.getOrDefault("POD_NAMESPACE", "tessera-system"),
        env.getOrDefault("POD_NAME", "tessera-operator-" + ProcessHandle.current().pid()),
        Integer.parseInt(
            env.getOrDefault("TESSERA_MAX_RESULT_BYTES", Integer.toString(256 * 1024))),
        Duration.ofSeconds(
            Integer.parseInt(env.getOrDefault("TESSERA_SESSION_LOCK_SECONDS", "30"))),
        Duration.ofSeconds(
            Integer.parseInt(env.getOrDefault("TESSERA_SECRET_RECHECK_SECONDS", "30"))),
        blockedNetworks(env.get("TESSERA_RUNNER_BLOCKED_NETWORKS")),
        ArtifactStoreConfig.fromEnv(env));
  }

  private static List<Cidr> blockedNetworks(String value) {
    try {
      return List.copyOf(Cidr.parseList(value));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("TESSERA_RUNNER_BLOCKED_NETWORKS: " + e.getMessage(), e);
    }
  }

  private static ResourceSpec runnerResources(String json) {
    if (json == null || json.isBlank()) {
      return null;
    }
    try {
      return JSON.readValue(json, ResourceSpec.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "TESSERA_RUNNER_RESOURCES is not a resources object such as"
              + " {\"requests\":{\"cpu\":\"500m\",\"memory\":\"1Gi\"},\"limits\":{\"memory\":\"2Gi\"}}: "
              + e.getOriginalMessage(),
          e);
    }
  }

  /** The same configuration with another results URL (local mode learns it after binding). */
  public OperatorConfig withResultsUrl(URI url) {
    return new OperatorConfig(
        runnerImage,
        runnerImagePullPolicy,
        runnerResources,
        url,
        resultsHost,
        resultsPort,
        resultsKeySecret,
        opsHost,
        opsPort,
        namespaces,
        leaderElection,
        leaderLease,
        leaseNamespace,
        identity,
        maxResultBytes,
        sessionLockDuration,
        secretRecheck,
        runnerBlockedNetworks,
        artifactStore);
  }

  /** The same configuration with another results port (a restarted operator keeps its port). */
  public OperatorConfig withResultsPort(int port) {
    return new OperatorConfig(
        runnerImage,
        runnerImagePullPolicy,
        runnerResources,
        resultsUrl,
        resultsHost,
        port,
        resultsKeySecret,
        opsHost,
        opsPort,
        namespaces,
        leaderElection,
        leaderLease,
        leaseNamespace,
        identity,
        maxResultBytes,
        sessionLockDuration,
        secretRecheck,
        runnerBlockedNetworks,
        artifactStore);
  }

  /** How often a session operation renews its lock: three times per lock duration. */
  public Duration sessionLockRenewal() {
    return sessionLockDuration.dividedBy(3);
  }
}

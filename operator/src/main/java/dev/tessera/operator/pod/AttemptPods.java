package dev.tessera.operator.pod;

import dev.tessera.api.protocol.Cidr;
import dev.tessera.api.v1alpha1.ResourceSpec;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.RunnerSpec;
import dev.tessera.operator.OperatorConfig;
import dev.tessera.operator.naming.Labels;
import dev.tessera.operator.naming.Names;
import dev.tessera.operator.naming.Owners;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one Attempt into the Secret that carries its input and the Pod that runs it. Plain values
 * in, plain objects out: no client calls, so every rule here is table-testable.
 *
 * <p>The Pod meets the Pod Security "restricted" profile (the browser visits untrusted pages): non
 * root, no privilege escalation, every capability dropped, the runtime's seccomp profile, a
 * read-only root filesystem with writable emptyDirs for /tmp and /dev/shm. It has no Kubernetes API
 * credentials and sees only its own input Secret.
 */
public final class AttemptPods {
  /** Where the input Secret is mounted in the runner container. */
  public static final String INPUT_DIR = "/var/run/tessera/input";

  /** Key of the attempt input document in the input Secret. */
  public static final String INPUT_KEY = "attempt.json";

  /** Key of the one-time results token in the input Secret. */
  public static final String TOKEN_KEY = "token";

  /** Name of the runner container. */
  public static final String CONTAINER = "runner";

  /** Non-root user of runner Pods (the runner image's user). */
  public static final long RUNNER_UID = 65532L;

  private static final Map<String, String> DEFAULT_REQUESTS =
      Map.of("cpu", "500m", "memory", "1Gi");
  private static final Map<String, String> DEFAULT_LIMITS = Map.of("memory", "2Gi");

  private AttemptPods() {}

  /**
   * The Secret holding the input document and the one-time token, owned by the Run; the report
   * takes their place in it.
   */
  public static Secret inputSecret(Run run, int attempt, byte[] inputJson, String token) {
    return inputSecret(
        run,
        attempt,
        Names.attemptPod(run.getMetadata().getName(), run.getMetadata().getUid(), attempt),
        inputJson,
        token);
  }

  /** The input Secret of one Pod of an Attempt (an Attempt that waited continues in another). */
  public static Secret inputSecret(
      Run run, int attempt, String pod, byte[] inputJson, String token) {
    Base64.Encoder base64 = Base64.getEncoder();
    return new SecretBuilder()
        .withNewMetadata()
        .withName(Names.attemptInput(pod))
        .withNamespace(run.getMetadata().getNamespace())
        .withLabels(
            Labels.forAttempt(
                Labels.ATTEMPT_INPUT,
                run.getMetadata().getName(),
                run.getSpec().getProject(),
                attempt))
        .withOwnerReferences(ownerReference(run))
        .endMetadata()
        .withType("Opaque")
        // not immutable: the report replaces the input and token in this Secret (ResultSecrets)
        .withData(
            Map.of(
                INPUT_KEY, base64.encodeToString(inputJson),
                TOKEN_KEY, base64.encodeToString(token.getBytes(StandardCharsets.UTF_8))))
        .build();
  }

  /** The Pod that runs the Attempt, owned by the Run. */
  public static Pod pod(
      Run run, int attempt, RunnerSpec runner, int timeoutSeconds, OperatorConfig config) {
    return pod(
        run,
        attempt,
        Names.attemptPod(run.getMetadata().getName(), run.getMetadata().getUid(), attempt),
        runner,
        timeoutSeconds,
        config);
  }

  /** A Pod of the Attempt, named {@code name}, owned by the Run. */
  public static Pod pod(
      Run run,
      int attempt,
      String name,
      RunnerSpec runner,
      int timeoutSeconds,
      OperatorConfig config) {
    String image =
        runner != null && runner.getImage() != null ? runner.getImage() : config.runnerImage();
    String pullPolicy =
        runner != null && runner.getImagePullPolicy() != null
            ? runner.getImagePullPolicy()
            : config.runnerImagePullPolicy();
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(run.getMetadata().getNamespace())
        .withLabels(
            Labels.forAttempt(
                Labels.ATTEMPT, run.getMetadata().getName(), run.getSpec().getProject(), attempt))
        .withOwnerReferences(ownerReference(run))
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withActiveDeadlineSeconds((long) timeoutSeconds)
        .withTerminationGracePeriodSeconds(10L)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(RUNNER_UID)
        .withRunAsGroup(RUNNER_UID)
        .withFsGroup(RUNNER_UID)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .addNewContainer()
        .withName(CONTAINER)
        .withImage(image)
        .withImagePullPolicy(pullPolicy)
        .addNewEnv()
        .withName("TESSERA_INPUT")
        .withValue(INPUT_DIR + "/" + INPUT_KEY)
        .endEnv()
        .addNewEnv()
        .withName("TESSERA_RESULTS_URL")
        .withValue(config.resultsUrl().toString())
        .endEnv()
        .addNewEnv()
        .withName("TESSERA_RESULTS_TOKEN_FILE")
        .withValue(INPUT_DIR + "/" + TOKEN_KEY)
        .endEnv()
        .addNewEnv()
        .withName("TESSERA_ATTEMPT_POD")
        .withNewValueFrom()
        .withNewFieldRef()
        .withFieldPath("metadata.name")
        .endFieldRef()
        .endValueFrom()
        .endEnv()
        .addNewEnv()
        .withName("TESSERA_ATTEMPT_NAMESPACE")
        .withNewValueFrom()
        .withNewFieldRef()
        .withFieldPath("metadata.namespace")
        .endFieldRef()
        .endValueFrom()
        .endEnv()
        .addNewEnv()
        .withName("TESSERA_ARTIFACTS")
        .withValue("/tmp/artifacts")
        .endEnv()
        .addNewEnv()
        .withName("TESSERA_TERMINATION_LOG")
        .withValue("/dev/termination-log")
        .endEnv()
        .addAllToEnv(blockedNetworks(runner, config))
        .withTerminationMessagePath("/dev/termination-log")
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .withResources(
            resources(runner == null ? null : runner.getResources(), config.runnerResources()))
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true)
        .withNewCapabilities()
        .addToDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .addNewVolumeMount()
        .withName("input")
        .withMountPath(INPUT_DIR)
        .withReadOnly(true)
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("tmp")
        .withMountPath("/tmp")
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("dshm")
        .withMountPath("/dev/shm")
        .endVolumeMount()
        .endContainer()
        .addNewVolume()
        .withName("input")
        .withNewSecret()
        .withSecretName(Names.attemptInput(name))
        .withDefaultMode(0440)
        .endSecret()
        .endVolume()
        .addNewVolume()
        .withName("tmp")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .addNewVolume()
        .withName("dshm")
        .withNewEmptyDir()
        .withMedium("Memory")
        .withSizeLimit(new Quantity("512Mi"))
        .endEmptyDir()
        .endVolume()
        .endSpec()
        .build();
  }

  /**
   * {@code TESSERA_BLOCKED_NETWORKS}: the operator's and the Project's blocked networks, which the
   * runner refuses besides the Kubernetes API and link-local addresses; nothing when there are
   * none.
   */
  static List<EnvVar> blockedNetworks(RunnerSpec runner, OperatorConfig config) {
    Set<String> networks = new LinkedHashSet<>();
    config.runnerBlockedNetworks().forEach(c -> networks.add(c.toString()));
    if (runner != null && runner.getBlockedNetworks() != null) {
      // As written when it is not a CIDR (a Project the API server did not check): the runner
      // then refuses to run any step, rather than run without it.
      runner.getBlockedNetworks().forEach(c -> networks.add(canonical(c)));
    }
    if (networks.isEmpty()) {
      return List.of();
    }
    return List.of(new EnvVar("TESSERA_BLOCKED_NETWORKS", String.join(",", networks), null));
  }

  private static String canonical(String cidr) {
    try {
      return Cidr.parse(cidr).toString();
    } catch (IllegalArgumentException e) {
      return cidr;
    }
  }

  /**
   * The same Pod with the hosted browser's port declared (named {@code recorder}), for a recording,
   * which a human reaches with {@code kubectl port-forward}.
   */
  public static Pod withRecorderPort(Pod pod, int port) {
    return new PodBuilder(pod)
        .editSpec()
        .editFirstContainer()
        .addNewPort()
        .withName("recorder")
        .withContainerPort(port)
        .withProtocol("TCP")
        .endPort()
        .endContainer()
        .endSpec()
        .build();
  }

  /**
   * Container resources: the project's, else the operator's defaults (the chart's {@code
   * runner.resources}), else what a browser needs; requests and limits each on their own.
   */
  static ResourceRequirements resources(ResourceSpec project, ResourceSpec defaults) {
    Map<String, Quantity> requests =
        first(
            project == null ? null : project.getRequests(),
            defaults == null ? null : defaults.getRequests(),
            quantities(DEFAULT_REQUESTS));
    Map<String, Quantity> limits =
        first(
            project == null ? null : project.getLimits(),
            defaults == null ? null : defaults.getLimits(),
            quantities(DEFAULT_LIMITS));
    return new ResourceRequirementsBuilder().withRequests(requests).withLimits(limits).build();
  }

  private static Map<String, Quantity> first(
      Map<String, Quantity> a, Map<String, Quantity> b, Map<String, Quantity> fallback) {
    return a != null ? a : b != null ? b : fallback;
  }

  private static Map<String, Quantity> quantities(Map<String, String> values) {
    Map<String, Quantity> result = new java.util.TreeMap<>();
    values.forEach((k, v) -> result.put(k, new Quantity(v)));
    return result;
  }

  /** The controller reference that makes the Run own (and garbage-collect) an object. */
  public static OwnerReference ownerReference(Run run) {
    return Owners.controller(run);
  }
}

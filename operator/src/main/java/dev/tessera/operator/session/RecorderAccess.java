package dev.tessera.operator.session;

import dev.tessera.api.protocol.RecordingOptions;
import dev.tessera.operator.naming.Names;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;

/**
 * How a human opens the hosted browser of a recording ({@code status.recorderAccess} of a Recorder
 * session), from what its Pod shows: nothing before the Pod runs, since nothing answers then; the
 * local address where a local executor published the Pod's {@code recorder} port (local mode, which
 * has no {@code kubectl port-forward}); otherwise, in a cluster, {@code kubectl port-forward}. The
 * token is never in it: a command reads it from its Secret. Pure.
 */
public final class RecorderAccess {
  /**
   * The annotation with which a local executor says on which ports of its machine a Pod's named
   * ports listen ({@code name=port,...}): its processes share the machine's network.
   */
  public static final String LOCAL_PORTS_ANNOTATION = "local.tessera.dev/ports";

  /** The name of the hosted browser's container port. */
  public static final String PORT_NAME = "recorder";

  private RecorderAccess() {}

  /**
   * What the operator saw of a recording's Pod.
   *
   * @param name the Pod's name
   * @param running whether the Pod runs
   * @param localPort the port of this machine a local executor gave the hosted browser, or null
   */
  public record PodView(String name, boolean running, Integer localPort) {
    public static PodView of(Pod pod) {
      boolean running = pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase());
      Map<String, String> annotations = pod.getMetadata().getAnnotations();
      return new PodView(
          pod.getMetadata().getName(),
          running,
          annotations == null
              ? null
              : RecorderAccess.localPort(annotations.get(LOCAL_PORTS_ANNOTATION)));
    }
  }

  /** The hosted browser's port in a local executor's annotation, or null. */
  static Integer localPort(String annotation) {
    if (annotation == null) {
      return null;
    }
    for (String entry : annotation.split(",")) {
      String[] nameAndPort = entry.trim().split("=", 2);
      if (nameAndPort.length == 2 && nameAndPort[0].equals(PORT_NAME)) {
        try {
          int port = Integer.parseInt(nameAndPort[1].trim());
          return port > 0 && port < 65536 ? port : null;
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }

  /**
   * The instructions for the recording {@code run} (UID {@code runUid}, null until it is created)
   * in {@code namespace}, or null while its Pod (the one {@code pod} describes, if it is that
   * Run's) does not run.
   */
  public static String instructions(String namespace, String run, String runUid, PodView pod) {
    if (runUid == null || pod == null || !pod.running()) {
      return null;
    }
    String podName = Names.attemptPod(run, runUid, 1);
    if (!pod.name().equals(podName)) {
      return null;
    }
    String token =
        "$(kubectl get secret -n "
            + namespace
            + " "
            + Names.recorderToken(run)
            + " -o jsonpath='{.data.token}' | base64 -d)";
    if (pod.localPort() != null) {
      // the executor's processes listen on loopback, and the address is on this machine only
      return "open http://127.0.0.1:" + pod.localPort() + "/?token=" + token;
    }
    int port = RecordingOptions.DEFAULT_PORT;
    return "kubectl port-forward -n "
        + namespace
        + " pod/"
        + podName
        + " "
        + port
        + ":"
        + port
        + ", then open http://localhost:"
        + port
        + "/?token="
        + token;
  }
}

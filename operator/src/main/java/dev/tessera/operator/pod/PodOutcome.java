package dev.tessera.operator.pod;

import dev.tessera.api.protocol.ErrorCode;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;

/**
 * How an Attempt's Pod ended, read from its status as a kubelet reports it: exited cleanly, or
 * crashed (non-zero exit, OOMKilled, evicted) or timed out (activeDeadlineSeconds).
 *
 * @param exitedCleanly the runner exited 0: its result, if it sent one, decides the Attempt
 * @param code why the Pod failed, when it did
 * @param message what happened, for status and Events
 */
public record PodOutcome(boolean exitedCleanly, ErrorCode code, String message) {
  private static final int MAX_MESSAGE = 512;

  /** The outcome of a Pod that has ended; empty while it has not. */
  public static Optional<PodOutcome> of(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Succeeded".equals(phase)) {
      return Optional.of(new PodOutcome(true, null, null));
    }
    if (!"Failed".equals(phase)) {
      return Optional.empty();
    }
    String reason = pod.getStatus().getReason();
    if ("DeadlineExceeded".equals(reason)) {
      long seconds =
          pod.getSpec() == null || pod.getSpec().getActiveDeadlineSeconds() == null
              ? 0
              : pod.getSpec().getActiveDeadlineSeconds();
      return Optional.of(
          new PodOutcome(
              false,
              ErrorCode.Timeout,
              "the Attempt ran longer than its time limit of " + seconds + " s"));
    }
    if ("Evicted".equals(reason)) {
      return Optional.of(
          new PodOutcome(
              false,
              ErrorCode.RunnerCrashed,
              "the Pod was evicted: " + message(pod.getStatus().getMessage())));
    }
    ContainerStateTerminated terminated = terminated(pod);
    if (terminated == null) {
      return Optional.of(
          new PodOutcome(
              false,
              ErrorCode.RunnerCrashed,
              "the Pod failed"
                  + (reason == null ? "" : " (" + reason + ")")
                  + ": "
                  + message(pod.getStatus().getMessage())));
    }
    if ("OOMKilled".equals(terminated.getReason())) {
      return Optional.of(
          new PodOutcome(
              false,
              ErrorCode.RunnerCrashed,
              "the runner ran out of memory (OOMKilled); raise the project's runner.resources.limits.memory"));
    }
    return Optional.of(
        new PodOutcome(
            false,
            ErrorCode.RunnerCrashed,
            "the runner exited with code "
                + terminated.getExitCode()
                + (terminated.getMessage() == null || terminated.getMessage().isBlank()
                    ? ""
                    : ": " + message(terminated.getMessage()))));
  }

  /** The outcome when the Pod disappeared while its Attempt was running. */
  public static PodOutcome vanished() {
    return new PodOutcome(
        false,
        ErrorCode.RunnerCrashed,
        "the Attempt's Pod was deleted before it reported a result");
  }

  private static ContainerStateTerminated terminated(Pod pod) {
    if (pod.getStatus().getContainerStatuses() == null) {
      return null;
    }
    for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
      if (AttemptPods.CONTAINER.equals(status.getName())
          && status.getState() != null
          && status.getState().getTerminated() != null) {
        return status.getState().getTerminated();
      }
    }
    return null;
  }

  private static String message(String text) {
    if (text == null || text.isBlank()) {
      return "no message";
    }
    String trimmed = text.strip();
    return trimmed.length() > MAX_MESSAGE
        ? trimmed.substring(trimmed.length() - MAX_MESSAGE)
        : trimmed;
  }
}

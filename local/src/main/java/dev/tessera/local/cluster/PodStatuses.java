package dev.tessera.local.cluster;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The Pod statuses a kubelet reports, for each step of a local process's life. Plain values in,
 * {@link PodStatus} out.
 */
final class PodStatuses {
  static final String HOST_IP = "127.0.0.1";

  /** Reason of a Pod whose deadline ({@code activeDeadlineSeconds}) passed. */
  static final String DEADLINE_EXCEEDED = "DeadlineExceeded";

  static final String DEADLINE_MESSAGE =
      "Pod was active on the node longer than the specified deadline";

  /** Reason of a Pod that was running under an executor that stopped. */
  static final String NODE_LOST = "NodeLost";

  /** Reason of a container whose image has no local stand-in. */
  static final String ERR_IMAGE_PULL = "ErrImagePull";

  private PodStatuses() {}

  /** Waiting for a free slot: not scheduled yet. */
  static PodStatus unscheduled(String message, Instant now) {
    return new PodStatusBuilder()
        .withPhase("Pending")
        .withConditions(condition("PodScheduled", false, "Unschedulable", message, now))
        .build();
  }

  /** Accepted, but the container cannot start yet (a Secret is missing, say). */
  static PodStatus waiting(Pod pod, Instant startTime, String reason, String message, Instant now) {
    return base(pod, "Pending", startTime, false, now)
        .withContainerStatuses(
            container(
                pod,
                new ContainerStateBuilder()
                    .withNewWaiting()
                    .withReason(reason)
                    .withMessage(message)
                    .endWaiting()
                    .build(),
                false,
                null))
        .build();
  }

  /** The container cannot ever start here: the Pod fails. */
  static PodStatus failedToStart(
      Pod pod, Instant startTime, String reason, String message, Instant now) {
    return base(pod, "Failed", startTime, false, now)
        .withReason(reason)
        .withMessage(message)
        .withContainerStatuses(
            container(
                pod,
                new ContainerStateBuilder()
                    .withNewWaiting()
                    .withReason(reason)
                    .withMessage(message)
                    .endWaiting()
                    .build(),
                false,
                null))
        .build();
  }

  /** The process runs. */
  static PodStatus running(Pod pod, Instant startTime, Instant startedAt, long pid) {
    return base(pod, "Running", startTime, true, startedAt)
        .withContainerStatuses(
            container(
                pod,
                new ContainerStateBuilder()
                    .withNewRunning()
                    .withStartedAt(time(startedAt))
                    .endRunning()
                    .build(),
                true,
                "local://" + pid))
        .build();
  }

  /**
   * The process exited: {@code Succeeded} on exit code 0, {@code Failed} otherwise, or {@code
   * Failed} with reason {@code DeadlineExceeded} when it was killed for its deadline.
   */
  static PodStatus terminated(
      Pod pod,
      Instant startTime,
      Instant startedAt,
      Instant finishedAt,
      long pid,
      int exitCode,
      String message,
      boolean deadlineExceeded) {
    String phase = exitCode == 0 && !deadlineExceeded ? "Succeeded" : "Failed";
    PodStatusBuilder status = base(pod, phase, startTime, false, finishedAt);
    if (deadlineExceeded) {
      status.withReason(DEADLINE_EXCEEDED).withMessage(DEADLINE_MESSAGE);
    }
    return status
        .withContainerStatuses(
            container(
                pod,
                new ContainerStateBuilder()
                    .withNewTerminated()
                    .withExitCode(exitCode)
                    .withReason(exitCode == 0 ? "Completed" : "Error")
                    .withMessage(message == null || message.isEmpty() ? null : message)
                    .withStartedAt(time(startedAt))
                    .withFinishedAt(time(finishedAt))
                    .withContainerID("local://" + pid)
                    .endTerminated()
                    .build(),
                false,
                "local://" + pid))
        .build();
  }

  /** The deadline passed before the container could start. */
  static PodStatus deadlineExceededBeforeStart(Pod pod, Instant startTime, Instant now) {
    return base(pod, "Failed", startTime, false, now)
        .withReason(DEADLINE_EXCEEDED)
        .withMessage(DEADLINE_MESSAGE)
        .withContainerStatuses(
            container(
                pod,
                new ContainerStateBuilder()
                    .withNewTerminated()
                    .withExitCode(137)
                    .withReason("ContainerStatusUnknown")
                    .withMessage("The container was never started")
                    .withFinishedAt(time(now))
                    .endTerminated()
                    .build(),
                false,
                null))
        .build();
  }

  /**
   * A Pod reported Running by an executor that is gone: its process is lost, so the Pod fails the
   * way Pods of a lost node do.
   */
  static PodStatus nodeLost(Pod pod, Instant now) {
    PodStatus previous = pod.getStatus();
    Instant startTime =
        previous != null && previous.getStartTime() != null
            ? Instant.parse(previous.getStartTime())
            : now;
    String startedAt = null;
    if (previous != null && previous.getContainerStatuses() != null) {
      for (ContainerStatus status : previous.getContainerStatuses()) {
        if (status.getState() != null && status.getState().getRunning() != null) {
          startedAt = status.getState().getRunning().getStartedAt();
        }
      }
    }
    return base(pod, "Failed", startTime, false, now)
        .withReason(NODE_LOST)
        .withMessage("The local executor that ran this Pod stopped; the Pod's process is gone")
        .withContainerStatuses(
            container(
                pod,
                new ContainerStateBuilder()
                    .withNewTerminated()
                    .withExitCode(137)
                    .withReason("ContainerStatusUnknown")
                    .withMessage("The container could not be located when the pod was terminated")
                    .withStartedAt(startedAt)
                    .withFinishedAt(time(now))
                    .endTerminated()
                    .build(),
                false,
                null))
        .build();
  }

  private static PodStatusBuilder base(
      Pod pod, String phase, Instant startTime, boolean ready, Instant transition) {
    List<PodCondition> conditions = new ArrayList<>();
    conditions.add(condition("PodReadyToStartContainers", true, null, null, startTime));
    conditions.add(condition("Initialized", true, null, null, startTime));
    String notReady =
        switch (phase) {
          case "Succeeded" -> "PodCompleted";
          case "Failed" -> "PodFailed";
          default -> "ContainersNotReady";
        };
    conditions.add(condition("Ready", ready, ready ? null : notReady, null, transition));
    conditions.add(condition("ContainersReady", ready, ready ? null : notReady, null, transition));
    conditions.add(condition("PodScheduled", true, null, null, startTime));
    return new PodStatusBuilder()
        .withPhase(phase)
        .withConditions(conditions)
        .withHostIP(HOST_IP)
        .withHostIPs(new HostIP(HOST_IP))
        .withPodIP(HOST_IP)
        .withPodIPs(new PodIP(HOST_IP))
        .withStartTime(time(startTime))
        .withQosClass("BestEffort");
  }

  private static ContainerStatus container(
      Pod pod, ContainerState state, boolean running, String containerId) {
    var container = pod.getSpec().getContainers().get(0);
    return new ContainerStatusBuilder()
        .withName(container.getName())
        .withImage(container.getImage())
        .withImageID("")
        .withContainerID(containerId)
        .withReady(running)
        .withStarted(running)
        .withRestartCount(0)
        .withState(state)
        .build();
  }

  private static PodCondition condition(
      String type, boolean status, String reason, String message, Instant transition) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status ? "True" : "False")
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(time(transition))
        .build();
  }

  /** RFC 3339 to the second, as the API writes times. */
  static String time(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}

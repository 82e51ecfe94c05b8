package dev.tessera.local.chaos;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which Pods ran, seen from the Pod statuses the executor writes: a Pod ran when its container has
 * a start ({@code running}, or {@code terminated} with a {@code startedAt}). Pod names are
 * deterministic (one per Attempt, one per continuation of an Attempt), so a name that ran under two
 * UIDs is an Attempt that was executed twice.
 */
final class PodExecutions implements ResourceEventHandler<Pod> {
  private final Map<String, Set<String>> ranByName = new ConcurrentHashMap<>();

  @Override
  public void onAdd(Pod pod) {
    see(pod);
  }

  @Override
  public void onUpdate(Pod before, Pod after) {
    see(after);
  }

  @Override
  public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
    see(pod);
  }

  private void see(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return;
    }
    for (ContainerStatus container : pod.getStatus().getContainerStatuses()) {
      ContainerState state = container.getState();
      boolean started =
          state != null
              && (state.getRunning() != null
                  || (state.getTerminated() != null
                      && state.getTerminated().getStartedAt() != null));
      if (started) {
        ranByName
            .computeIfAbsent(
                pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(),
                name -> ConcurrentHashMap.newKeySet())
            .add(pod.getMetadata().getUid());
      }
    }
  }

  /** The names of the Pods that ran. */
  Set<String> ranNames() {
    return Set.copyOf(ranByName.keySet());
  }

  /** How many Pods ran. */
  int podsRan() {
    return ranByName.values().stream().mapToInt(Set::size).sum();
  }

  /** Pod names that ran more than once, with how many times. */
  Map<String, Integer> ranTwice() {
    Map<String, Integer> twice = new TreeMap<>();
    ranByName.forEach(
        (name, uids) -> {
          if (uids.size() > 1) {
            twice.put(name, uids.size());
          }
        });
    return twice;
  }
}

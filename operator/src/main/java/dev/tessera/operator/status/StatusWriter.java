package dev.tessera.operator.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.api.v1alpha1.HasConditions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.function.Supplier;

/**
 * Writes a primary resource's status the one way the operator does: a replace carrying the
 * resourceVersion that was read, so that a decision made on a stale view fails with a conflict (and
 * the reconciliation is retried on fresh data) instead of being merged into a status it has not
 * seen. The written object goes to JOSDK's cache at once, so the next reconciliation starts from
 * it.
 */
public final class StatusWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusWriter() {}

  /** Whether a status holds the same values as before (the model classes compare by identity). */
  public static boolean unchanged(Object before, Object after) {
    return before != null && JSON.valueToTree(before).equals(JSON.valueToTree(after));
  }

  /**
   * A copy of a resource's status to decide on (a new one when it has none), with a conditions list
   * and the generation it is about to describe.
   */
  public static <S extends HasConditions> S workingCopy(
      S status, Class<S> type, Supplier<S> empty, Long generation) {
    S copy = status == null ? empty.get() : JSON.convertValue(status, type);
    if (copy.getConditions() == null) {
      copy.setConditions(new ArrayList<>());
    }
    copy.setObservedGeneration(generation);
    return copy;
  }

  /**
   * Replaces the status of {@code resource} (which carries the new status). {@code resource} then
   * carries the written resourceVersion, so that a second write in the same reconciliation is not
   * taken for a stale one.
   */
  public static <P extends HasMetadata> void replaceStatus(P resource, Context<P> context) {
    P written = context.getClient().resource(resource).updateStatus();
    context
        .eventSourceRetriever()
        .getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(resource), written, resource);
    resource.getMetadata().setResourceVersion(written.getMetadata().getResourceVersion());
  }
}

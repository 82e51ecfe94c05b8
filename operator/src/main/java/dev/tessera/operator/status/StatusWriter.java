package dev.tessera.operator.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

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

  /** Replaces the status of {@code resource} (which carries the new status). */
  public static <P extends HasMetadata> void replaceStatus(P resource, Context<P> context) {
    P written = context.getClient().resource(resource).updateStatus();
    context
        .eventSourceRetriever()
        .getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(resource), written, resource);
  }
}

package dev.tessera.operator.status;

import dev.tessera.api.v1alpha1.HasConditions;
import dev.tessera.api.v1alpha1.Reason;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the operator writes on an object it could not reconcile: a {@code Ready=False} condition
 * with reason {@code ReconcileFailed} (or {@code InvalidSpec} for an object it could not even read,
 * see {@link UnreadableObjects}) and a Warning Event that say what broke, so that one bad object (a
 * spec a real API server would refuse) shows its problem instead of failing silently, while JOSDK
 * retries it with backoff and every other object goes on. Errors of the API itself (conflicts, an
 * API server restarting) are retried quietly: they say nothing about the object.
 */
public final class ReconcileErrors {
  private ReconcileErrors() {}

  /**
   * Writes the error status of {@code resource} after {@code error}: a replace of its status, the
   * one way the operator writes statuses (and the verb its RBAC grants), then JOSDK's retry.
   *
   * @param empty a new status, for an object that has none yet
   * @param reasonAndMessage sets the status's own reason and message, where it has them
   */
  public static <P extends CustomResource<?, S>, S extends HasConditions>
      ErrorStatusUpdateControl<P> update(
          P resource,
          Context<P> context,
          Exception error,
          Supplier<S> empty,
          ReasonAndMessage<S> reasonAndMessage,
          EventRecorder events,
          Clock clock) {
    error = thrownByReconciler(error);
    if (error instanceof KubernetesClientException) {
      return ErrorStatusUpdateControl.defaultErrorProcessing();
    }
    S status = resource.getStatus() == null ? empty.get() : resource.getStatus();
    if (status.getConditions() == null) {
      status.setConditions(new ArrayList<>());
    }
    boolean unreadable = error instanceof UnreadableObjects.UnreadableObjectException;
    Reason reason = unreadable ? Reason.InvalidSpec : Reason.ReconcileFailed;
    String message = unreadable ? unreadableMessage(error.getMessage()) : message(error);
    var ready = Conditions.find(status.getConditions(), Conditions.READY);
    boolean told =
        ready != null
            && reason.name().equals(ready.getReason())
            && Objects.equals(message, ready.getMessage());
    Conditions.set(
        status.getConditions(),
        Conditions.READY,
        Conditions.FALSE,
        reason.name(),
        message,
        resource.getMetadata().getGeneration(),
        clock.instant());
    reasonAndMessage.set(status, reason, message);
    resource.setStatus(status);
    if (!told) {
      events.record(resource, reason, message);
      try {
        // the status subresource: the server ignores the rest, so an object read without its
        // spec keeps it
        context.getClient().resource(resource).updateStatus();
      } catch (KubernetesClientException e) {
        // changed meanwhile: the retry reconciles the fresh object and says it again if need be
      }
    }
    // an unreadable object stays so until it changes, and a change is reconciled anyway
    return unreadable
        ? ErrorStatusUpdateControl.<P>noStatusUpdate().withNoRetry()
        : ErrorStatusUpdateControl.noStatusUpdate();
  }

  /**
   * The exception the reconciler threw. JOSDK's Micrometer metrics time each reconciliation and
   * wrap what it throws in an {@link OperatorException}, which would hide an API error (retried
   * quietly) or an unreadable object (not retried) behind a generic failure.
   */
  static Exception thrownByReconciler(Exception error) {
    Exception thrown = error;
    while (thrown instanceof OperatorException && thrown.getCause() instanceof Exception cause) {
      thrown = cause;
    }
    return thrown;
  }

  /** What to tell the user of an object the operator could not read. */
  static String unreadableMessage(String problem) {
    return "the operator cannot read this object: "
        + problem
        + "; a cluster's API server refuses it at apply (check the field against kubectl"
        + " explain), so fix it and apply it again";
  }

  /** Sets a status's own reason and message, for kinds whose status has them. */
  @FunctionalInterface
  public interface ReasonAndMessage<S> {
    void set(S status, Reason reason, String message);
  }

  /** What to tell the user: what broke, and where to look. */
  static String message(Exception error) {
    String what =
        error.getMessage() == null
            ? error.getClass().getSimpleName()
            : error.getClass().getSimpleName() + ": " + error.getMessage();
    return "the operator could not reconcile this object ("
        + what
        + "); check its spec against kubectl explain, fix it, and the operator tries again";
  }
}

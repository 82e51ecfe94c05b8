package dev.tessera.operator.session;

import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.AuthSessionStatus;
import dev.tessera.operator.status.Conditions;
import dev.tessera.operator.status.EventRecorder;
import dev.tessera.operator.status.Reason;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.ArrayList;

/**
 * Changes to a session's status made on behalf of a Run (the session's own reconciler makes the
 * rest).
 */
public final class SessionStatuses {
  private SessionStatuses() {}

  /**
   * Marks a session Expired. Read fresh and replaced with its resourceVersion: a concurrent change
   * fails the write and the Run's reconciliation is retried.
   */
  public static void markExpired(
      KubernetesClient client,
      AuthSession session,
      String message,
      Clock clock,
      EventRecorder events) {
    if (session == null) {
      return;
    }
    AuthSession fresh = client.resource(session).get();
    if (fresh == null
        || fresh.getStatus() == null
        || SessionProgress.EXPIRED.equals(fresh.getStatus().getPhase())) {
      return;
    }
    AuthSessionStatus status = fresh.getStatus();
    if (status.getConditions() == null) {
      status.setConditions(new ArrayList<>());
    }
    status.setPhase(SessionProgress.EXPIRED);
    status.setReason(Reason.SessionExpired.name());
    status.setMessage(message);
    Conditions.set(
        status.getConditions(),
        Conditions.READY,
        Conditions.FALSE,
        Reason.SessionExpired.name(),
        message,
        status.getObservedGeneration(),
        clock.instant());
    client.resource(fresh).updateStatus();
    events.record(fresh, Reason.SessionExpired, message);
  }
}

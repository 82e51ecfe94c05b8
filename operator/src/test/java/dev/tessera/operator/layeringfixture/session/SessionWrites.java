package dev.tessera.operator.layeringfixture.session;

import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.AuthSessionStatus;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Fixture of {@code LayeringTest}: the session package writes a session's status, lock and state
 * (allowed).
 */
public final class SessionWrites {
  private SessionWrites() {}

  public static void expire(AuthSession session) {
    AuthSessionStatus status = new AuthSessionStatus();
    status.setPhase("Expired");
    session.setStatus(status);
  }

  public static Object lock(KubernetesClient client, SessionLock lock) {
    lock.tryAcquire("demo-alice", "AuthSession:Validate/demo-alice-validate-1");
    lock.release("demo-alice", "AuthSession:Validate/demo-alice-validate-1");
    return client.leases().inNamespace("demo");
  }

  public static String store() {
    return SessionSecrets.storeState("demo-alice", "{}");
  }
}

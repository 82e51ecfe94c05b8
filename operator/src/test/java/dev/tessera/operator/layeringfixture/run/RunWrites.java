package dev.tessera.operator.layeringfixture.run;

import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.AuthSessionStatus;
import dev.tessera.operator.layeringfixture.session.SessionLock;
import dev.tessera.operator.layeringfixture.session.SessionSecrets;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import java.util.function.Supplier;

/**
 * Fixtures of {@code LayeringTest}: a run class that writes a session's status, lock or state (each
 * a violation), or only reads them (allowed). One nested class per case, imported one at a time.
 */
public final class RunWrites {
  private RunWrites() {}

  public static final class SetsSessionStatus {
    public static void expire(AuthSession session) {
      session.setStatus(new AuthSessionStatus());
    }
  }

  public static final class SetsSessionPhase {
    public static void expire(AuthSession session) {
      session.getStatus().setPhase("Expired");
    }
  }

  public static final class CallsLeases {
    public static Object lease(KubernetesClient client) {
      return client.leases().inNamespace("demo").withName("demo-alice-lock").get();
    }
  }

  public static final class CallsLeasesOfNamespacedClient {
    public static Object lease(NamespacedKubernetesClient client) {
      return client.leases().withName("demo-alice-lock").get();
    }
  }

  public static final class ReferencesLeases {
    public static Supplier<?> leases(KubernetesClient client) {
      return client::leases;
    }
  }

  public static final class AcquiresLock {
    public static boolean take(SessionLock lock) {
      return lock.tryAcquire("demo-alice", "Run/demo-alice-list-1");
    }
  }

  public static final class ReleasesLock {
    public static boolean giveUp(SessionLock lock) {
      return lock.release("demo-alice", "Run/demo-alice-list-1");
    }
  }

  public static final class StoresState {
    public static String store() {
      return SessionSecrets.storeState("demo-alice", "{}");
    }
  }

  public static final class ReadsSessionPhase {
    public static String phase(AuthSession session) {
      return session.getStatus() == null ? null : session.getStatus().getPhase();
    }
  }

  public static final class ReadsLockHolder {
    public static String holder(SessionLock lock) {
      return lock.holder("demo-alice");
    }
  }
}

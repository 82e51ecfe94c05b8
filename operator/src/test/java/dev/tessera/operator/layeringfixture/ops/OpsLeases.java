package dev.tessera.operator.layeringfixture.ops;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Fixture of {@code LayeringTest}: the ops package reads Leases (leader election; exempt from the
 * session-lock rule).
 */
public final class OpsLeases {
  private OpsLeases() {}

  public static Object leader(KubernetesClient client) {
    return client.leases().inNamespace("tessera-system").withName("tessera-operator").get();
  }
}

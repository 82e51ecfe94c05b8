package dev.tessera.local;

import dev.tessera.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** The operator's leader Lease in namespace {@code default}, as tests read and take it. */
final class LeaderLease {
  private LeaderLease() {}

  static Lease get(KubernetesClient client) {
    return client.leases().inNamespace("default").withName(OperatorConfig.LEADER_LEASE).get();
  }

  /** The identity that holds the Lease, or null. */
  static String holder(KubernetesClient client) {
    Lease lease = get(client);
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  /**
   * Writes {@code identity} into the Lease as its holder, acquired and renewed now, as a replica
   * that took it over would; again when the leader renewed it meanwhile.
   */
  static void takeOver(KubernetesClient client, String identity) {
    for (int tries = 1; ; tries++) {
      ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
      try {
        client
            .leases()
            .inNamespace("default")
            .withName(OperatorConfig.LEADER_LEASE)
            .edit(
                lease -> {
                  lease.getSpec().setHolderIdentity(identity);
                  lease.getSpec().setAcquireTime(now);
                  lease.getSpec().setRenewTime(now);
                  return lease;
                });
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || tries == 10) {
          throw e;
        }
      }
    }
  }
}

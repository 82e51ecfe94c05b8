package dev.tessera.operator.session;

import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.operator.naming.Labels;
import dev.tessera.operator.naming.Names;
import dev.tessera.operator.naming.Owners;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * The lock of one AuthSession: a {@code coordination.k8s.io/v1} Lease owned by the session, held by
 * the operation that changes the session's state (its holder identity names the operation). Every
 * change is a write that carries the resourceVersion read, so two contenders can never both win; a
 * holder that stops renewing loses the lock once its lease duration has passed.
 */
public final class SessionLock {
  private static final int RELEASE_TRIES = 5;

  private final KubernetesClient client;
  private final Clock clock;
  private final Duration duration;

  /**
   * @param duration how long a holder keeps the lock without renewing it
   */
  public SessionLock(KubernetesClient client, Clock clock, Duration duration) {
    this.client = client;
    this.clock = clock;
    this.duration = duration;
  }

  /**
   * The holder identity of a session operation: the operation and its Run, as {@code
   * AuthSession:Validate/demo-alice-validate-3}.
   */
  public static String identity(Run operation) {
    return operation.getSpec().getOperation() + "/" + operation.getMetadata().getName();
  }

  /** The name of the operation Run a holder identity names (the part after the last slash). */
  public static String operationRun(String identity) {
    return identity.substring(identity.lastIndexOf('/') + 1);
  }

  /** Who holds the lock of a session, while someone does. */
  public record Holder(String identity, Instant renewedAt, Instant expiresAt) {}

  /** The current holder, or empty when the lock is free (never taken, released, or expired). */
  public Optional<Holder> holder(AuthSession session) {
    return validHolder(get(session));
  }

  /**
   * Takes the lock for {@code identity}, or renews it when {@code identity} holds it already.
   * Returns whether {@code identity} holds the lock now.
   */
  public boolean tryAcquire(AuthSession session, String identity) {
    Lease lease = get(session);
    Instant now = clock.instant();
    if (lease == null) {
      Lease created =
          new LeaseBuilder()
              .withNewMetadata()
              .withName(Names.sessionLock(session.getMetadata().getName()))
              .withNamespace(session.getMetadata().getNamespace())
              .addToLabels(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
              .addToLabels(Labels.SESSION, session.getMetadata().getName())
              .withOwnerReferences(Owners.controller(session))
              .endMetadata()
              .withNewSpec()
              .withHolderIdentity(identity)
              .withLeaseDurationSeconds((int) duration.toSeconds())
              .withAcquireTime(micro(now))
              .withRenewTime(micro(now))
              .withLeaseTransitions(0)
              .endSpec()
              .build();
      return write(() -> client.resource(created).create());
    }
    Optional<Holder> holder = validHolder(lease);
    if (holder.isPresent() && !holder.get().identity().equals(identity)) {
      return false;
    }
    boolean taking = holder.isEmpty();
    lease.getSpec().setHolderIdentity(identity);
    lease.getSpec().setLeaseDurationSeconds((int) duration.toSeconds());
    lease.getSpec().setRenewTime(micro(now));
    if (taking) {
      lease.getSpec().setAcquireTime(micro(now));
      int transitions =
          lease.getSpec().getLeaseTransitions() == null ? 0 : lease.getSpec().getLeaseTransitions();
      lease.getSpec().setLeaseTransitions(transitions + 1);
    }
    return write(() -> client.resource(lease).update());
  }

  /**
   * Gives the lock up, when {@code identity} holds it. Returns whether it did. A write that
   * conflicts with another (the Lease changed since it was read) is tried again on a fresh read:
   * the operation that ends releases its lock once, and a release lost to a conflict would leave
   * the session locked until the lease expired.
   */
  public boolean release(AuthSession session, String identity) {
    for (int tries = 1; ; tries++) {
      Lease lease = get(session);
      if (lease == null
          || lease.getSpec() == null
          || !Objects.equals(identity, lease.getSpec().getHolderIdentity())) {
        return false;
      }
      lease.getSpec().setHolderIdentity(null);
      lease.getSpec().setRenewTime(micro(clock.instant()));
      if (write(() -> client.resource(lease).update())) {
        return true;
      }
      if (tries == RELEASE_TRIES) {
        return false;
      }
    }
  }

  private Lease get(AuthSession session) {
    return read(client, session);
  }

  /**
   * The Lease that locks {@code session}, read from the API (null when it was never taken), for a
   * reader that cannot wait for a cache to catch up.
   */
  public static Lease read(KubernetesClient client, AuthSession session) {
    return client
        .leases()
        .inNamespace(session.getMetadata().getNamespace())
        .withName(Names.sessionLock(session.getMetadata().getName()))
        .get();
  }

  private Optional<Holder> validHolder(Lease lease) {
    return holderOf(lease, clock.instant());
  }

  /**
   * Who holds a session's lock, as its Lease says at {@code now} (a Lease read from a cache), or
   * empty when it is free.
   */
  public static Optional<Holder> holderOf(Lease lease, Instant now) {
    if (lease == null || lease.getSpec() == null || lease.getSpec().getHolderIdentity() == null) {
      return Optional.empty();
    }
    Instant renewed =
        lease.getSpec().getRenewTime() == null
            ? Instant.EPOCH
            : lease.getSpec().getRenewTime().toInstant();
    int seconds =
        lease.getSpec().getLeaseDurationSeconds() == null
            ? 0
            : lease.getSpec().getLeaseDurationSeconds();
    Instant expires = renewed.plusSeconds(seconds);
    if (!now.isBefore(expires)) {
      return Optional.empty();
    }
    return Optional.of(new Holder(lease.getSpec().getHolderIdentity(), renewed, expires));
  }

  private static boolean write(Runnable write) {
    try {
      write.run();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return false;
      }
      throw e;
    }
  }

  private static ZonedDateTime micro(Instant instant) {
    return instant.atZone(ZoneOffset.UTC);
  }
}

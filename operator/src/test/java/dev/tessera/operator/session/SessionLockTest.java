package dev.tessera.operator.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.AuthSessionSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A session's lock: one holder at a time, renewable, released, and lost when not renewed. */
@EnableKubernetesMockClient(crud = true)
class SessionLockTest {
  KubernetesClient client;
  KubernetesMockServer server;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
  private SessionLock lock;
  private AuthSession session;

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    Logger.getLogger("io.fabric8.mockwebserver").setLevel(Level.WARNING);
    lock = new SessionLock(client, clock, Duration.ofSeconds(15));
    session = new AuthSession();
    session.setMetadata(
        new ObjectMetaBuilder().withName("alice").withNamespace("ns").withUid("u-1").build());
    session.setSpec(
        new YAMLMapper().readValue("{project: p, type: Runtime}", AuthSessionSpec.class));
  }

  @Test
  void oneHolderAtATimeWhoMayRenewAndRelease() {
    assertThat(lock.tryAcquire(session, "run/a")).isTrue();
    assertThat(lock.tryAcquire(session, "run/b")).isFalse();
    assertThat(lock.holder(session))
        .hasValueSatisfying(h -> assertThat(h.identity()).isEqualTo("run/a"));
    clock.advance(Duration.ofSeconds(10));
    assertThat(lock.tryAcquire(session, "run/a")).as("renewal").isTrue();
    clock.advance(Duration.ofSeconds(10));
    assertThat(lock.tryAcquire(session, "run/b")).as("still held after the renewal").isFalse();
    assertThat(lock.release(session, "run/b")).as("only the holder releases").isFalse();
    assertThat(lock.release(session, "run/a")).isTrue();
    assertThat(lock.holder(session)).isEmpty();
    assertThat(lock.tryAcquire(session, "run/b")).isTrue();
    Lease lease = client.leases().inNamespace("ns").withName("alice-lock").get();
    assertThat(lease.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo("u-1"));
    assertThat(lease.getSpec().getLeaseTransitions()).isEqualTo(1);
  }

  @Test
  void aReleaseThatConflictsWithAnotherWriteIsTriedAgain() {
    assertThat(lock.tryAcquire(session, "run/a")).isTrue();
    server
        .expect()
        .put()
        .withPath("/apis/coordination.k8s.io/v1/namespaces/ns/leases/alice-lock")
        .andReturn(
            409,
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                + "\"reason\":\"Conflict\",\"code\":409}")
        .once();

    assertThat(lock.release(session, "run/a")).isTrue();
    assertThat(lock.holder(session)).isEmpty();
    assertThat(lock.tryAcquire(session, "run/b")).as("free at once, not after it expires").isTrue();
  }

  @Test
  void aHolderThatStopsRenewingLosesTheLockAfterItsDuration() {
    assertThat(lock.tryAcquire(session, "run/crashed")).isTrue();
    clock.advance(Duration.ofSeconds(14));
    assertThat(lock.tryAcquire(session, "run/b")).isFalse();
    clock.advance(Duration.ofSeconds(2));
    assertThat(lock.holder(session)).isEmpty();
    assertThat(lock.tryAcquire(session, "run/b")).isTrue();
  }

  @Test
  void contendersRacingForAFreeLockProduceExactlyOneHolder() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Boolean>> contenders = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String identity = "run/" + i;
        contenders.add(() -> lock.tryAcquire(session, identity));
      }
      long winners = 0;
      for (Future<Boolean> result : pool.invokeAll(contenders)) {
        if (result.get()) {
          winners++;
        }
      }
      assertThat(winners).isEqualTo(1);
      assertThat(lock.holder(session)).isPresent();
    } finally {
      pool.shutdownNow();
    }
  }
}

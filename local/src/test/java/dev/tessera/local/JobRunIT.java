package dev.tessera.local;

import static dev.tessera.local.LocalCluster.awaitSession;
import static dev.tessera.local.LocalCluster.create;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.Job;
import dev.tessera.api.v1alpha1.JobRun;
import dev.tessera.api.v1alpha1.Run;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * JobRuns in local mode, with the demo site's login counts as the witness: a payload run at most N
 * at a time, one recreation at the JobRun's level when the session expires mid-way, a pause when it
 * may not recreate, and the two ways a JobRun is Canceled at its start.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JobRunIT {
  private static LocalMode local;
  private static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    local = LocalCluster.startDemo();
    client = local.client();
    awaitSession(client, "demo-alice", "Ready");
    // a Job scheduled every minute, on the catalog (no session), watched by the last test
    create(
        client,
        "{apiVersion: tessera.dev/v1alpha1, kind: Job, metadata: {name: every-minute, namespace:"
            + " default}, spec: {project: demo-catalog, schedule: '* * * * *', successfulJobRunsHistoryLimit:"
            + " 1, payload: [{api: products, parameters: {page: 1}}]}}",
        Job.class);
  }

  @AfterAll
  static void stop() {
    local.close();
  }

  private static String job(String name, int items, int concurrent, boolean autoRecreate) {
    String payload =
        IntStream.range(0, items)
            .mapToObj(i -> "{api: me}")
            .collect(Collectors.joining(", ", "[", "]"));
    return "{apiVersion: tessera.dev/v1alpha1, kind: Job, metadata: {name: "
        + name
        + ", namespace: default}, spec: {project: demo-site, maxConcurrentRuns: "
        + concurrent
        + ", authSession: {name: demo-alice, autoRecreate: "
        + autoRecreate
        + ", checkAttempts: 1}, payload: "
        + payload
        + "}}";
  }

  private static JobRun jobRun(String name) {
    return client.resources(JobRun.class).inNamespace("default").withName(name).get();
  }

  private static void startJobRun(String name, String job) throws Exception {
    create(
        client,
        "{apiVersion: tessera.dev/v1alpha1, kind: JobRun, metadata: {name: "
            + name
            + ", namespace: default}, spec: {job: "
            + job
            + "}}",
        JobRun.class);
  }

  private static JobRun awaitPhase(String name, String... phases) {
    return LocalCluster.awaitJobRun(client, name, phases);
  }

  private static List<Run> runsOf(String jobRun) {
    return client
        .resources(Run.class)
        .inNamespace("default")
        .withLabel("tessera.dev/job-run", jobRun)
        .list()
        .getItems();
  }

  private static long logins() {
    return local.site().stats().loginsOf("alice").succeeded();
  }

  /** Counts the JobRun's Runs that are started and not finished, at every change. */
  private static final class Concurrency implements Watcher<Run> {
    final Map<String, Boolean> active = new ConcurrentHashMap<>();
    final AtomicInteger most = new AtomicInteger();

    @Override
    public void eventReceived(Action action, Run run) {
      String phase = run.getStatus() == null ? null : run.getStatus().getPhase();
      boolean finished =
          phase != null && Set.of("Succeeded", "Failed", "Canceled", "Rejected").contains(phase);
      if (action == Action.DELETED || finished) {
        active.remove(run.getMetadata().getName());
      } else {
        active.put(run.getMetadata().getName(), true);
      }
      most.accumulateAndGet(active.size(), Math::max);
    }

    @Override
    public void onClose(WatcherException cause) {}
  }

  @Test
  @Order(1)
  void aPayloadOfTwelveRunsAtMostFourAtOnceAndCountsItsRuns() throws Exception {
    create(client, job("twelve", 12, 4, true), Job.class);
    long loginsBefore = logins();
    Concurrency concurrency = new Concurrency();
    try (Watch watch =
        client
            .resources(Run.class)
            .inNamespace("default")
            .withLabel("tessera.dev/job-run", "twelve-now")
            .watch(concurrency)) {
      startJobRun("twelve-now", "twelve");
      JobRun done = awaitPhase("twelve-now", "Succeeded", "Failed", "Canceled");
      assertThat(done.getStatus().getPhase())
          .as(done.getStatus().getMessage())
          .isEqualTo("Succeeded");
      assertThat(done.getStatus().getCounts().getPayloads()).isEqualTo(12);
      assertThat(done.getStatus().getCounts().getSucceeded()).isEqualTo(12);
      assertThat(done.getStatus().getCounts().getFailed()).isZero();
      assertThat(done.getStatus().getJobSnapshot().getMaxConcurrentRuns()).isEqualTo(4);
      assertThat(done.getStatus().getJobSnapshot().getPayload()).hasSize(12);
      assertThat(done.getStatus().getTrigger()).isEqualTo("Manual");
    }
    assertThat(concurrency.most.get()).isBetween(2, 4);
    assertThat(runsOf("twelve-now"))
        .hasSize(12)
        .allSatisfy(r -> assertThat(r.getStatus().getPhase()).isEqualTo("Succeeded"));
    assertThat(logins()).isEqualTo(loginsBefore);
  }

  @Test
  @Order(2)
  void aSessionThatExpiresMidWayIsRecreatedOnceByTheJobRun() throws Exception {
    create(client, job("expiring", 16, 4, true), Job.class);
    long loginsBefore = logins();
    startJobRun("expiring-now", "expiring");
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                runsOf("expiring-now").stream()
                        .filter(
                            r ->
                                r.getStatus() != null
                                    && "Succeeded".equals(r.getStatus().getPhase()))
                        .count()
                    >= 6);
    local.site().expireSessions();

    JobRun done = awaitPhase("expiring-now", "Succeeded", "Failed", "Canceled");
    assertThat(done.getStatus().getPhase())
        .as(done.getStatus().getMessage())
        .isEqualTo("Succeeded");
    assertThat(done.getStatus().getCounts().getSucceeded()).isEqualTo(16);
    assertThat(done.getStatus().getRecreations()).isEqualTo(1);
    assertThat(logins()).isEqualTo(loginsBefore + 1);
  }

  @Test
  @Order(3)
  void withoutAutoRecreateTheJobRunPausesUntilAnUpdateRenewsTheSession() throws Exception {
    create(client, job("no-recreate", 12, 4, false), Job.class);
    long loginsBefore = logins();
    startJobRun("no-recreate-now", "no-recreate");
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                runsOf("no-recreate-now").stream()
                        .filter(
                            r ->
                                r.getStatus() != null
                                    && "Succeeded".equals(r.getStatus().getPhase()))
                        .count()
                    >= 4);
    local.site().expireSessions();
    JobRun paused = awaitPhase("no-recreate-now", "Paused", "Succeeded", "Failed");
    assertThat(paused.getStatus().getPhase()).isEqualTo("Paused");
    assertThat(paused.getStatus().getReason()).isEqualTo("AuthSessionInvalidMidJob");
    assertThat(logins()).isEqualTo(loginsBefore);
    assertThat(runsOf("no-recreate-now"))
        .noneSatisfy(r -> assertThat(r.getStatus().getPhase()).isIn("Failed", "Canceled"));

    AuthSession session =
        client.resources(AuthSession.class).inNamespace("default").withName("demo-alice").get();
    session.getMetadata().setAnnotations(Map.of("tessera.dev/update", "after-pause"));
    client.resource(session).update();
    JobRun done = awaitPhase("no-recreate-now", "Succeeded", "Failed", "Canceled");
    assertThat(done.getStatus().getPhase())
        .as(done.getStatus().getMessage())
        .isEqualTo("Succeeded");
    assertThat(done.getStatus().getCounts().getSucceeded()).isEqualTo(12);
    assertThat(done.getStatus().getRecreations()).isNull();
    assertThat(logins()).isEqualTo(loginsBefore + 1);
  }

  @Test
  @Order(4)
  void aSessionThatCannotBeValidatedAtStartCancelsTheJobRunBeforeAnyRun() throws Exception {
    create(client, job("invalid-start", 5, 2, false), Job.class);
    local.site().expireSessions();
    startJobRun("invalid-start-now", "invalid-start");
    JobRun canceled = awaitPhase("invalid-start-now", "Canceled", "Succeeded", "Failed");
    assertThat(canceled.getStatus().getPhase()).isEqualTo("Canceled");
    assertThat(canceled.getStatus().getReason()).isEqualTo("AuthSessionValidateDependencyFailed");
    assertThat(runsOf("invalid-start-now")).isEmpty();
  }

  @Test
  @Order(5)
  void withWhenLockedRejectASessionLockedAtStartCancelsTheJobRun() throws Exception {
    Lease lease = client.leases().inNamespace("default").withName("demo-alice-lock").get();
    lease.getSpec().setHolderIdentity("AuthSession:Update/demo-alice-update-99");
    lease.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
    lease.getSpec().setLeaseDurationSeconds(6);
    client.resource(lease).update();
    create(
        client,
        job("reject-when-locked", 1, 1, false)
            .replace("checkAttempts: 1}", "checkAttempts: 1, whenLocked: Reject}"),
        Job.class);
    startJobRun("locked-now", "reject-when-locked");
    JobRun canceled = awaitPhase("locked-now", "Canceled", "Succeeded", "Failed");
    assertThat(canceled.getStatus().getReason()).isEqualTo("AuthSessionLocked");
    assertThat(canceled.getStatus().getMessage())
        .contains("AuthSession:Update/demo-alice-update-99");
    assertThat(runsOf("locked-now")).isEmpty();
  }

  @Test
  @Order(6)
  void everyResultReachesTheWebhookOnceEvenWhenItFailsForAWhile() throws Exception {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client
                        .resources(AuthSession.class)
                        .inNamespace("default")
                        .withName("demo-alice")
                        .get()
                        .getStatus()
                        .getLockHolder()
                    == null);
    List<String> delivered = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<String> authorizations = new java.util.concurrent.CopyOnWriteArrayList<>();
    AtomicInteger requests = new AtomicInteger();
    com.sun.net.httpserver.HttpServer receiver =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress("127.0.0.1", 0), 16);
    receiver.createContext(
        "/hook",
        exchange -> {
          try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            if (requests.incrementAndGet() <= 3) {
              exchange.sendResponseHeaders(503, -1);
              return;
            }
            delivered.add(
                new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(body)
                    .get("run")
                    .asText());
            exchange.sendResponseHeaders(204, -1);
          }
        });
    receiver.start();
    try {
      create(
          client,
          "{apiVersion: v1, kind: Secret, metadata: {name: hook-headers, namespace: default},"
              + " stringData: {Authorization: Bearer hook-token}}",
          io.fabric8.kubernetes.api.model.Secret.class);
      create(
          client,
          "{apiVersion: tessera.dev/v1alpha1, kind: Job, metadata: {name: hooked, namespace:"
              + " default}, spec: {project: demo-site, maxConcurrentRuns: 2, authSession: {name:"
              + " demo-alice}, sink: {url: 'http://127.0.0.1:"
              + receiver.getAddress().getPort()
              + "/hook', headersSecretRef: {name: hook-headers}}, payload: [{api: me}, {api: me},"
              + " {api: me}]}}",
          Job.class);
      startJobRun("hooked-now", "hooked");
      JobRun done = awaitPhase("hooked-now", "Succeeded", "Failed", "Canceled");
      assertThat(done.getStatus().getPhase())
          .as(done.getStatus().getMessage())
          .isEqualTo("Succeeded");
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () ->
                  jobRun("hooked-now").getStatus().getDelivery() != null
                      && jobRun("hooked-now").getStatus().getDelivery().getDelivered() == 3);
      assertThat(delivered)
          .containsExactlyInAnyOrder("hooked-now-0", "hooked-now-1", "hooked-now-2");
      assertThat(requests.get()).isGreaterThan(3);
      assertThat(authorizations).containsOnly("Bearer hook-token");
      assertThat(jobRun("hooked-now").getStatus().getDelivery().getPending()).isZero();
      assertThat(jobRun("hooked-now").getStatus().getDelivery().getLastError()).isNull();
    } finally {
      receiver.stop(0);
    }
  }

  @Test
  @Order(7)
  void theExampleJobRunsByHandInLocalMode() throws Exception {
    LocalMode.apply(
        client,
        LocalCluster.ROOT.resolve("examples/demo/job-invoices.yaml"),
        local.site().baseUrl());
    LocalMode.apply(
        client,
        LocalCluster.ROOT.resolve("examples/demo/jobrun-manual.yaml"),
        local.site().baseUrl());
    JobRun done = awaitPhase("alice-invoices-now", "Succeeded", "Failed", "Canceled");
    assertThat(done.getStatus().getPhase())
        .as(done.getStatus().getMessage())
        .isEqualTo("Succeeded");
    assertThat(done.getStatus().getCounts().getSucceeded()).isEqualTo(4);
    Job job =
        client.resources(Job.class).inNamespace("default").withName("alice-invoices-daily").get();
    assertThat(job.getStatus().getNextScheduleTime()).isNotNull();
    assertThat(job.getStatus().getConditions().get(0).getReason()).isEqualTo("JobValid");
  }

  @Test
  @Order(8)
  void aJobScheduledEveryMinuteCreatesItsJobRunsOnTimeAndKeepsItsHistoryShort() {
    await()
        .atMost(Duration.ofSeconds(150))
        .until(
            () ->
                client
                        .resources(Job.class)
                        .inNamespace("default")
                        .withName("every-minute")
                        .get()
                        .getStatus()
                        .getLastSuccessfulTime()
                    != null);
    List<JobRun> scheduled =
        client
            .resources(JobRun.class)
            .inNamespace("default")
            .withLabel("tessera.dev/job", "every-minute")
            .list()
            .getItems();
    assertThat(scheduled).isNotEmpty();
    assertThat(scheduled)
        .allSatisfy(
            r -> {
              assertThat(r.getMetadata().getAnnotations())
                  .containsEntry("tessera.dev/trigger", "Schedule");
              java.time.Instant at =
                  java.time.Instant.parse(
                      r.getMetadata().getAnnotations().get("tessera.dev/scheduled-at"));
              assertThat(at.getEpochSecond() % 60).isZero();
              if (r.getStatus() != null && r.getStatus().getStartTime() != null) {
                assertThat(
                        Duration.between(at, java.time.Instant.parse(r.getStatus().getStartTime())))
                    .isLessThan(Duration.ofSeconds(15));
                assertThat(r.getStatus().getTrigger()).isEqualTo("Schedule");
              }
            });
    assertThat(
            scheduled.stream()
                .filter(r -> r.getStatus() != null && "Succeeded".equals(r.getStatus().getPhase())))
        .hasSizeLessThanOrEqualTo(1);
    Job job = client.resources(Job.class).inNamespace("default").withName("every-minute").get();
    assertThat(java.time.Instant.parse(job.getStatus().getNextScheduleTime()).getEpochSecond() % 60)
        .isZero();
  }
}

package dev.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tessera.api.v1alpha1.AttemptStatus;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.Project;
import dev.tessera.api.v1alpha1.Run;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Expired sessions in local mode, with the demo site's counters as the witness: a Run that may
 * recreate its session does so with one login, any number of Runs that find it expired together
 * cause one login, the lock rejects Runs started while it is held and frees itself when its holder
 * dies, a recreation that cannot log in cancels the Run, and a failing API is retried with a check
 * before every Attempt.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SessionRecreationIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Path ROOT = LocalCluster.ROOT;
  private static ListAppender<ILoggingEvent> logs;
  private static LocalMode local;
  private static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    logs = LocalCluster.captureLogs();
    local = LocalCluster.startDemo();
    client = local.client();
    awaitSession("demo-alice", "Ready");
  }

  @AfterAll
  static void stop() {
    local.close();
  }

  private static AuthSession session(String name) {
    return LocalCluster.session(client, name);
  }

  private static Run run(String name) {
    return LocalCluster.run(client, name);
  }

  private static AuthSession awaitSession(String name, String phase) {
    return LocalCluster.awaitSession(client, name, phase);
  }

  private static Run awaitFinished(String name) {
    return LocalCluster.awaitFinished(client, name);
  }

  private static <T extends HasMetadata> void create(String yaml, Class<T> type) throws Exception {
    LocalCluster.create(client, yaml, type);
  }

  private static String runYaml(String name, String session, String api, String extra) {
    return "{apiVersion: tessera.dev/v1alpha1, kind: Run, metadata: {name: "
        + name
        + ", namespace: default}, spec: {project: demo-site, api: "
        + api
        + ", parameters: {page: 1}, authSession: {name: "
        + session
        + extra
        + "}}}";
  }

  private static List<Pod> podsOf(String run) {
    return client.pods().inNamespace("default").withLabel("tessera.dev/run", run).list().getItems();
  }

  @Test
  @Order(1)
  void aRunOnAnExpiredSessionRecreatesItWithOneLoginAndRecordsIt() throws Exception {
    local.site().expireSessions();
    long loginsBefore = local.site().stats().loginsOf("alice").succeeded();
    long invoicesBefore = local.site().stats().requestsTo("/invoices");

    create(runYaml("recreates", "demo-alice", "invoices", ""), Run.class);
    Run run = awaitFinished("recreates");

    assertThat(run.getStatus().getPhase())
        .as(JSON.writeValueAsString(run.getStatus()))
        .isEqualTo("Succeeded");
    assertThat(local.site().stats().loginsOf("alice").succeeded()).isEqualTo(loginsBefore + 1);
    assertThat(local.site().stats().requestsTo("/invoices")).isEqualTo(invoicesBefore + 1);
    assertThat(run.getStatus().getResult().get("invoices")).hasSize(10);
    AttemptStatus attempt = run.getStatus().getAttempts().get(0);
    assertThat(run.getStatus().getAttempts()).hasSize(1);
    assertThat(attempt.getPhase()).isEqualTo("Succeeded");
    // one check got the site's 401 (not tried again), one passed after the recreation
    assertThat(attempt.getValidation().getChecks()).isEqualTo(2);
    // the login is counted where it happened: on the operation Run, not on the Run that asked
    assertThat(attempt.getValidation().getCreates()).isZero();
    assertThat(attempt.getValidation().getOutcome()).isEqualTo("Recreated");
    assertThat(attempt.getValidation().getOperation()).isEqualTo("demo-alice-validate-1");
    assertThat(attempt.getPod()).isEqualTo(LocalCluster.attemptPod(client, "recreates", 1) + "-r2");

    Run operation = run("demo-alice-validate-1");
    assertThat(operation.getSpec().getOperation().value()).isEqualTo("AuthSession:Validate");
    assertThat(operation.getStatus().getPhase()).isEqualTo("Succeeded");
    assertThat(operation.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("demo-alice"));
    assertThat(operation.getStatus().getAttempts().get(0).getValidation().getOutcome())
        .isEqualTo("Created");
    assertThat(operation.getStatus().getAttempts().get(0).getValidation().getCreates())
        .isEqualTo(1);

    AuthSession session = awaitSession("demo-alice", "Ready");
    assertThat(session.getStatus().getRecreations()).isEqualTo(1);
    assertThat(session.getStatus().getLastOperation()).isEqualTo("demo-alice-validate-1");
    assertThat(session.getStatus().getLockHolder()).isNull();
    Secret state = client.secrets().inNamespace("default").withName("demo-alice-state").get();
    assertThat(state.getMetadata().getAnnotations())
        .containsEntry("tessera.dev/state-generation", "2");
    assertThat(local.operator().metrics().scrape())
        .contains("tessera_session_recreations_total 1.0")
        .contains("tessera_session_creates_total 2.0");
  }

  @Test
  @Order(2)
  void runsThatFindTheSessionExpiredTogetherCauseExactlyOneLogin() throws Exception {
    int runs = 6;
    local.site().expireSessions();
    long loginsBefore = local.site().stats().loginsOf("alice").succeeded();
    for (int i = 1; i <= runs; i++) {
      create(runYaml("together-" + i, "demo-alice", "me", ""), Run.class);
    }
    List<Run> finished = new ArrayList<>();
    for (int i = 1; i <= runs; i++) {
      finished.add(awaitFinished("together-" + i));
    }

    assertThat(finished)
        .allSatisfy(
            r -> {
              assertThat(r.getStatus().getPhase())
                  .as(r.getMetadata().getName() + ": " + r.getStatus().getMessage())
                  .isEqualTo("Succeeded");
              assertThat(r.getStatus().getResult().get("me").get("username").asText())
                  .isEqualTo("alice");
              assertThat(r.getStatus().getAttempts()).hasSize(1);
            });
    assertThat(local.site().stats().loginsOf("alice").succeeded()).isEqualTo(loginsBefore + 1);
    assertThat(
            client.resources(Run.class).inNamespace("default").list().getItems().stream()
                .filter(
                    r ->
                        r.getSpec().getOperation() != null
                            && "AuthSession:Validate".equals(r.getSpec().getOperation().value())))
        .extracting(r -> r.getMetadata().getName())
        .containsExactlyInAnyOrder("demo-alice-validate-1", "demo-alice-validate-2");
    assertThat(awaitSession("demo-alice", "Ready").getStatus().getRecreations()).isEqualTo(2);
  }

  @Test
  @Order(3)
  void aRunStartedWhileTheSessionIsLockedIsRejectedUntilADeadHoldersLeaseRunsOut()
      throws Exception {
    // the seed's behaviour, per Run: no wait for a locked session, even one locked a moment ago
    for (int i = 1; i <= 5; i++) {
      holdLock("AuthSession:Validate/demo-alice-validate-gone", 10);
      create(runYaml("just-locked-" + i, "demo-alice", "me", ", whenLocked: Reject"), Run.class);
      Run rejected = awaitFinished("just-locked-" + i);
      assertThat(rejected.getStatus().getPhase())
          .as(rejected.getStatus().getMessage())
          .isEqualTo("Rejected");
      holdLock(null, 10);
      Thread.sleep(500);
    }

    holdLock("AuthSession:Validate/demo-alice-validate-gone", 6);
    create(runYaml("while-locked", "demo-alice", "me", ", whenLocked: Reject"), Run.class);
    Run rejected = awaitFinished("while-locked");
    assertThat(rejected.getStatus().getPhase()).isEqualTo("Rejected");
    assertThat(rejected.getStatus().getReason()).isEqualTo("AuthSessionLocked");
    assertThat(rejected.getStatus().getMessage())
        .contains("AuthSession:Validate/demo-alice-validate-gone");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                "AuthSession:Validate/demo-alice-validate-gone"
                    .equals(session("demo-alice").getStatus().getLockHolder()));
    assertThat(podsOf("while-locked")).isEmpty();

    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> session("demo-alice").getStatus().getLockHolder() == null);
    create(runYaml("after-lease", "demo-alice", "me", ""), Run.class);
    Run after = awaitFinished("after-lease");
    assertThat(after.getStatus().getPhase())
        .as(after.getStatus().getMessage())
        .isEqualTo("Succeeded");

    // a Run that waits for a lock wakes when the lock is released, not at its next look (30 s)
    holdLock("AuthSession:Validate/demo-alice-validate-slow", 120);
    create(runYaml("waits-for-release", "demo-alice", "me", ""), Run.class);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                run("waits-for-release") != null
                    && run("waits-for-release").getStatus() != null
                    && "AuthSessionLocked"
                        .equals(run("waits-for-release").getStatus().getReason()));
    Thread.sleep(3000);
    assertThat(podsOf("waits-for-release")).isEmpty();
    holdLock(null, 120);
    await().atMost(Duration.ofSeconds(8)).until(() -> !podsOf("waits-for-release").isEmpty());
    Run woken = awaitFinished("waits-for-release");
    assertThat(woken.getStatus().getPhase())
        .as(woken.getStatus().getMessage())
        .isEqualTo("Succeeded");
  }

  /** Makes {@code holder} (none when null) the holder of demo-alice's lock, renewed now. */
  private static void holdLock(String holder, int seconds) {
    Lease lease = client.leases().inNamespace("default").withName("demo-alice-lock").get();
    lease.getSpec().setHolderIdentity(holder);
    lease.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
    lease.getSpec().setLeaseDurationSeconds(seconds);
    client.resource(lease).update();
  }

  @Test
  @Order(4)
  void aRecreationTheSiteRefusesCancelsTheRunAfterOneLogin() throws Exception {
    create(
        "{apiVersion: v1, kind: Secret, metadata: {name: carol-credentials, namespace: default},"
            + " stringData: {username: carol, password: carol-secret-42}}",
        Secret.class);
    create(
        "{apiVersion: tessera.dev/v1alpha1, kind: AuthSession, metadata: {name: demo-carol,"
            + " namespace: default}, spec: {project: demo-site, type: Credentials,"
            + " createAttempts: 2, credentialsSecretRef: {name: carol-credentials}}}",
        AuthSession.class);
    awaitSession("demo-carol", "Ready");
    local.site().expireSessions();
    local.site().setPassword("carol", "changed-at-the-site");
    long failedBefore = local.site().stats().loginsOf("carol").failed();
    long invoicesBefore = local.site().stats().requestsTo("/invoices");

    create(runYaml("cannot-recreate", "demo-carol", "invoices", ""), Run.class);
    Run run = awaitFinished("cannot-recreate");

    assertThat(run.getStatus().getPhase()).isEqualTo("Canceled");
    assertThat(run.getStatus().getReason()).isEqualTo("AuthSessionValidateDependencyFailed");
    assertThat(run.getStatus().getAttempts())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getPhase()).isEqualTo("Canceled");
              assertThat(a.getError().getCode()).isEqualTo("CredentialsRejected");
              assertThat(a.getValidation().getOperation()).isNotNull();
            });
    assertThat(local.site().stats().loginsOf("carol").failed())
        .as("one login of the two createAttempts allow: the site's refusal is final")
        .isEqualTo(failedBefore + 1);
    assertThat(local.site().stats().requestsTo("/invoices")).isEqualTo(invoicesBefore);
    String name = run.getStatus().getAttempts().get(0).getValidation().getOperation();
    Run operation = run(name);
    assertThat(operation).as("the operation Run %s the Attempt names", name).isNotNull();
    assertThat(operation.getStatus().getReason()).isEqualTo("CredentialsRejected");
    AuthSession carol = awaitSession("demo-carol", "Failed");
    assertThat(carol.getStatus().getReason()).isEqualTo("CredentialsRejected");
    assertThat(carol.getStatus().getMessage()).contains("fix the credentials Secret");
    // each operation was started once: the second status write of a start (the Run's UID) carries
    // the version the first wrote, so the API takes it, and no later look adopts the Run again
    for (String started :
        List.of(
            "started AuthSession:Create demo-carol-create-1",
            "started AuthSession:Validate " + name)) {
      assertThat(logs.list.stream().filter(e -> e.getFormattedMessage().equals(started)))
          .as(started)
          .hasSize(1);
    }
  }

  @Test
  @Order(5)
  void aFailingApiIsRetriedUpToMaxAttemptsWithACheckBeforeEachAttempt() throws Exception {
    ObjectNode project =
        (ObjectNode) YAML.readTree(ROOT.resolve("examples/demo/project.yaml").toFile());
    ((ObjectNode) project.get("metadata")).put("name", "demo-broken");
    ((ObjectNode) project.at("/spec/parameters")).put("baseUrl", local.site().baseUrl());
    ((ObjectNode) project.at("/spec/apis"))
        .set(
            "broken",
            YAML.readTree(
                "{steps: [{goto: \"$(params.baseUrl)/invoices\"}, {click: {selector:"
                    + " \"#no-such-button\"}, timeoutSeconds: 1}]}"));
    client.resource(JSON.treeToValue(project, Project.class)).inNamespace("default").create();
    create(
        "{apiVersion: tessera.dev/v1alpha1, kind: AuthSession, metadata: {name: broken-alice,"
            + " namespace: default}, spec: {project: demo-broken, type: Credentials,"
            + " credentialsSecretRef: {name: demo-alice-credentials}}}",
        AuthSession.class);
    awaitSession("broken-alice", "Ready");
    long checksBefore = local.site().stats().requestsTo("/api/me");
    long invoicesBefore = local.site().stats().requestsTo("/invoices");
    long loginsBefore = local.site().stats().loginsOf("alice").succeeded();

    create(
        "{apiVersion: tessera.dev/v1alpha1, kind: Run, metadata: {name: broken-api, namespace:"
            + " default}, spec: {project: demo-broken, api: broken, retry: {maxAttempts: 3},"
            + " authSession: {name: broken-alice}}}",
        Run.class);
    Run run = awaitFinished("broken-api");

    assertThat(run.getStatus().getPhase()).isEqualTo("Failed");
    assertThat(run.getStatus().getReason()).isEqualTo("ApiAttemptsFailed");
    assertThat(run.getStatus().getAttempts())
        .hasSize(3)
        .allSatisfy(
            a -> {
              assertThat(a.getPhase()).isEqualTo("Failed");
              // one check before the API, one after it failed: the session still holds
              assertThat(a.getValidation().getChecks()).isEqualTo(2);
              assertThat(a.getValidation().getOutcome()).isEqualTo("Valid");
            });
    assertThat(local.site().stats().requestsTo("/api/me")).isEqualTo(checksBefore + 6);
    assertThat(local.site().stats().requestsTo("/invoices")).isEqualTo(invoicesBefore + 3);
    assertThat(local.site().stats().loginsOf("alice").succeeded()).isEqualTo(loginsBefore);
    assertThat(podsOf("broken-api")).hasSize(3);
  }

  @Test
  @Order(6)
  void anOperatorRestartedDuringARecreationKeepsTheLockAndLogsInOnce() throws Exception {
    local.site().expireSessions();
    long loginsBefore = local.site().stats().loginsOf("alice").succeeded();
    create(runYaml("across-restart", "demo-alice", "me", ""), Run.class);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                session("demo-alice").getStatus().getLockHolder() != null
                    && session("demo-alice")
                        .getStatus()
                        .getLockHolder()
                        .startsWith("AuthSession:Validate/"));
    String holder = session("demo-alice").getStatus().getLockHolder();

    local.restartOperator();

    Run run = awaitFinished("across-restart");
    assertThat(run.getStatus().getPhase()).as(run.getStatus().getMessage()).isEqualTo("Succeeded");
    assertThat(local.site().stats().loginsOf("alice").succeeded()).isEqualTo(loginsBefore + 1);
    assertThat(run(holder.substring(holder.indexOf('/') + 1)).getStatus().getPhase())
        .isEqualTo("Succeeded");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> session("demo-alice").getStatus().getLockHolder() == null);
  }

  @Test
  @Order(7)
  void noPasswordReachesAStatusEventApiPodOrLogLine() throws Exception {
    List<String> passwords = List.of("wonderland", "carol-secret-42", "changed-at-the-site");
    List<String> texts = new ArrayList<>();
    for (Run run : client.resources(Run.class).inNamespace("default").list().getItems()) {
      texts.add(JSON.writeValueAsString(run));
    }
    for (AuthSession session :
        client.resources(AuthSession.class).inNamespace("default").list().getItems()) {
      texts.add(JSON.writeValueAsString(session));
    }
    for (Event event : client.v1().events().inNamespace("default").list().getItems()) {
      texts.add(JSON.writeValueAsString(event));
    }
    for (Pod pod : client.pods().inNamespace("default").list().getItems()) {
      texts.add(JSON.writeValueAsString(pod));
    }
    logs.list.forEach(
        e -> texts.add(e.getFormattedMessage() + " " + e.getMDCPropertyMap() + " " + e));
    assertThat(logs.list).isNotEmpty();
    for (String text : texts) {
      for (String password : passwords) {
        assertThat(text).doesNotContain(password);
      }
    }
  }
}

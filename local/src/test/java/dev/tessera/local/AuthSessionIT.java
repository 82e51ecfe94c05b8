package dev.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.demosite.DemoSiteStats;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A Credentials AuthSession in local mode, with the demo site's login counts as the witness: the
 * session logs in once, keeps its state in a Secret it owns, and Runs reuse that state.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthSessionIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static LocalMode local;
  private static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    // local mode applies examples/demo/ (the project, Alice's Secret and session) itself
    local = LocalCluster.startDemo();
    client = local.client();
  }

  @AfterAll
  static void stop() {
    local.close();
  }

  private static AuthSession session() {
    return client.resources(AuthSession.class).inNamespace("default").withName("demo-alice").get();
  }

  private static Run run(String name) {
    return client.resources(Run.class).inNamespace("default").withName(name).get();
  }

  private static AuthSession awaitReady() {
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                session().getStatus() != null
                    && List.of("Ready", "Failed").contains(session().getStatus().getPhase()));
    AuthSession session = session();
    assertThat(session.getStatus().getPhase())
        .as(session.getStatus().getMessage())
        .isEqualTo("Ready");
    return session;
  }

  @Test
  @Order(1)
  void sessionBecomesReadyAfterExactlyOneLoginAndOwnsItsState() throws Exception {
    AuthSession session = awaitReady();
    DemoSiteStats stats = local.site().stats();
    assertThat(stats.loginsOf("alice").succeeded()).isEqualTo(1);
    assertThat(stats.loginsOf("alice").failed()).isZero();
    assertThat(session.getStatus().getStateSecretName()).isEqualTo("demo-alice-state");
    assertThat(session.getStatus().getLastCreated()).isNotNull();
    Run create = run(session.getStatus().getLastOperation());
    assertThat(create.getSpec().getOperation().value()).isEqualTo("AuthSession:Create");
    assertThat(create.getStatus().getPhase()).isEqualTo("Succeeded");
    assertThat(create.getStatus().getResult()).isNull();

    Secret state = client.secrets().inNamespace("default").withName("demo-alice-state").get();
    assertThat(state.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(session.getMetadata().getUid()));
    JsonNode storage =
        JSON.readTree(Base64.getDecoder().decode(state.getData().get("storageState.json")));
    assertThat(storage.get("cookies").findValuesAsText("name")).contains("demo_session");
    assertThat(storage.get("origins").toString()).contains("demo_token");
  }

  @Test
  @Order(2)
  void runsOnTheReadySessionValidateFirstAndNeverLogInAgain() throws Exception {
    awaitReady();
    long checksBefore = local.site().stats().requestsTo("/api/me");
    LocalMode.apply(
        client,
        Path.of("").toAbsolutePath().getParent().resolve("examples/demo/run-invoices.yaml"),
        null);
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                run("alice-invoices-page-2").getStatus() != null
                    && "Succeeded".equals(run("alice-invoices-page-2").getStatus().getPhase()));
    Run run = run("alice-invoices-page-2");
    assertThat(run.getStatus().getAttempts())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getValidation().getOutcome()).isEqualTo("Valid");
              assertThat(a.getValidation().getChecks()).isEqualTo(1);
              assertThat(a.getValidation().getCreates()).isZero();
            });
    assertThat(run.getStatus().getResult().get("invoices")).hasSize(10);
    assertThat(run.getStatus().getResult().get("pageInfo").asText()).isEqualTo("Page 2 of 4");
    assertThat(local.site().stats().loginsOf("alice").succeeded()).isEqualTo(1);
    assertThat(local.site().stats().requestsTo("/api/me")).isGreaterThan(checksBefore);
    assertThat(
            client
                .pods()
                .inNamespace("default")
                .withLabel("tessera.dev/run", "alice-invoices-page-2")
                .list()
                .getItems())
        .hasSize(1);
  }

  @Test
  @Order(3)
  void thePasswordAppearsInNoStatusEventOrApiPodSpec() throws Exception {
    awaitReady();
    String password = "wonderland";
    for (Run run : client.resources(Run.class).inNamespace("default").list().getItems()) {
      assertThat(JSON.writeValueAsString(run)).doesNotContain(password);
    }
    assertThat(JSON.writeValueAsString(session())).doesNotContain(password);
    for (Event event : client.v1().events().inNamespace("default").list().getItems()) {
      assertThat(JSON.writeValueAsString(event)).doesNotContain(password);
    }
    for (Pod pod : client.pods().inNamespace("default").list().getItems()) {
      assertThat(JSON.writeValueAsString(pod)).doesNotContain(password);
    }
    for (Secret secret : client.secrets().inNamespace("default").list().getItems()) {
      if (!secret.getMetadata().getName().equals("demo-alice-credentials")) {
        String decoded =
            secret.getData() == null
                ? ""
                : secret.getData().values().stream()
                    .map(v -> new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8))
                    .reduce("", String::concat);
        assertThat(decoded)
            .as("Secret %s", secret.getMetadata().getName())
            .doesNotContain(password);
      }
    }
  }

  @Test
  @Order(4)
  void expiredSessionWithoutAutoRecreateCancelsTheRunBeforeTheApiRuns() throws Exception {
    awaitReady();
    local.site().expireSessions();
    long invoicePagesBefore = local.site().stats().requestsTo("/invoices");
    client
        .resource(
            new YAMLMapper()
                .readValue(
                    "{apiVersion: tessera.dev/v1alpha1, kind: Run, metadata: {name: no-recreate,"
                        + " namespace: default}, spec: {project: demo-site, api: invoices,"
                        + " parameters: {page: 1}, authSession: {name: demo-alice, autoRecreate:"
                        + " false, checkAttempts: 2}}}",
                    Run.class))
        .create();
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                run("no-recreate").getStatus() != null
                    && "Canceled".equals(run("no-recreate").getStatus().getPhase()));
    Run run = run("no-recreate");
    assertThat(run.getStatus().getReason()).isEqualTo("AuthSessionValidateDependencyFailed");
    assertThat(run.getStatus().getAttempts())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getPhase()).isEqualTo("Canceled");
              assertThat(a.getError().getCode()).isEqualTo("CheckAttemptsFailed");
              // the site's 401 is its answer: one check of the two allowed
              assertThat(a.getValidation().getChecks()).isEqualTo(1);
              assertThat(a.getValidation().getCreates()).isZero();
            });
    assertThat(local.site().stats().requestsTo("/invoices")).isEqualTo(invoicePagesBefore);
    assertThat(local.site().stats().loginsOf("alice").succeeded()).isEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> "Expired".equals(session().getStatus().getPhase()));
    Thread.sleep(1000);
    assertThat(session().getStatus().getPhase()).isEqualTo("Expired");
    assertThat(session().getStatus().getReason()).isEqualTo("SessionExpired");
  }

  @Test
  @Order(5)
  void aLoginTheSiteRefusesStopsAtOnceAndNothingLogsInAgainUntilTheSecretChanges()
      throws Exception {
    DemoSiteStats.LoginCounts before = local.site().stats().loginsOf("carol");
    client
        .resource(
            new YAMLMapper()
                .readValue(
                    "{apiVersion: v1, kind: Secret, metadata: {name: carol-wrong, namespace:"
                        + " default}, stringData: {username: carol, password: not-her-password}}",
                    Secret.class))
        .create();
    client
        .resource(
            new YAMLMapper()
                .readValue(
                    "{apiVersion: tessera.dev/v1alpha1, kind: AuthSession, metadata: {name:"
                        + " demo-carol, namespace: default}, spec: {project: demo-site, type:"
                        + " Credentials, credentialsSecretRef: {name: carol-wrong}}}",
                    AuthSession.class))
        .create();
    AuthSession carol = awaitCarol("Failed");
    assertThat(carol.getStatus().getReason()).isEqualTo("CredentialsRejected");
    assertThat(carol.getStatus().getMessage())
        .contains("the site rejected the credentials: \"Invalid username or password\"")
        .contains("fix the credentials Secret carol-wrong")
        .doesNotContain("not-her-password");
    Run create = run(carol.getStatus().getLastOperation());
    assertThat(create.getStatus().getPhase()).isEqualTo("Canceled");
    assertThat(create.getStatus().getReason()).isEqualTo("CredentialsRejected");
    assertThat(local.site().stats().loginsOf("carol"))
        .as("exactly one failed login: the site's answer is not tried again")
        .isEqualTo(new DemoSiteStats.LoginCounts(before.succeeded(), before.failed() + 1));
    assertThat(
            client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> "demo-carol".equals(e.getInvolvedObject().getName()))
                .map(Event::getReason))
        .contains("CredentialsRejected");

    // Three Runs on the session wait for it and end at their start timeout; none logs in.
    for (int i = 1; i <= 3; i++) {
      client
          .resource(
              new YAMLMapper()
                  .readValue(
                      "{apiVersion: tessera.dev/v1alpha1, kind: Run, metadata: {name:"
                          + " carol-waits-"
                          + i
                          + ", namespace: default}, spec: {project: demo-site, api: me,"
                          + " startTimeoutSeconds: 3, authSession: {name: demo-carol}}}",
                      Run.class))
          .create();
    }
    for (int i = 1; i <= 3; i++) {
      String name = "carol-waits-" + i;
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  run(name).getStatus() != null
                      && "Rejected".equals(run(name).getStatus().getPhase()));
      assertThat(run(name).getStatus().getReason()).isEqualTo("AuthSessionNotReady");
    }
    assertThat(local.site().stats().loginsOf("carol"))
        .isEqualTo(new DemoSiteStats.LoginCounts(before.succeeded(), before.failed() + 1));
    assertThat(podsNamedAfter("carol-waits-")).isEmpty();
    assertThat(awaitCarol("Failed").getStatus().getReason()).isEqualTo("CredentialsRejected");

    // Fixing the Secret makes the session Ready after one login; the site never locked carol.
    Secret fixed = client.secrets().inNamespace("default").withName("carol-wrong").get();
    fixed.setData(null);
    fixed.setStringData(java.util.Map.of("username", "carol", "password", "carol-secret-42"));
    client.resource(fixed).update();
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> "Ready".equals(carol().getStatus().getPhase()));
    assertThat(local.site().stats().loginsOf("carol"))
        .isEqualTo(new DemoSiteStats.LoginCounts(before.succeeded() + 1, before.failed() + 1));
    assertThat(local.site().isLocked("carol")).isFalse();
  }

  private static AuthSession carol() {
    return client.resources(AuthSession.class).inNamespace("default").withName("demo-carol").get();
  }

  private static AuthSession awaitCarol(String phase) {
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> carol().getStatus() != null && phase.equals(carol().getStatus().getPhase()));
    return carol();
  }

  private static List<Pod> podsNamedAfter(String prefix) {
    return client.pods().inNamespace("default").list().getItems().stream()
        .filter(p -> p.getMetadata().getName().startsWith(prefix))
        .toList();
  }
}

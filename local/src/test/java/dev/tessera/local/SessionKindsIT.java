package dev.tessera.local;

import static dev.tessera.local.LocalCluster.awaitFinished;
import static dev.tessera.local.LocalCluster.awaitSession;
import static dev.tessera.local.LocalCluster.create;
import static dev.tessera.local.LocalCluster.run;
import static dev.tessera.local.LocalCluster.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.Project;
import dev.tessera.api.v1alpha1.Run;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Runtime sessions, updates, proxies and health checks in local mode, with the demo site's counters
 * (and a counting proxy) as the witnesses.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SessionKindsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();
  private static LocalMode local;
  private static KubernetesClient client;
  private static CountingProxy proxy;

  @BeforeAll
  static void start() throws Exception {
    local = LocalCluster.startDemo();
    client = local.client();
    proxy = new CountingProxy("proxy-user", "proxy-pass");
    // the demo project with short step time limits, so that a failed login fails fast
    ObjectNode project =
        (ObjectNode)
            YAML.readTree(LocalCluster.ROOT.resolve("examples/demo/project.yaml").toFile());
    ((ObjectNode) project.get("metadata")).put("name", "demo-fast");
    ((ObjectNode) project.at("/spec/parameters")).put("baseUrl", local.site().baseUrl());
    ((ObjectNode) project.at("/spec/runner")).put("stepTimeoutSeconds", 4);
    client.resource(JSON.treeToValue(project, Project.class)).inNamespace("default").create();
    awaitSession(client, "demo-alice", "Ready");
  }

  @AfterAll
  static void stop() throws Exception {
    proxy.close();
    local.close();
  }

  private static void secret(String name, String username, String password) throws Exception {
    client
        .resource(
            YAML.readValue(
                "{apiVersion: v1, kind: Secret, metadata: {name: "
                    + name
                    + ", namespace: default}, stringData: {username: "
                    + username
                    + ", password: "
                    + password
                    + "}}",
                Secret.class))
        .createOr(existing -> existing.update());
  }

  private static String runYaml(String name, String project, String session, String extra) {
    return "{apiVersion: tessera.dev/v1alpha1, kind: Run, metadata: {name: "
        + name
        + ", namespace: default}, spec: {project: "
        + project
        + ", api: invoices, parameters: {page: 1}, authSession: {name: "
        + session
        + extra
        + "}}}";
  }

  private static Run runToEnd(String name, String project, String session, String extra)
      throws Exception {
    create(client, runYaml(name, project, session, extra), Run.class);
    return awaitFinished(client, name);
  }

  private static void assertSucceeded(Run run) {
    assertThat(run.getStatus().getPhase())
        .as(run.getMetadata().getName() + ": " + run.getStatus().getMessage())
        .isEqualTo("Succeeded");
  }

  private static long logins(String user) {
    return local.site().stats().loginsOf(user).succeeded();
  }

  @Test
  @Order(1)
  void aRuntimeSessionIsCreatedByItsFirstRunsCredentialsAndReusedByTheNext() throws Exception {
    secret("carol-for-this-run", "carol", "carol-secret-42");
    create(
        client,
        "{apiVersion: tessera.dev/v1alpha1, kind: AuthSession, metadata: {name: carol-runtime,"
            + " namespace: default}, spec: {project: demo-site, type: Runtime}}",
        AuthSession.class);
    awaitSession(client, "carol-runtime", "Pending");
    assertThat(session(client, "carol-runtime").getStatus().getReason())
        .isEqualTo("WaitingForFirstRun");
    String bring = ", runtimeCredentialsSecretRef: {name: carol-for-this-run}";

    Run first = runToEnd("runtime-first", "demo-site", "carol-runtime", bring);
    assertSucceeded(first);
    assertThat(logins("carol")).isEqualTo(1);
    // the login is counted on the operation that logged in, which the Run names
    assertThat(first.getStatus().getAttempts().get(0).getValidation().getCreates()).isZero();
    Run creation =
        LocalCluster.run(
            client, first.getStatus().getAttempts().get(0).getValidation().getOperation());
    assertThat(creation.getSpec().getOperation().value()).isEqualTo("AuthSession:Validate");
    assertThat(creation.getStatus().getAttempts().get(0).getValidation().getCreates()).isEqualTo(1);
    assertThat(awaitSession(client, "carol-runtime", "Ready").getStatus().getStateSecretName())
        .isEqualTo("carol-runtime-state");

    Run second = runToEnd("runtime-second", "demo-site", "carol-runtime", bring);
    assertSucceeded(second);
    assertThat(logins("carol")).isEqualTo(1);
    assertThat(second.getStatus().getAttempts().get(0).getValidation().getOutcome())
        .isEqualTo("Valid");

    Run refused =
        runToEnd(
            "runtime-no-recreate", "demo-site", "carol-runtime", bring + ", autoRecreate: false");
    assertThat(refused.getStatus().getPhase()).isEqualTo("Rejected");
    assertThat(refused.getStatus().getReason()).isEqualTo("AutoRecreateRequired");
    Run without = runToEnd("runtime-without", "demo-site", "carol-runtime", "");
    assertThat(without.getStatus().getReason()).isEqualTo("RuntimeCredentialsRequired");

    List<String> texts = new ArrayList<>();
    for (Run run : client.resources(Run.class).inNamespace("default").list().getItems()) {
      texts.add(JSON.writeValueAsString(run));
    }
    for (AuthSession s :
        client.resources(AuthSession.class).inNamespace("default").list().getItems()) {
      texts.add(JSON.writeValueAsString(s));
    }
    for (Event event : client.v1().events().inNamespace("default").list().getItems()) {
      texts.add(JSON.writeValueAsString(event));
    }
    for (Pod pod : client.pods().inNamespace("default").list().getItems()) {
      texts.add(JSON.writeValueAsString(pod));
    }
    for (Secret secret : client.secrets().inNamespace("default").list().getItems()) {
      if (!secret.getMetadata().getName().equals("carol-for-this-run")) {
        texts.add(decoded(secret));
      }
    }
    assertThat(texts).isNotEmpty().allSatisfy(t -> assertThat(t).doesNotContain("carol-secret-42"));
  }

  private static String decoded(Secret secret) {
    StringBuilder text = new StringBuilder(secret.getMetadata().getName());
    if (secret.getData() != null) {
      secret
          .getData()
          .values()
          .forEach(
              v -> text.append(new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      secret.getStringData().values().forEach(text::append);
    }
    return text.toString();
  }

  private static String stateGeneration(String session) {
    return client
        .secrets()
        .inNamespace("default")
        .withName(session + "-state")
        .get()
        .getMetadata()
        .getAnnotations()
        .get("tessera.dev/state-generation");
  }

  @Test
  @Order(2)
  void changingTheCredentialsUpdatesTheSessionOnceAndAWrongPasswordKeepsTheOldState()
      throws Exception {
    secret("fast-alice-credentials", "alice", "wonderland");
    create(
        client,
        "{apiVersion: tessera.dev/v1alpha1, kind: AuthSession, metadata: {name: fast-alice,"
            + " namespace: default}, spec: {project: demo-fast, type: Credentials,"
            + " credentialsSecretRef: {name: fast-alice-credentials}}}",
        AuthSession.class);
    awaitSession(client, "fast-alice", "Ready");
    assertThat(stateGeneration("fast-alice")).isEqualTo("1");

    local.site().setPassword("alice", "looking-glass");
    long loginsBefore = logins("alice");
    secret("fast-alice-credentials", "alice", "looking-glass");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> session(client, "fast-alice").getStatus().getLockHolder() != null);
    assertThat(session(client, "fast-alice").getStatus().getLockHolder())
        .isEqualTo("AuthSession:Update/fast-alice-update-1");
    // a Run applied while the update holds the lock waits for it, then runs on the new state
    create(client, runYaml("during-update", "demo-fast", "fast-alice", ""), Run.class);
    Run waiting =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    client
                        .resources(Run.class)
                        .inNamespace("default")
                        .withName("during-update")
                        .get(),
                r -> r != null && r.getStatus() != null && r.getStatus().getReason() != null);
    assertThat(waiting.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(waiting.getStatus().getReason()).isEqualTo("AuthSessionLocked");
    assertThat(waiting.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Admitted");
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("AuthSessionLocked");
            });
    Run meanwhile = awaitFinished(client, "during-update");
    assertSucceeded(meanwhile);

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                "fast-alice-update-1"
                    .equals(session(client, "fast-alice").getStatus().getLastOperation()));
    AuthSession updated = awaitSession(client, "fast-alice", "Ready");
    assertThat(updated.getStatus().getMessage()).contains("updated by fast-alice-update-1");
    assertThat(logins("alice")).isEqualTo(loginsBefore + 1);
    assertThat(stateGeneration("fast-alice")).isEqualTo("2");
    assertThat(
            client.resources(Run.class).inNamespace("default").list().getItems().stream()
                .filter(
                    r ->
                        r.getSpec().getOperation() != null
                            && "AuthSession:Update".equals(r.getSpec().getOperation().value())))
        .hasSize(1);

    long failedBefore = local.site().stats().loginsOf("alice").failed();
    secret("fast-alice-credentials", "alice", "not-the-password");
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                "CredentialsRejected"
                    .equals(session(client, "fast-alice").getStatus().getReason()));
    AuthSession kept = session(client, "fast-alice");
    assertThat(kept.getStatus().getPhase()).isEqualTo("Ready");
    assertThat(kept.getStatus().getMessage())
        .contains("fast-alice-update-2", "Invalid username or password", "previous state is kept");
    assertThat(local.site().stats().loginsOf("alice").failed())
        .as("the site's refusal is not tried again")
        .isEqualTo(failedBefore + 1);
    assertThat(stateGeneration("fast-alice")).isEqualTo("2");
    long loginsAfter = logins("alice");
    Run onOldState = runToEnd("after-failed-update", "demo-fast", "fast-alice", "");
    assertSucceeded(onOldState);
    assertThat(logins("alice")).isEqualTo(loginsAfter);
  }

  @Test
  @Order(3)
  void aSessionsProxyCarriesAllItsSiteTrafficAndNoOtherSessions() throws Exception {
    secret("proxy-credentials", "proxy-user", "proxy-pass");
    secret("carol-proxied-credentials", "carol", "carol-secret-42");
    long siteBefore = totalSiteRequests();
    create(
        client,
        "{apiVersion: tessera.dev/v1alpha1, kind: AuthSession, metadata: {name: carol-proxied,"
            + " namespace: default}, spec: {project: demo-site, type: Credentials,"
            + " credentialsSecretRef: {name: carol-proxied-credentials}, proxy: {server: '"
            + proxy.url()
            + "', bypass: '<-loopback>', credentialsSecretRef: {name: proxy-credentials}}}}",
        AuthSession.class);
    awaitSession(client, "carol-proxied", "Ready");
    Run run = runToEnd("through-proxy", "demo-site", "carol-proxied", "");
    assertSucceeded(run);

    assertThat(proxy.forwardedTo("/login")).as(proxy.byPath().toString()).isGreaterThanOrEqualTo(2);
    assertThat(proxy.forwardedTo("/api/me")).isGreaterThanOrEqualTo(2);
    assertThat(proxy.forwardedTo("/invoices")).isEqualTo(1);
    assertThat(totalSiteRequests() - siteBefore).isEqualTo(proxy.forwarded());

    long proxiedBefore = proxy.forwarded();
    Run other = runToEnd("not-through-proxy", "demo-site", "demo-alice", "");
    assertSucceeded(other);
    assertThat(proxy.forwarded()).isEqualTo(proxiedBefore);
  }

  private static long totalSiteRequests() {
    return local.site().stats().requests().values().stream().mapToLong(Long::longValue).sum();
  }

  @Test
  @Order(4)
  void aHealthCheckRecreatesAnExpiredSessionBeforeARunNeedsIt() throws Exception {
    secret("healthy-alice-credentials", "alice", "looking-glass");
    create(
        client,
        "{apiVersion: tessera.dev/v1alpha1, kind: AuthSession, metadata: {name: healthy-alice,"
            + " namespace: default}, spec: {project: demo-fast, type: Credentials,"
            + " credentialsSecretRef: {name: healthy-alice-credentials}, healthCheck: {interval:"
            + " 1m}}}",
        AuthSession.class);
    awaitSession(client, "healthy-alice", "Ready");
    long loginsBefore = logins("alice");

    local.site().expireSessions();
    // the next health check is due a minute (the least interval) and its jitter after the last
    await()
        .atMost(Duration.ofSeconds(150))
        .until(
            () -> {
              AuthSession s = session(client, "healthy-alice");
              return s.getStatus().getRecreations() != null
                  && s.getStatus().getRecreations() == 1
                  && "Ready".equals(s.getStatus().getPhase());
            });
    assertThat(logins("alice")).isEqualTo(loginsBefore + 1);
    // the health check that found the state expired goes on once it is recreated
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                client
                    .resources(Run.class)
                    .inNamespace("default")
                    .withLabel("tessera.dev/component", "session-health")
                    .withLabel("tessera.dev/auth-session", "healthy-alice")
                    .list()
                    .getItems()
                    .stream()
                    .anyMatch(
                        r ->
                            r.getStatus() != null
                                && "Recreated".equals(r.getStatus().getReason())));
    List<Run> operations =
        client
            .resources(Run.class)
            .inNamespace("default")
            .withLabel("tessera.dev/auth-session", "healthy-alice")
            .list()
            .getItems();
    assertThat(operations)
        .anySatisfy(
            r -> {
              // the health check that found the state expired got it recreated, and says so
              assertThat(r.getMetadata().getName()).startsWith("healthy-alice-health-");
              assertThat(r.getStatus().getPhase()).isEqualTo("Succeeded");
              assertThat(r.getStatus().getReason()).isEqualTo("Recreated");
            })
        .anySatisfy(
            r -> assertThat(r.getMetadata().getName()).startsWith("healthy-alice-validate-"));

    Run run = runToEnd("after-health-check", "demo-fast", "healthy-alice", "");
    assertSucceeded(run);
    assertThat(run.getStatus().getAttempts().get(0).getValidation().getCreates()).isZero();
    assertThat(logins("alice")).isEqualTo(loginsBefore + 1);
  }
}

package dev.tessera.local;

import static dev.tessera.local.LocalCluster.awaitFinished;
import static dev.tessera.local.LocalCluster.awaitSession;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.v1alpha1.Run;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The session examples, applied to local mode as a user would apply them: multi-user, Runtime,
 * proxy (pointed at a proxy of the test's) and health-checked sessions, each with its Runs.
 */
class SessionExamplesIT {
  private static LocalMode local;
  private static KubernetesClient client;
  private static CountingProxy proxy;

  @BeforeAll
  static void start() throws Exception {
    local = LocalCluster.startDemo();
    client = local.client();
    proxy = new CountingProxy("proxy-user", "proxy-pass");
  }

  @AfterAll
  static void stop() throws Exception {
    proxy.close();
    local.close();
  }

  private static void apply(String example) throws Exception {
    Path file = LocalCluster.ROOT.resolve("examples").resolve(example);
    String text = Files.readString(file).replace("http://127.0.0.1:3128", proxy.url());
    Path copy = Files.createTempFile("example", ".yaml");
    Files.writeString(copy, text);
    LocalMode.apply(client, copy, local.site().baseUrl());
  }

  private static void assertSucceeded(String name) {
    Run run = awaitFinished(client, name);
    assertThat(run.getStatus().getPhase())
        .as(name + ": " + run.getStatus().getMessage())
        .isEqualTo("Succeeded");
  }

  @Test
  void everySessionPatternRunsAsWritten() throws Exception {
    apply("multi-user/sessions.yaml");
    apply("runtime/session.yaml");
    apply("proxy/session.yaml");
    apply("health-check/session.yaml");
    apply("spa/project.yaml");
    apply("spa/authsession.yaml");
    awaitSession(client, "multi-alice", "Ready");
    awaitSession(client, "multi-carol", "Ready");
    awaitSession(client, "proxied-alice", "Ready");
    awaitSession(client, "checked-alice", "Ready");
    awaitSession(client, "runtime-carol", "Pending");

    apply("multi-user/runs.yaml");
    apply("runtime/run.yaml");
    apply("proxy/run.yaml");
    assertSucceeded("multi-alice-me");
    assertSucceeded("multi-carol-me");
    assertThat(
            awaitFinished(client, "multi-alice-me")
                .getStatus()
                .getResult()
                .at("/me/username")
                .asText())
        .isEqualTo("alice");
    assertThat(
            awaitFinished(client, "multi-carol-me")
                .getStatus()
                .getResult()
                .at("/me/username")
                .asText())
        .isEqualTo("carol");
    assertSucceeded("runtime-carol-invoices");
    awaitSession(client, "runtime-carol", "Ready");
    assertSucceeded("proxied-alice-invoices");

    // a single-page app's token: the check and the API send it from the stored localStorage
    awaitSession(client, "alice-spa", "Ready");
    apply("spa/run-reports.yaml");
    assertSucceeded("spa-reports");
    assertThat(
            awaitFinished(client, "spa-reports")
                .getStatus()
                .getResult()
                .at("/reports/reports/0/name")
                .asText())
        .isNotEmpty();
    assertThat(proxy.forwardedTo("/invoices")).isEqualTo(1);
    assertThat(proxy.forwardedTo("/login")).isPositive();
  }
}

package dev.tessera.runner.it;

import static dev.tessera.runner.testing.RunnerProcess.runner;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tessera.api.protocol.ErrorCode;
import dev.tessera.api.protocol.Outcome;
import dev.tessera.api.v1alpha1.ApiDefinition;
import dev.tessera.api.v1alpha1.Project;
import dev.tessera.runner.testing.Examples;
import dev.tessera.runner.testing.Inputs;
import dev.tessera.runner.testing.RecordingServer;
import dev.tessera.runner.testing.RecordingServer.Page;
import dev.tessera.runner.testing.RunnerProcess;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The runner keeps away from the cluster: steps cannot reach the Kubernetes API (a stand-in server
 * given to the runner as the API, as a Pod's {@code KUBERNETES_SERVICE_HOST} and {@code
 * KUBERNETES_SERVICE_PORT} do) nor link-local addresses, and cannot use other schemes than http and
 * https. Each refusal is a step error that reveals nothing of the target.
 */
class NetworkGuardIT {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final String SECRET = "c2VjcmV0LXBhc3N3b3Jk";

  private static RecordingServer api;
  private static RecordingServer site;
  private static Project project;

  @BeforeAll
  static void startServers() {
    api =
        RecordingServer.start(
            Map.of(), Page.json("{\"data\": {\"password\": \"" + SECRET + "\"}}"));
    String secrets = api.baseUrl() + "/api/v1/namespaces/default/secrets";
    site =
        RecordingServer.start(
            Map.of(
                "/embeds",
                Page.html(
                    "<img src=\""
                        + secrets
                        + "/img.png\"><iframe src=\""
                        + secrets
                        + "\"></iframe><p id=out></p><script>fetch('"
                        + secrets
                        + "').then(r => r.text()).then(t => out.textContent = t,"
                        + " e => out.textContent = 'refused')</script>"),
                "/to-api",
                Page.redirect(secrets)),
            Page.html("<h1>hello</h1>"));
    project = Examples.project("demo");
  }

  @AfterAll
  static void stopServers() {
    api.close();
    site.close();
  }

  @BeforeEach
  void forgetEarlierRequests() {
    api.clear();
    site.clear();
  }

  @Test
  void aGotoToTheKubernetesApiFailsWithoutReachingIt() throws Exception {
    RunnerProcess.Run run =
        run(
            "steps: [{goto: '$(params.target)'}, {extract: {as: page, selector: body}}]",
            api.baseUrl() + "/api/v1/namespaces/default/secrets");

    assertRefused(run, ErrorCode.AddressNotAllowed);
    assertThat(run.result().error().message())
        .contains(api.baseUrl() + "/api/v1/namespaces/default/secrets")
        .contains("Kubernetes API");
  }

  @Test
  void aRequestToTheKubernetesApiFailsWithoutReachingIt() throws Exception {
    RunnerProcess.Run run =
        run(
            "steps: [{request: {url: '$(params.target)', as: secrets}}]",
            api.baseUrl() + "/api/v1/namespaces/default/secrets");

    assertRefused(run, ErrorCode.AddressNotAllowed);
  }

  @Test
  void aRequestRedirectedToTheKubernetesApiFailsWithoutReachingIt() throws Exception {
    RunnerProcess.Run run =
        run(
            "steps: [{request: {url: '$(params.target)', as: secrets}}]",
            site.baseUrl() + "/to-api");

    assertRefused(run, ErrorCode.AddressNotAllowed);
    assertThat(site.requests()).contains("GET /to-api");
  }

  @Test
  void aPageRedirectedToTheKubernetesApiFailsItsStepAndRevealsNothing() throws Exception {
    RunnerProcess.Run run =
        run(
            "steps: [{goto: '$(params.target)'}, {extract: {as: page, selector: body}}]",
            site.baseUrl() + "/to-api");

    // Playwright does not route a redirect's request: it is sent, but nothing of it is read
    assertThat(run.result().outcome()).as(run::describe).isEqualTo(Outcome.FAILED);
    assertThat(run.result().error().code()).isEqualTo(ErrorCode.AddressNotAllowed);
    assertThat(run.result().error().retriable()).isFalse();
    assertThat(run.result().error().step()).startsWith("step 1");
    assertThat(run.result().result()).isNull();
    assertThat(run.output()).doesNotContain(SECRET);
  }

  @Test
  void aHostNameThatResolvesToTheApiIsRefusedToo() throws Exception {
    RunnerProcess.Run run =
        run(
            "steps: [{request: {url: '$(params.target)', as: secrets}}]",
            "http://localhost:" + api.port() + "/api/v1/secrets");

    assertRefused(run, ErrorCode.AddressNotAllowed);
  }

  @Test
  void theMetadataAddressIsRefusedWithoutAConnectionAttempt() throws Exception {
    long start = System.nanoTime();
    RunnerProcess.Run run =
        run("steps: [{goto: 'http://169.254.169.254/latest/meta-data/', timeoutSeconds: 20}]", "");

    assertRefused(run, ErrorCode.AddressNotAllowed);
    assertThat(run.result().error().message())
        .contains("http://169.254.169.254/latest/meta-data/")
        .contains("169.254.0.0/16");
    // a connection attempt to an address that does not answer would last until the step's
    // timeout; a refusal takes no time at all
    assertThat(run.result().timings().finishedMs() - run.result().timings().browserReadyMs())
        .isLessThan(5_000);
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(20_000);
  }

  @Test
  void aPagesRequestsToTheKubernetesApiAreAborted() throws Exception {
    RunnerProcess.Run run =
        run(
            "steps:\n"
                + "- goto: '$(params.target)'\n"
                + "- expect: {selector: '#out', text: refused}\n"
                + "- extract: {as: out, selector: '#out'}\n",
            site.baseUrl() + "/embeds");

    assertThat(run.result().outcome()).as(run::describe).isEqualTo(Outcome.SUCCEEDED);
    assertThat(run.result().result().path("out").asText()).isEqualTo("refused");
    assertThat(api.requests()).isEmpty();
    assertThat(run.output()).doesNotContain(SECRET);
  }

  @Test
  void fileAndJavascriptUrlsAreRefusedAtRunTime() throws Exception {
    for (String target : new String[] {"file:///etc/passwd", "javascript:'<p>x</p>'"}) {
      RunnerProcess.Run run =
          run("steps: [{goto: '$(params.target)'}, {extract: {as: page, selector: body}}]", target);

      assertRefused(run, ErrorCode.UrlNotAllowed);
      assertThat(run.output()).doesNotContain("root:");
    }
    RunnerProcess.Run request =
        run("steps: [{request: {url: '$(params.target)', as: file}}]", "file:///etc/passwd");
    assertRefused(request, ErrorCode.UrlNotAllowed);
    assertThat(request.output()).doesNotContain("root:");
  }

  private static void assertRefused(RunnerProcess.Run run, ErrorCode code) {
    assertThat(run.result().outcome()).as(run::describe).isEqualTo(Outcome.FAILED);
    assertThat(run.result().error().code()).as(run::describe).isEqualTo(code);
    assertThat(run.result().error().retriable()).isFalse();
    assertThat(run.result().error().step()).startsWith("step 1");
    assertThat(run.result().result()).isNull();
    assertThat(api.requests()).as("requests the stand-in API received").isEmpty();
    assertThat(run.output()).doesNotContain(SECRET);
  }

  private static RunnerProcess.Run run(String stepsYaml, String target) throws Exception {
    ApiDefinition api = YAML.readValue(stepsYaml, ApiDefinition.class);
    return runner()
        .withPreExtractedDriver()
        .start(
            Inputs.of(project, site.baseUrl())
                .api("probe", api, null)
                .withoutCheck()
                .param("target", target)
                .stepTimeoutSeconds(10)
                .build(),
            Map.of(
                "KUBERNETES_SERVICE_HOST",
                "127.0.0.1",
                "KUBERNETES_SERVICE_PORT",
                Integer.toString(NetworkGuardIT.api.port())))
        .await();
  }
}

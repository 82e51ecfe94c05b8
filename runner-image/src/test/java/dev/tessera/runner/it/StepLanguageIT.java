package dev.tessera.runner.it;

import static dev.tessera.runner.testing.RunnerProcess.runner;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tessera.api.protocol.ErrorCode;
import dev.tessera.api.protocol.Outcome;
import dev.tessera.api.protocol.ProxyOptions;
import dev.tessera.api.protocol.Validation;
import dev.tessera.api.v1alpha1.ApiDefinition;
import dev.tessera.api.v1alpha1.Project;
import dev.tessera.demosite.DemoSite;
import dev.tessera.runner.testing.Examples;
import dev.tessera.runner.testing.Inputs;
import dev.tessera.runner.testing.RecordingServer;
import dev.tessera.runner.testing.RunnerProcess;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The declarative steps' semantics in a real browser, and how their failures are reported. */
class StepLanguageIT {
  private static final YAMLMapper YAML = new YAMLMapper();

  /** A page with a select, an input reacting to Enter, a list and late content. */
  private static final String PAGE =
      "<select id=s onchange=\"document.getElementById('chosen').textContent"
          + "=this.value\"><option value=a>Ay</option><option value=b>Bee</option></select>"
          + "<p id=chosen></p>"
          + "<input id=q onkeydown=\"if(event.key==='Enter')"
          + "document.getElementById('typed').textContent=this.value\"><p id=typed></p>"
          + "<ul><li class=item data-id=1> One </li><li class=item data-id=2>Two</li>"
          + "<li class=item data-id=3>Three</li></ul><p id=late></p>"
          + "<script>setTimeout(()=>document.getElementById('late').textContent='ready',300)</script>";

  private static RecordingServer pages;
  private static DemoSite site;
  private static Project project;

  @BeforeAll
  static void startSite() {
    site = DemoSite.start();
    pages = RecordingServer.start(Map.of("/page", RecordingServer.Page.html(PAGE)), null);
    project = Examples.project("demo");
  }

  @AfterAll
  static void stopSite() {
    site.close();
    pages.close();
  }

  @Test
  void stepsActOnThePageAndCollectOneResultObject() throws Exception {
    ApiDefinition api =
        definition(
            "steps:\n"
                + "- goto: "
                + pages.baseUrl()
                + "/page\n"
                + "- select: {selector: '#s', value: Bee}\n"
                + "- fill: {selector: '#q', value: $(params.word)}\n"
                + "- press: {selector: '#q', key: Enter}\n"
                + "- expect: {selector: '#late', text: ready}\n"
                + "- expect: {selector: li.item, count: 3}\n"
                + "- expect: {selector: '#absent', visible: false}\n"
                + "- extract: {as: chosen, selector: '#chosen'}\n"
                + "- extract: {as: typed, selector: '#typed'}\n"
                + "- extract: {as: ids, selector: li.item, attribute: data-id, multiple: true}\n"
                + "- extract: {as: names, selector: li.item, multiple: true}\n"
                + "- goto: $(params.baseUrl)/login\n"
                + "- waitFor: {loadState: networkidle}\n"
                + "- expect: {url: '**/login'}\n"
                + "- waitFor: {selector: '#login-form'}\n"
                + "- extract: {as: formAction, selector: '#login-form', attribute: action}\n"
                + "- request: {url: $(params.baseUrl)/api/me, expectStatus: 401, as: anonymous}\n"
                + "- request: {method: POST, url: $(params.baseUrl)/api/me, expectStatus: 405}\n");

    RunnerProcess.Run run =
        runner()
            .withPreExtractedDriver()
            .run(
                Inputs.of(project, site.baseUrl())
                    .api("page", api, null)
                    .withoutCheck()
                    .param("word", "tessera")
                    .build());

    assertThat(run.result().outcome()).as(run::describe).isEqualTo(Outcome.SUCCEEDED);
    assertThat(run.result().validation()).isEqualTo(Validation.notRequired());
    JsonNode result = run.result().result();
    assertThat(result.path("chosen").asText()).isEqualTo("b");
    assertThat(result.path("typed").asText()).isEqualTo("tessera");
    assertThat(result.path("ids")).isEqualTo(YAML.readTree("['1', '2', '3']"));
    assertThat(result.path("names")).isEqualTo(YAML.readTree("[One, Two, Three]"));
    assertThat(result.path("formAction").asText()).isEqualTo("/login");
    assertThat(result.path("anonymous").path("error").asText()).isEqualTo("not authenticated");
  }

  @Test
  void anExpectationThatDoesNotHoldFailsWithExpectationFailed() throws Exception {
    ApiDefinition api =
        definition(
            "steps:\n"
                + "- goto: $(params.baseUrl)/login\n"
                + "- name: the page greets the user\n"
                + "  timeoutSeconds: 1\n"
                + "  expect: {selector: h1, text: Welcome back}\n");

    RunnerProcess.Run run =
        runner()
            .withPreExtractedDriver()
            .run(
                Inputs.of(project, site.baseUrl())
                    .api("greeting", api, null)
                    .withoutCheck()
                    .build());

    assertThat(run.result().outcome()).as(run::describe).isEqualTo(Outcome.FAILED);
    assertThat(run.result().error().code()).isEqualTo(ErrorCode.ExpectationFailed);
    assertThat(run.result().error().step()).isEqualTo("the page greets the user");
    assertThat(run.result().error().message())
        .isEqualTo("expected \"h1\" to contain \"Welcome back\";" + " it matches 1 element");
  }

  @Test
  void aProxyThatCannotBeReachedIsAProxyErrorNotAnExpiredSession() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    RunnerProcess.Run run =
        runner()
            .withPreExtractedDriver()
            .run(
                Inputs.of(project, site.baseUrl())
                    .check(YAML.readTree("{cookies: [], origins: []}"))
                    .checkAttempts(2)
                    .proxy(
                        new ProxyOptions(
                            "http://127.0.0.1:" + closedPort, null, "proxyuser", "proxy-pass-42"))
                    .build());

    assertThat(run.result().outcome()).as(run::describe).isEqualTo(Outcome.FAILED);
    assertThat(run.result().error().code()).isEqualTo(ErrorCode.ProxyError);
    assertThat(run.result().error().retriable()).isTrue();
    assertThat(run.result().validation().checks()).isEqualTo(2);
    assertThat(run.stderr() + run.output()).doesNotContain("proxy-pass-42");
  }

  private static ApiDefinition definition(String yaml) throws Exception {
    return YAML.readValue(yaml, ApiDefinition.class);
  }
}

package dev.tessera.local;

import static dev.tessera.local.LocalCluster.awaitFinished;
import static dev.tessera.local.LocalCluster.awaitSession;
import static dev.tessera.local.LocalCluster.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.BoundingBox;
import dev.tessera.api.template.Totp;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.demosite.DemoUsers;
import dev.tessera.local.cluster.LocalExecutor;
import dev.tessera.runner.browser.ChromiumFlags;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Recorder session in local mode, as a human records it: a headless Chromium of the test's (the
 * human's browser) opens the hosted browser the session's Pod serves, sees the demo site's login in
 * the live view, and clicks and types through it, the TOTP code included. The session becomes
 * Ready, and a Run on it succeeds with no automated login.
 */
class RecorderSessionIT {
  private static LocalMode local;
  private static KubernetesClient client;
  private static Playwright playwright;
  private static Browser human;

  @BeforeAll
  static void start() throws Exception {
    local = LocalCluster.startDemo();
    client = local.client();
    playwright =
        Playwright.create(
            new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1", "DEBUG", "")));
    human =
        playwright
            .chromium()
            .launch(
                new BrowserType.LaunchOptions()
                    .setExecutablePath(
                        Path.of(
                            System.getProperty("tessera.chromium", "/usr/lib/chromium/chromium")))
                    .setHeadless(true)
                    .setArgs(ChromiumFlags.QUIET));
  }

  @AfterAll
  static void stop() {
    human.close();
    playwright.close();
    local.close();
  }

  /** Where an element of a demo-site page is: the human has seen the page before. */
  private static BoundingBox whereIs(String selector, boolean afterPassword) {
    try (Page page = human.newPage(new Browser.NewPageOptions().setViewportSize(1280, 800))) {
      page.navigate(local.site().baseUrl() + "/login");
      if (afterPassword) {
        toTheCodePage(page);
      }
      return page.locator(selector).boundingBox();
    }
  }

  /**
   * Where the code's field is once the site refused a code: the page shows "Invalid verification
   * code" above the form (added here as the site adds it, so that no refused code counts against
   * bob, whom the site locks after 3 in a row).
   */
  private static BoundingBox whereIsTheCodeAfterARefusal() {
    try (Page page = human.newPage(new Browser.NewPageOptions().setViewportSize(1280, 800))) {
      page.navigate(local.site().baseUrl() + "/login");
      toTheCodePage(page);
      page.evaluate(
          "() => { const error = document.createElement('p'); error.id = 'otp-error';"
              + " error.className = 'error'; error.setAttribute('role', 'alert');"
              + " error.textContent = 'Invalid verification code';"
              + " const form = document.getElementById('otp-form');"
              + " form.parentNode.insertBefore(error, form); }");
      return page.locator("#otp").boundingBox();
    }
  }

  /** Signs bob in with his password, up to the page that asks for his one-time code. */
  private static void toTheCodePage(Page page) {
    page.fill("#username", DemoUsers.BOB.username());
    page.fill("#password", DemoUsers.BOB.password());
    page.click("#login-button");
    page.waitForURL("**/login/otp");
  }

  private static void clickThrough(Page viewer, BoundingBox target) {
    BoundingBox screen = viewer.locator("#screen").boundingBox();
    viewer
        .mouse()
        .click(screen.x + target.x + target.width / 2, screen.y + target.y + target.height / 2);
  }

  private static int status(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** A text with {@code $(kubectl ...)} in it, as bash expands it with local mode's kubeconfig. */
  private static String asTheShellExpands(String text) throws Exception {
    Path kubeconfig =
        local.cluster().writeKubeconfig(Files.createTempDirectory("human").resolve("kubeconfig"));
    ProcessBuilder shell =
        new ProcessBuilder("bash", "-c", "echo \"" + text + "\"").redirectErrorStream(true);
    shell.environment().put("KUBECONFIG", kubeconfig.toString());
    Process echo = shell.start();
    String expanded = new String(echo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(echo.waitFor()).as(expanded).isZero();
    return expanded.strip();
  }

  @Test
  void aHumanRecordsTheSessionThroughTheLiveViewAndRunsUseIt() throws Exception {
    BoundingBox username = whereIs("#username", false);
    BoundingBox password = whereIs("#password", false);
    BoundingBox login = whereIs("#login-button", false);
    BoundingBox code = whereIs("#otp", true);
    BoundingBox codeAfterRefusal = whereIsTheCodeAfterARefusal();

    LocalMode.apply(
        client,
        LocalCluster.ROOT.resolve("examples/recorder/session.yaml"),
        local.site().baseUrl());
    AuthSession waiting = awaitSession(client, "bob-recorded", "AwaitingRecording");
    // the address is given once the recording's Pod runs: the port its executor published
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> session(client, "bob-recorded").getStatus().getRecorderAccess() != null);
    String access = session(client, "bob-recorded").getStatus().getRecorderAccess();
    assertThat(access)
        .as(waiting.getStatus().getMessage())
        .startsWith("open http://127.0.0.1:")
        .contains("kubectl get secret -n default bob-recorded-create-1-recorder")
        .doesNotContain("port-forward");
    assertThat(session(client, "bob-recorded").getStatus().getMessage()).endsWith(access);
    // what the human opens: the address, with the token the command in it reads
    String url = asTheShellExpands(access.substring("open ".length()));
    String token = url.substring(url.indexOf("?token=") + "?token=".length());
    String base = url.substring(0, url.indexOf("/?token="));
    String port = base.substring(base.lastIndexOf(':') + 1);
    assertThat(
            client
                .pods()
                .inNamespace("default")
                .withName(LocalCluster.attemptPod(client, "bob-recorded-create-1", 1))
                .get()
                .getMetadata()
                .getAnnotations())
        .containsEntry(LocalExecutor.PORTS_ANNOTATION, "recorder=" + port);
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> status(base + "/") == 401);
    // the hosted browser, like every listener of local mode, is on loopback only
    assertThat(ListeningSockets.addresses(Integer.parseInt(port.trim())))
        .isNotEmpty()
        .allSatisfy(address -> assertThat(address.isLoopbackAddress()).isTrue());
    assertThat(status(base + "/?token=not-" + token)).isEqualTo(401);

    long loginsBefore = local.site().stats().loginsOf("bob").succeeded();
    // each key and click is one request to the hosted browser, in order; on a loaded machine
    // (the other integration tests run beside this one) a step can take many seconds
    Duration step = Duration.ofSeconds(90);
    try (Page viewer = human.newPage(new Browser.NewPageOptions().setViewportSize(1600, 1000))) {
      viewer.navigate(url);
      await().atMost(step).until(() -> viewer.locator("#url").textContent().endsWith("/login"));
      viewer.waitForFunction("() => document.getElementById('screen').naturalWidth === 1280");

      clickThrough(viewer, username);
      viewer.keyboard().type(DemoUsers.BOB.username());
      clickThrough(viewer, password);
      viewer.keyboard().type(DemoUsers.BOB.password());
      clickThrough(viewer, login);
      await().atMost(step).until(() -> viewer.locator("#url").textContent().endsWith("/login/otp"));
      // a one-time code is good for 30 to 60 s: on a loaded machine the keys can take longer to
      // reach the hosted browser, and the site refuses the code; a human then types the next one
      // (the site locks bob after 3 refusals in a row: at most 2 are retried)
      for (int tries = 1; ; tries++) {
        long refusedBefore = local.site().stats().loginsOf("bob").failed();
        clickThrough(viewer, tries == 1 ? code : codeAfterRefusal);
        viewer.keyboard().type(Totp.code(DemoUsers.BOB.totpSeed().orElseThrow(), Instant.now()));
        viewer.keyboard().press("Enter");
        await()
            .atMost(step)
            .until(
                () ->
                    viewer.locator("#state").textContent().startsWith("Saved")
                        || local.site().stats().loginsOf("bob").failed() > refusedBefore);
        if (viewer.locator("#state").textContent().startsWith("Saved")) {
          break;
        }
        assertThat(tries)
            .as("one-time codes the site refused (%s)", local.site().stats().loginsOf("bob"))
            .isLessThan(3);
      }
    }

    AuthSession ready;
    try {
      ready = awaitSession(client, "bob-recorded", "Ready");
    } catch (RuntimeException | AssertionError e) {
      // what the recorder did after the human saw "Saved": its log, while its Pod is there
      throw new AssertionError(
          "the recorded session is not Ready; the recorder's log:\n"
              + client
                  .pods()
                  .inNamespace("default")
                  .withName(LocalCluster.attemptPod(client, "bob-recorded-create-1", 1))
                  .getLog(),
          e);
    }
    assertThat(ready.getStatus().getRecorderAccess()).isNull();
    assertThat(local.site().stats().loginsOf("bob").succeeded()).isEqualTo(loginsBefore + 1);

    LocalMode.apply(
        client, LocalCluster.ROOT.resolve("examples/recorder/run.yaml"), local.site().baseUrl());
    Run run = awaitFinished(client, "bob-recorded-me");
    assertThat(run.getStatus().getPhase()).as(run.getStatus().getMessage()).isEqualTo("Succeeded");
    assertThat(run.getStatus().getResult().at("/me/username").asText()).isEqualTo("bob");
    assertThat(local.site().stats().loginsOf("bob").succeeded()).isEqualTo(loginsBefore + 1);

    LocalCluster.create(
        client,
        "{apiVersion: tessera.dev/v1alpha1, kind: Run, metadata: {name: recorded-autorecreate,"
            + " namespace: default}, spec: {project: demo-site, api: me, authSession: {name:"
            + " bob-recorded}}}",
        Run.class);
    Run refused = awaitFinished(client, "recorded-autorecreate");
    assertThat(refused.getStatus().getPhase()).isEqualTo("Rejected");
    assertThat(refused.getStatus().getReason()).isEqualTo("AutoRecreateNotPossible");
    assertThat(session(client, "bob-recorded").getStatus().getPhase()).isEqualTo("Ready");
  }
}

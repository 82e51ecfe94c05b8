package dev.tessera.runner.it;

import static dev.tessera.runner.testing.RunnerProcess.runner;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.tessera.api.protocol.Artifact;
import dev.tessera.api.protocol.ArtifactPlan;
import dev.tessera.api.protocol.ErrorCode;
import dev.tessera.api.protocol.Outcome;
import dev.tessera.api.v1alpha1.ApiDefinition;
import dev.tessera.api.v1alpha1.Project;
import dev.tessera.api.v1alpha1.step.Click;
import dev.tessera.api.v1alpha1.step.Goto;
import dev.tessera.api.v1alpha1.step.Request;
import dev.tessera.api.v1alpha1.step.Screenshot;
import dev.tessera.api.v1alpha1.step.Step;
import dev.tessera.demosite.DemoSite;
import dev.tessera.demosite.DemoUsers;
import dev.tessera.runner.testing.Examples;
import dev.tessera.runner.testing.Inputs;
import dev.tessera.runner.testing.RunnerProcess;
import dev.tessera.runner.testing.StorageStates;
import dev.tessera.runner.testing.UploadServer;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An API Attempt keeps what the browser saw, as its plan says, and uploads it to presigned URLs
 * (here an in-process server that stores each PUT): a trace of the check and the API, the page and
 * its HTML at the end, the API's step screenshots; with no secret in any byte of them.
 */
class ArtifactsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  private static final String SIGNATURE = "X-Amz-Signature=f00dfeedsignature";

  private static DemoSite site;
  private static UploadServer store;
  private static Project demo;
  private static JsonNode alice;

  @BeforeAll
  static void logInOnce() {
    site = DemoSite.start();
    store = UploadServer.start();
    demo = Examples.project("demo");
    RunnerProcess.Run created =
        run(
            Inputs.of(demo, site.baseUrl())
                .create(
                    Map.of(
                        "username",
                        DemoUsers.ALICE.username(),
                        "password",
                        DemoUsers.ALICE.password())));
    assertThat(created.result().outcome()).as(created::describe).isEqualTo(Outcome.SUCCEEDED);
    alice = created.storageState();
    assertThat(StorageStates.localStorage(alice, "demo_token")).isPresent();
  }

  @AfterAll
  static void stop() {
    if (store != null) {
      store.close();
    }
    if (site != null) {
      site.close();
    }
  }

  @Test
  void aFailedApiKeepsItsTraceItsLastPageItsHtmlAndItsStepScreenshotWithoutASecret()
      throws IOException {
    String invoices = site.baseUrl() + "/invoices?page=1";
    ApiDefinition broken =
        api(
            Step.of(new Goto("$(params.baseUrl)/invoices?page=1")),
            Step.of(
                new Request(
                    null,
                    "$(params.baseUrl)/api/reports",
                    Map.of("Authorization", "Bearer $(localStorage.demo_token)"),
                    null,
                    200,
                    null)),
            Step.of(new Screenshot("before-click", null)),
            Step.of(new Click("#no-such-button")).withTimeoutSeconds(1));

    RunnerProcess.Run run =
        run(
            Inputs.of(demo, site.baseUrl())
                .api("broken", broken, alice)
                .artifacts(
                    plan(
                        "failed", null, "trace.zip", "screenshot.png", "page.html", "step-3.png")));

    assertThat(run.result().outcome()).as(run::describe).isEqualTo(Outcome.FAILED);
    assertThat(run.result().error().code()).isEqualTo(ErrorCode.SelectorNotFound);
    assertThat(run.result().artifacts())
        .extracting(Artifact::name)
        .containsExactly("trace.zip", "screenshot.png", "page.html", "step-3.png");
    for (Artifact artifact : run.result().artifacts()) {
      UploadServer.Stored stored = stored("failed", artifact.name());
      assertThat(stored.body()).as(artifact.name()).hasSize((int) artifact.bytes());
      assertThat(stored.contentType()).isEqualTo(artifact.contentType());
    }
    assertThat(stored("failed", "trace.zip").contentType()).isEqualTo("application/zip");
    assertThat(stored("failed", "page.html").contentType()).isEqualTo("text/html; charset=utf-8");

    Map<String, byte[]> trace = unzip(stored("failed", "trace.zip").body());
    List<String> events = new ArrayList<>();
    trace.forEach(
        (name, content) -> {
          if (name.endsWith(".trace")) {
            events.addAll(new String(content, StandardCharsets.UTF_8).lines().toList());
          }
        });
    assertThat(events).as("the trace's events").isNotEmpty();
    for (String line : events) {
      if (!line.isBlank()) {
        assertThat(JSON.readTree(line).isObject()).as(line).isTrue();
      }
    }
    String allEvents = String.join("\n", events);
    assertThat(allEvents).contains(invoices).contains("#no-such-button").contains("/api/me");
    assertThat(trace.keySet()).anyMatch(name -> name.endsWith(".network"));

    assertThat(stored("failed", "screenshot.png").body()).startsWith(PNG_SIGNATURE);
    assertThat(stored("failed", "step-3.png").body()).startsWith(PNG_SIGNATURE);
    assertThat(new String(stored("failed", "page.html").body(), StandardCharsets.UTF_8))
        .contains("id=\"invoices\"")
        .contains("class=\"invoice\"");

    assertThat(run.stderr())
        .contains("artifact trace.zip (")
        .contains("artifact step-3.png (")
        .doesNotContain(SIGNATURE);
    assertNoSecretIn("failed", secretsOf(alice, DemoUsers.ALICE.password()));
    assertTheTraceViewerShows(
        stored("failed", "trace.zip").body(),
        "check",
        "api broken",
        "Navigate to \"/invoices?page=1\"",
        "locator(\"#no-such-button\")");
  }

  @Test
  void aCookieTheSiteSetsDuringTheAttemptIsMaskedToo() throws IOException {
    // The login page sets a new CSRF cookie and shows its value in a hidden field; the request
    // step shows the test that value, as the browser had it at the end.
    ApiDefinition broken =
        api(
            Step.of(new Goto("$(params.baseUrl)/login")),
            Step.of(Request.get(store.url("/echo?csrf=$(cookies.demo_csrf)"))),
            Step.of(new Click("#no-such-button")).withTimeoutSeconds(1));

    RunnerProcess.Run run =
        run(
            Inputs.of(demo, site.baseUrl())
                .api("broken", broken, alice)
                .artifacts(plan("new-cookie", null, "trace.zip", "page.html")));

    assertThat(run.result().outcome()).as(run::describe).isEqualTo(Outcome.FAILED);
    assertThat(run.result().artifacts())
        .extracting(Artifact::name)
        .containsExactly("trace.zip", "page.html");
    String csrf = store.queried("csrf").orElseThrow();
    assertThat(StorageStates.cookie(alice, "demo_csrf")).isNotEqualTo(csrf);
    Set<String> secrets = secretsOf(alice, DemoUsers.ALICE.password());
    secrets.add(csrf);
    assertNoSecretIn("new-cookie", secrets);
    assertThat(new String(stored("new-cookie", "page.html").body(), StandardCharsets.UTF_8))
        .contains("<input type=\"hidden\" name=\"csrf\" value=\"***\">");
  }

  @Test
  void aSucceededApiKeepsNothingOnFailureOnlyAndEverythingAlways() {
    RunnerProcess.Run onFailure =
        run(
            Inputs.of(demo, site.baseUrl())
                .api("invoices", alice)
                .param("page", 1)
                .artifacts(
                    plan("on-failure", "OnFailure", "trace.zip", "screenshot.png", "page.html")));

    assertThat(onFailure.result().outcome()).as(onFailure::describe).isEqualTo(Outcome.SUCCEEDED);
    assertThat(onFailure.result().artifacts()).isNull();
    assertThat(store.objects("/bucket/on-failure/")).isEmpty();
    assertThat(onFailure.stderr()).contains("tracing started").contains("trace dropped");

    RunnerProcess.Run always =
        run(
            Inputs.of(demo, site.baseUrl())
                .api("invoices", alice)
                .param("page", 1)
                .artifacts(plan("always", "Always", "trace.zip", "screenshot.png", "page.html")));

    assertThat(always.result().outcome()).as(always::describe).isEqualTo(Outcome.SUCCEEDED);
    assertThat(always.result().result().path("invoices")).hasSize(10);
    assertThat(always.result().artifacts())
        .extracting(Artifact::name)
        .containsExactly("trace.zip", "screenshot.png", "page.html");
    assertThat(store.objects("/bucket/always/")).hasSize(3);
    assertThat(new String(stored("always", "page.html").body(), StandardCharsets.UTF_8))
        .contains("id=\"invoices\"");
  }

  @Test
  void withoutAPlanNothingIsTracedNorUploaded() throws IOException {
    ApiDefinition broken =
        api(
            Step.of(new Goto("$(params.baseUrl)/invoices?page=1")),
            Step.of(new Click("#no-such-button")).withTimeoutSeconds(1));

    RunnerProcess.Run run = run(Inputs.of(demo, site.baseUrl()).api("broken", broken, alice));

    assertThat(run.result().outcome()).as(run::describe).isEqualTo(Outcome.FAILED);
    assertThat(run.result().artifacts()).isNull();
    assertThat(run.stderr()).doesNotContain("tracing").doesNotContain("artifact");
    if (Files.exists(run.artifacts())) {
      try (Stream<Path> files = Files.list(run.artifacts())) {
        assertThat(files).isEmpty();
      }
    }
  }

  @Test
  void theMfaExampleKeepsNoPasswordSeedCookieNorToken() throws IOException {
    Project mfa = Examples.project("mfa");
    String seed = DemoUsers.BOB.totpSeed().orElseThrow();
    RunnerProcess.Run created =
        run(
            Inputs.of(mfa, site.baseUrl())
                .create(
                    Map.of(
                        "username", DemoUsers.BOB.username(),
                        "password", DemoUsers.BOB.password(),
                        "totpSeed", seed)));
    assertThat(created.result().outcome()).as(created::describe).isEqualTo(Outcome.SUCCEEDED);
    JsonNode bob = created.storageState();
    assertThat(StorageStates.localStorage(bob, "demo_token")).isPresent();

    // The check opens the dashboard, whose script writes the token; the API asks /api/me.
    RunnerProcess.Run run =
        run(
            Inputs.of(mfa, site.baseUrl())
                .api("me", bob)
                .artifacts(plan("mfa", "Always", "trace.zip", "screenshot.png", "page.html")));

    assertThat(run.result().outcome()).as(run::describe).isEqualTo(Outcome.SUCCEEDED);
    assertThat(run.result().artifacts())
        .extracting(Artifact::name)
        .containsExactly("trace.zip", "screenshot.png", "page.html");
    Set<String> secrets = secretsOf(bob, DemoUsers.BOB.password());
    secrets.add(seed);
    assertNoSecretIn("mfa", secrets);
    assertThat(new String(stored("mfa", "page.html").body(), StandardCharsets.UTF_8))
        .contains("id=\"welcome\"")
        .contains("localStorage.setItem('demo_token', '***')");
  }

  /** A plan whose URLs put each file under {@code /bucket/<prefix>/}, signed as S3 would. */
  private static ArtifactPlan plan(String prefix, String when, String... names) {
    Map<String, String> uploads = new LinkedHashMap<>();
    for (String name : names) {
      uploads.put(
          name,
          store.url(
              "/bucket/" + prefix + "/" + name + "?X-Amz-Expires=900&" + SIGNATURE + "-" + name));
    }
    return new ArtifactPlan(when, uploads);
  }

  private static UploadServer.Stored stored(String prefix, String name) {
    return store
        .object("/bucket/" + prefix + "/" + name)
        .orElseThrow(() -> new AssertionError(name + " was not uploaded under " + prefix));
  }

  /** The password, and every cookie and localStorage value of a state. */
  private static Set<String> secretsOf(JsonNode state, String password) {
    Set<String> secrets = new LinkedHashSet<>();
    secrets.add(password);
    state.path("cookies").forEach(c -> secrets.add(c.path("value").asText()));
    state
        .path("origins")
        .forEach(o -> o.path("localStorage").forEach(e -> secrets.add(e.path("value").asText())));
    secrets.removeIf(s -> s.length() < 3);
    return secrets;
  }

  /**
   * No byte of any object uploaded under the prefix, nor of any entry of a zip among them, holds a
   * secret, as written or URL-encoded.
   */
  private static void assertNoSecretIn(String prefix, Set<String> secrets) throws IOException {
    Map<String, UploadServer.Stored> objects = store.objects("/bucket/" + prefix + "/");
    assertThat(objects).isNotEmpty();
    assertThat(secrets).isNotEmpty();
    Map<String, byte[]> scanned = new LinkedHashMap<>();
    for (Map.Entry<String, UploadServer.Stored> object : objects.entrySet()) {
      scanned.put(object.getKey(), object.getValue().body());
      if (object.getKey().endsWith(".zip")) {
        unzip(object.getValue().body())
            .forEach((entry, content) -> scanned.put(object.getKey() + "!" + entry, content));
      }
    }
    assertThat(scanned.keySet()).anyMatch(name -> name.endsWith(".network"));
    for (String secret : secrets) {
      for (String form :
          new LinkedHashSet<>(List.of(secret, URLEncoder.encode(secret, StandardCharsets.UTF_8)))) {
        byte[] needle = form.getBytes(StandardCharsets.UTF_8);
        scanned.forEach(
            (name, content) ->
                assertThat(indexOf(content, needle))
                    .as("a secret of %d characters in %s", secret.length(), name)
                    .isEqualTo(-1));
      }
    }
  }

  /**
   * Opens the trace in Playwright's trace viewer (its driver's {@code show-trace}, in Chromium) and
   * waits until the viewer lists these texts: the masked trace is still one it reads.
   */
  private static void assertTheTraceViewerShows(byte[] zip, String... texts) throws IOException {
    Path work = RunnerProcess.moduleDirectory().resolve("target/runner-work");
    Files.createDirectories(work);
    Path file = Files.write(Files.createTempFile(work, "viewed-", ".zip"), zip);
    Path driver = RunnerProcess.preExtractedDriver();
    Process viewer =
        new ProcessBuilder(
                driver.resolve("node").toString(),
                driver.resolve("package/cli.js").toString(),
                "show-trace",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                file.toString())
            .redirectErrorStream(true)
            .start();
    try {
      String url = listeningUrl(viewer);
      System.setProperty("playwright.cli.dir", driver.toString());
      try (Playwright playwright =
          Playwright.create(
              new Playwright.CreateOptions()
                  .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")))) {
        Browser browser =
            playwright
                .chromium()
                .launch(
                    new BrowserType.LaunchOptions()
                        .setExecutablePath(RunnerProcess.chromium())
                        .setHeadless(true));
        Page page = browser.newPage();
        page.navigate(url);
        for (String text : texts) {
          PlaywrightAssertions.assertThat(page.locator("body"))
              .containsText(text, new LocatorAssertions.ContainsTextOptions().setTimeout(30_000));
        }
        assertThat(page.locator("body").innerText()).doesNotContain("Could not load trace");
      }
    } finally {
      viewer.destroy();
      Files.deleteIfExists(file);
    }
  }

  /** The URL {@code show-trace} prints once it listens. */
  private static String listeningUrl(Process viewer) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(viewer.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      seen.append(line).append('\n');
      Matcher listening = Pattern.compile("Listening on (http://\\S+)").matcher(line);
      if (listening.find()) {
        return listening.group(1);
      }
    }
    throw new AssertionError("the trace viewer did not start:\n" + seen);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static Map<String, byte[]> unzip(byte[] zip) {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        entries.put(entry.getName(), in.readAllBytes());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(entries).as("a zip with entries").isNotEmpty();
    return entries;
  }

  private static ApiDefinition api(Step... steps) {
    ApiDefinition api = new ApiDefinition();
    api.setSteps(Arrays.asList(steps));
    return api;
  }

  private static RunnerProcess.Run run(Inputs inputs) {
    return runner().withPreExtractedDriver().run(inputs.build());
  }
}

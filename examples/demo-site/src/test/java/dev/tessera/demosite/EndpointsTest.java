package dev.tessera.demosite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EndpointsTest {

  private DemoSite site;
  private SiteClient browser;

  @BeforeEach
  void start() {
    site = DemoSite.start();
    browser = new SiteClient(site);
  }

  @AfterEach
  void stop() {
    site.close();
  }

  @Test
  void listensOnLoopbackAtAFreePort() {
    assertThat(site.port()).isPositive();
    assertThat(site.baseUrl()).isEqualTo("http://127.0.0.1:" + site.port());
  }

  @Test
  void rootRedirectsToTheDashboard() {
    HttpResponse<String> response = browser.get("/");

    assertThat(response.statusCode()).isEqualTo(303);
    assertThat(response.headers().firstValue("Location")).hasValue("/dashboard");
  }

  @Test
  void unknownPathIsNotFound() {
    HttpResponse<String> page = browser.get("/nothing-here");
    assertThat(page.statusCode()).isEqualTo(404);
    assertThat(SiteClient.html(page).select("#not-found")).hasSize(1);

    HttpResponse<String> api = browser.get("/api/nothing");
    assertThat(api.statusCode()).isEqualTo(404);
    assertThat(api.headers().firstValue("Content-Type")).hasValue("application/json");
  }

  @Test
  void wrongMethodIsNotAllowed() {
    HttpResponse<String> response = browser.post("/dashboard");
    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue("GET");

    assertThat(browser.post("/api/me").statusCode()).isEqualTo(405);
    assertThat(browser.get("/admin/reset-stats").statusCode()).isEqualTo(405);
  }

  @Test
  void everyResponseIsNotCached() {
    browser.login(DemoUsers.ALICE);
    List<HttpResponse<String>> responses =
        List.of(
            browser.get("/"),
            browser.get("/login"),
            browser.get("/dashboard"),
            browser.get("/invoices"),
            browser.get("/reports"),
            browser.get("/api/me"),
            browser.get("/api/invoices"),
            browser.get("/api/reports"),
            browser.get("/slow?ms=1"),
            browser.get("/admin/stats"),
            browser.get("/missing"),
            browser.post("/dashboard"),
            browser.get("/logout"));

    for (HttpResponse<String> response : responses) {
      assertThat(response.headers().firstValue("Cache-Control"))
          .as(response.request().method() + " " + response.uri())
          .hasValue("no-store");
    }
  }

  @Test
  void apiMeWithoutSessionIsUnauthorizedJson() {
    HttpResponse<String> response = browser.get("/api/me");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(SiteClient.json(response).get("error").asText()).isEqualTo("not authenticated");
  }

  @Test
  void slowPageAnswersAfterTheRequestedDelay() {
    long started = System.nanoTime();

    HttpResponse<String> response = browser.get("/slow?ms=400");

    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(400));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(SiteClient.html(response).selectFirst("#slow-done").text())
        .isEqualTo("Done after 400 ms");
    assertThat(browser.get("/slow?ms=soon").statusCode()).isEqualTo(400);
  }

  @Test
  void parallelRequestsAreServedConcurrently() throws Exception {
    int parallel = 8;
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    try {
      long started = System.nanoTime();
      List<CompletableFuture<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < parallel; i++) {
        calls.add(
            CompletableFuture.supplyAsync(
                () -> new SiteClient(site).get("/slow?ms=1000").statusCode(), pool));
      }
      for (CompletableFuture<Integer> call : calls) {
        assertThat(call.get()).isEqualTo(200);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .as("8 one-second requests served side by side")
          .isLessThan(Duration.ofSeconds(5));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void closeStopsListeningAtOnce() {
    int port = site.port();
    browser.get("/login");

    site.close();

    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(IOException.class);
  }

  @Test
  void optionsValidateTheirValues() {
    DemoSite.Options defaults = DemoSite.Options.defaults();
    assertThat(defaults.host()).isEqualTo("127.0.0.1");
    assertThat(defaults.port()).isZero();
    assertThat(defaults.sessionLifetime()).isEqualTo(Duration.ofMinutes(30));
    assertThat(defaults.withPort(8088).withHost("0.0.0.0"))
        .isEqualTo(new DemoSite.Options("0.0.0.0", 8088, Duration.ofMinutes(30)));

    assertThatThrownBy(() -> defaults.withPort(70_000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.withSessionLifetime(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

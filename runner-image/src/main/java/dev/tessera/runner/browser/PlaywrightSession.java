package dev.tessera.runner.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Tracing;
import com.microsoft.playwright.options.Cookie;
import com.microsoft.playwright.options.ScreenshotType;
import dev.tessera.api.protocol.ErrorCode;
import dev.tessera.api.protocol.RunnerError;
import dev.tessera.api.template.Templates;
import dev.tessera.api.v1alpha1.ApiDefinition;
import dev.tessera.runner.attempt.Call;
import dev.tessera.runner.attempt.LivePage;
import dev.tessera.runner.attempt.Role;
import dev.tessera.runner.attempt.Session;
import dev.tessera.runner.log.RunnerLog;
import dev.tessera.runner.plugin.JavaApis;
import dev.tessera.runner.plugin.PlaywrightApiContext;
import dev.tessera.runner.spi.BrowserApi;
import dev.tessera.runner.step.PlaywrightErrors;
import dev.tessera.runner.step.StepFailure;
import dev.tessera.runner.step.StepRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One browser context and its page. The page is opened on first use, so that a check made only of
 * requests costs no page; once open, every later call in the session uses the same page.
 */
final class PlaywrightSession implements Session {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long the screenshot of the page at the end of an Attempt may take. */
  static final double CAPTURE_TIMEOUT_MS = 10_000;

  private final BrowserContext context;
  private final SessionSettings settings;
  private final RunnerLog log;
  private StoredOrigins pendingOrigins;
  private Page page;
  private boolean tracing;

  PlaywrightSession(
      BrowserContext context, StoredOrigins origins, SessionSettings settings, RunnerLog log) {
    this.context = context;
    this.pendingOrigins = origins;
    this.settings = settings;
    this.log = log;
  }

  private Page page() {
    if (page == null) {
      long start = System.nanoTime();
      page = context.newPage();
      restoreLocalStorage();
      log.info("page opened in %d ms", (System.nanoTime() - start) / 1_000_000);
    }
    return page;
  }

  /** Restores the stored localStorage, once, before any page script of the session runs. */
  private void restoreLocalStorage() {
    if (!pendingOrigins.isEmpty()) {
      StoredOrigins origins = pendingOrigins;
      pendingOrigins = StoredOrigins.none();
      origins.restoreInto(page());
    }
  }

  @Override
  public LivePage live() {
    Page live = page();
    return new LivePage() {
      @Override
      public void goTo(String url) {
        live.navigate(url);
      }

      @Override
      public String url() {
        return live.url();
      }

      @Override
      public byte[] picture() {
        return live.screenshot(
            new Page.ScreenshotOptions().setType(ScreenshotType.JPEG).setQuality(70));
      }

      @Override
      public int width() {
        return live.viewportSize() == null ? 1280 : live.viewportSize().width;
      }

      @Override
      public int height() {
        return live.viewportSize() == null ? 800 : live.viewportSize().height;
      }

      @Override
      public void click(double x, double y) {
        live.mouse().click(x, y);
      }

      @Override
      public void type(String text) {
        live.keyboard().type(text);
      }

      @Override
      public void press(String key) {
        live.keyboard().press(key);
      }

      @Override
      public void scroll(double dx, double dy) {
        live.mouse().wheel(dx, dy);
      }
    };
  }

  @Override
  public Call call(ApiDefinition api, Role role, String name) {
    if (!tracing) {
      return callUntraced(api, role, name);
    }
    context.tracing().group(role.owner(name));
    try {
      return callUntraced(api, role, name);
    } finally {
      try {
        context.tracing().groupEnd();
      } catch (PlaywrightException e) {
        log.info(
            "ending a group of the trace failed: %s", PlaywrightErrors.summary(e.getMessage()));
      }
    }
  }

  private Call callUntraced(ApiDefinition api, Role role, String name) {
    Map<String, String> credentials =
        role == Role.CREATE ? settings.credentials() : Map.<String, String>of();
    String owner = role.owner(name);
    if (api.getClassName() != null) {
      return callJava(api.getClassName(), credentials);
    }
    Templates templates =
        new Templates(settings.parameters(), credentials, settings.clock())
            .withBrowserState(new State());
    StepRunner steps =
        new StepRunner(
            this::page,
            context,
            templates,
            settings.stepTimeout(),
            settings.artifacts(),
            log,
            settings.proxy() != null && settings.proxy().server() != null,
            settings.guard());
    try {
      return Call.succeeded(steps.run(api.getSteps(), owner));
    } catch (StepFailure failure) {
      return Call.failed(failure.toError());
    }
  }

  private Call callJava(String className, Map<String, String> credentials) {
    JavaApis javaApis = settings.javaApis();
    BrowserApi api;
    try {
      api = javaApis.instantiate(className);
    } catch (JavaApis.ApiClassException e) {
      return Call.failed(RunnerError.ofStep(ErrorCode.ApiClassNotFound, className, e.getMessage()));
    }
    if (!pendingOrigins.isEmpty()) {
      page();
    }
    PlaywrightApiContext apiContext =
        new PlaywrightApiContext(
            this::page, context, settings.parameters(), credentials, settings.clock());
    try {
      return Call.succeeded(api.run(apiContext));
    } catch (Exception | LinkageError e) {
      String detail = PlaywrightErrors.summary(e.getMessage());
      return Call.failed(
          RunnerError.ofStep(
              ErrorCode.ApiError,
              className,
              className + " threw " + e.getClass().getSimpleName() + ": " + detail));
    }
  }

  @Override
  public JsonNode storageStateSoFar() {
    try {
      return JSON.readTree(context.storageState());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void startTracing(String title) {
    long start = System.nanoTime();
    context
        .tracing()
        .start(
            new Tracing.StartOptions()
                .setScreenshots(true)
                .setSnapshots(true)
                .setSources(false)
                .setTitle(title));
    tracing = true;
    log.info("tracing started in %d ms", (System.nanoTime() - start) / 1_000_000);
  }

  @Override
  public void stopTracing(Path file) {
    if (!tracing) {
      return;
    }
    tracing = false;
    long start = System.nanoTime();
    context.tracing().stop(file == null ? null : new Tracing.StopOptions().setPath(file));
    log.info(
        "tracing stopped in %d ms%s",
        (System.nanoTime() - start) / 1_000_000, file == null ? ", trace dropped" : "");
  }

  @Override
  public byte[] screenshot() {
    Page shown = shownPage();
    return shown == null
        ? null
        : shown.screenshot(
            new Page.ScreenshotOptions()
                .setType(ScreenshotType.PNG)
                .setFullPage(false)
                .setTimeout(CAPTURE_TIMEOUT_MS));
  }

  @Override
  public String html() {
    Page shown = shownPage();
    return shown == null ? null : shown.content();
  }

  /**
   * The page the session shows: its own once opened, else the last one a Java API opened; null when
   * there is none.
   */
  private Page shownPage() {
    if (page != null && !page.isClosed()) {
      return page;
    }
    List<Page> pages = context.pages();
    return pages.isEmpty() ? null : pages.get(pages.size() - 1);
  }

  @Override
  public JsonNode storageState() {
    if (!pendingOrigins.isEmpty()) {
      page();
    }
    try {
      return JSON.readTree(context.storageState());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The browser's state that request steps read: the stored localStorage as given while no page is
   * open (a check made of requests opens none), the context's own once one is, and the cookies the
   * context would send.
   */
  private final class State implements Templates.BrowserState {
    @Override
    public String localStorage(String origin, String key) {
      if (page == null && !pendingOrigins.isEmpty()) {
        return pendingOrigins.value(origin, key);
      }
      for (JsonNode stored : storageState().path("origins")) {
        if (origin.equals(stored.path("origin").asText())) {
          for (JsonNode item : stored.path("localStorage")) {
            if (key.equals(item.path("name").asText())) {
              return item.path("value").asText();
            }
          }
        }
      }
      return null;
    }

    @Override
    public String cookie(String url, String name) {
      for (Cookie cookie : context.cookies(url)) {
        if (name.equals(cookie.name)) {
          return cookie.value;
        }
      }
      return null;
    }
  }

  @Override
  public void close() {
    try {
      context.close();
    } catch (PlaywrightException e) {
      log.info("closing a browser context failed: %s", PlaywrightErrors.summary(e.getMessage()));
    }
  }
}

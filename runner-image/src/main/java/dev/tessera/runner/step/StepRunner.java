package dev.tessera.runner.step;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.TimeoutError;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.LoadState;
import com.microsoft.playwright.options.RequestOptions;
import com.microsoft.playwright.options.WaitForSelectorState;
import dev.tessera.api.protocol.ErrorCode;
import dev.tessera.api.template.TemplateException;
import dev.tessera.api.template.Templates;
import dev.tessera.api.v1alpha1.step.Action;
import dev.tessera.api.v1alpha1.step.Click;
import dev.tessera.api.v1alpha1.step.Expect;
import dev.tessera.api.v1alpha1.step.Extract;
import dev.tessera.api.v1alpha1.step.Fill;
import dev.tessera.api.v1alpha1.step.Goto;
import dev.tessera.api.v1alpha1.step.Outcome;
import dev.tessera.api.v1alpha1.step.Press;
import dev.tessera.api.v1alpha1.step.Request;
import dev.tessera.api.v1alpha1.step.Screenshot;
import dev.tessera.api.v1alpha1.step.Select;
import dev.tessera.api.v1alpha1.step.Step;
import dev.tessera.api.v1alpha1.step.WaitFor;
import dev.tessera.runner.log.RunnerLog;
import dev.tessera.runner.network.NetworkGuard;
import dev.tessera.runner.result.Artifacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs declarative steps in one page, in order, and collects what {@code extract} and {@code
 * request} (with {@code as}) read into one JSON object. The first failing step stops the run with a
 * {@link StepFailure} that names the step and carries the error code.
 */
public final class StepRunner {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Each item's cells: the text of the first match of each selector inside it, or null. Null
   * overall when a selector is not plain CSS.
   */
  private static final String READ_CELLS =
      "(items, selectors) => {"
          + " try { for (const s of selectors) document.createDocumentFragment().querySelector(s); }"
          + " catch (e) { return null; }"
          + " return items.map(item => selectors.map(s => {"
          + " const el = item.querySelector(s); return el === null ? null : el.textContent; }));"
          + " }";

  private final Supplier<Page> page;
  private final BrowserContext context;
  private final Templates templates;
  private final Duration defaultTimeout;
  private final Artifacts artifacts;
  private final RunnerLog log;
  private final boolean proxied;
  private final NetworkGuard guard;

  /** How many redirects a request step follows, as Playwright does by default. */
  static final int MAX_REDIRECTS = 20;

  /**
   * @param page the page, created on first use (a check made of requests needs none)
   * @param context the page's context, whose request API carries the session's cookies
   * @param templates renders templated values
   * @param defaultTimeout the time limit of a step without its own
   * @param artifacts where screenshots go
   * @param log the runner's log
   * @param proxied whether the context goes through a proxy (connection failures are then the
   *     proxy's)
   * @param guard where steps may not go: every URL a step navigates to or requests, and every
   *     redirect a request follows, is checked before it is used
   */
  public StepRunner(
      Supplier<Page> page,
      BrowserContext context,
      Templates templates,
      Duration defaultTimeout,
      Artifacts artifacts,
      RunnerLog log,
      boolean proxied,
      NetworkGuard guard) {
    this.page = page;
    this.context = context;
    this.templates = templates;
    this.defaultTimeout = defaultTimeout;
    this.artifacts = artifacts;
    this.log = log;
    this.proxied = proxied;
    this.guard = guard;
  }

  /**
   * Runs the steps and returns the result object.
   *
   * @param owner what runs the steps, for the log ({@code check}, {@code create}, {@code api x})
   */
  public ObjectNode run(List<Step> steps, String owner) throws StepFailure {
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      String label = StepLabel.of(step, i + 1);
      Duration timeout =
          step.timeoutSeconds() == null
              ? defaultTimeout
              : Duration.ofSeconds(step.timeoutSeconds());
      long start = System.nanoTime();
      Ctx ctx = new Ctx(label, timeout, new Artifacts.StepKey(owner, i + 1));
      try {
        try {
          runStep(step, ctx, result);
        } finally {
          // a redirect of this step's page to a refused address fails the step, whatever else
          // happened: nothing read from that page goes further
          Optional<NetworkGuard.Refusal> redirected = guard.takeRedirectRefusal();
          if (redirected.isPresent()) {
            throw ctx.fail(redirected.get().code(), redirected.get().message());
          }
        }
      } catch (StepFailure failure) {
        log.info(
            "%s %s of %d failed in %d ms: %s",
            owner, label, steps.size(), millisSince(start), failure.code());
        throw failure;
      }
      log.info("%s %s of %d ok in %d ms", owner, label, steps.size(), millisSince(start));
    }
    return result;
  }

  /** The label, time limit and position of the running step. */
  private record Ctx(String label, Duration timeout, Artifacts.StepKey step) {
    double millis() {
      return timeout.toMillis();
    }

    String within() {
      long ms = timeout.toMillis();
      return ms % 1000 == 0 ? "within " + ms / 1000 + " s" : "within " + ms + " ms";
    }

    StepFailure fail(ErrorCode code, String detail) {
      return new StepFailure(code, label, detail);
    }
  }

  private void runStep(Step step, Ctx ctx, ObjectNode result) throws StepFailure {
    try {
      step.action().accept(new Actions(ctx, result));
    } catch (TemplateException e) {
      throw ctx.fail(ErrorCode.TemplateError, e.getMessage());
    } catch (TimeoutError e) {
      throw ctx.fail(ErrorCode.StepTimeout, "did not finish " + ctx.within());
    } catch (PlaywrightException e) {
      throw ctx.fail(ErrorCode.InternalError, PlaywrightErrors.summary(e.getMessage()));
    }
  }

  /** What each action does in the page, for the running step. */
  private final class Actions implements Action.Visitor<Void, StepFailure> {
    private final Ctx ctx;
    private final ObjectNode result;

    Actions(Ctx ctx, ObjectNode result) {
      this.ctx = ctx;
      this.result = result;
    }

    @Override
    public Void visit(Goto action) throws StepFailure {
      goTo(ctx, render(action.url()));
      return null;
    }

    @Override
    public Void visit(Fill action) throws StepFailure {
      String selector = render(action.selector());
      String value = render(action.value());
      act(
          ctx,
          selector,
          "filled",
          l -> l.fill(value, new Locator.FillOptions().setTimeout(ctx.millis())));
      return null;
    }

    @Override
    public Void visit(Click action) throws StepFailure {
      act(
          ctx,
          render(action.selector()),
          "clicked",
          l -> l.click(new Locator.ClickOptions().setTimeout(ctx.millis())));
      return null;
    }

    @Override
    public Void visit(Press action) throws StepFailure {
      press(ctx, render(action.selector()), render(action.key()));
      return null;
    }

    @Override
    public Void visit(Select action) throws StepFailure {
      String selector = render(action.selector());
      String value = render(action.value());
      act(
          ctx,
          selector,
          "given the option",
          l -> l.selectOption(value, new Locator.SelectOptionOptions().setTimeout(ctx.millis())));
      return null;
    }

    @Override
    public Void visit(WaitFor action) throws StepFailure {
      waitFor(ctx, action);
      return null;
    }

    @Override
    public Void visit(Expect action) throws StepFailure {
      expect(ctx, action);
      return null;
    }

    @Override
    public Void visit(Extract action) throws StepFailure {
      extract(ctx, action, result);
      return null;
    }

    @Override
    public Void visit(Request action) throws StepFailure {
      request(ctx, action, result);
      return null;
    }

    @Override
    public Void visit(Screenshot action) throws StepFailure {
      screenshot(ctx, render(action.as()), action.fullPage());
      return null;
    }
  }

  private String render(String template) {
    return templates.render(template);
  }

  /** Fails the step when the guard refuses the URL; nothing is sent then. */
  private void allow(Ctx ctx, String url) throws StepFailure {
    allow(ctx, url, url);
  }

  /** As {@link #allow(Ctx, String)}, naming the URL as {@code shown} (its secrets as written). */
  private void allow(Ctx ctx, String url, String shown) throws StepFailure {
    Optional<NetworkGuard.Refusal> refusal = guard.stepRefusal(url);
    if (refusal.isPresent()) {
      throw ctx.fail(refusal.get().code(), refusal.get().message().replace(url, shown));
    }
  }

  private void goTo(Ctx ctx, String url) throws StepFailure {
    allow(ctx, url);
    Response response;
    try {
      response = page.get().navigate(url, new Page.NavigateOptions().setTimeout(ctx.millis()));
    } catch (TimeoutError e) {
      throw ctx.fail(ErrorCode.StepTimeout, "the page did not load " + ctx.within());
    } catch (PlaywrightException e) {
      String summary = PlaywrightErrors.summary(e.getMessage());
      if (PlaywrightErrors.isBlockedByRunner(e.getMessage())) {
        throw ctx.fail(
            ErrorCode.AddressNotAllowed,
            "the runner does not connect to " + url + ": its address is blocked");
      }
      if (PlaywrightErrors.isProxyNavigationFailure(e.getMessage())) {
        throw ctx.fail(ErrorCode.ProxyError, "the proxy failed to load the page: " + summary);
      }
      throw ctx.fail(ErrorCode.NavigationFailed, "the page could not be loaded: " + summary);
    }
    if (response != null && response.status() >= 400) {
      throw new StepFailure(
          ErrorCode.NavigationFailed,
          ctx.label(),
          "the page answered HTTP " + response.status() + " (" + response.url() + ")",
          !isClientError(response.status()));
    }
  }

  /** An action on the first element a selector matches. */
  @FunctionalInterface
  private interface ElementAction {
    void run(Locator locator);
  }

  private void act(Ctx ctx, String selector, String what, ElementAction action) throws StepFailure {
    Locator locator = page.get().locator(selector).first();
    try {
      action.run(locator);
    } catch (TimeoutError e) {
      throw elementTimeout(ctx, selector, "could not be " + what);
    }
  }

  private void press(Ctx ctx, String selector, String key) throws StepFailure {
    if (selector == null) {
      page.get().keyboard().press(key);
      return;
    }
    act(
        ctx,
        selector,
        "given the key",
        l -> l.press(key, new Locator.PressOptions().setTimeout(ctx.millis())));
  }

  /**
   * A selector-bound action timed out: either nothing matched ({@code SelectorNotFound}) or the
   * element was there but never became ready ({@code StepTimeout}).
   */
  private StepFailure elementTimeout(Ctx ctx, String selector, String what) {
    int count;
    try {
      count = page.get().locator(selector).count();
    } catch (PlaywrightException e) {
      count = 0;
    }
    if (count == 0) {
      return ctx.fail(
          ErrorCode.SelectorNotFound,
          "no element matches selector " + quote(selector) + " " + ctx.within());
    }
    return ctx.fail(
        ErrorCode.StepTimeout,
        "the element matching " + quote(selector) + " " + what + " " + ctx.within());
  }

  private void waitFor(Ctx ctx, WaitFor w) throws StepFailure {
    if (w.anyOf() != null) {
      anyOf(ctx, w.anyOf());
      return;
    }
    if (w.url() != null) {
      String url = render(w.url());
      try {
        page.get().waitForURL(url, new Page.WaitForURLOptions().setTimeout(ctx.millis()));
      } catch (TimeoutError e) {
        throw ctx.fail(
            ErrorCode.StepTimeout,
            "the page did not reach a URL matching "
                + quote(url)
                + " "
                + ctx.within()
                + "; it is at "
                + page.get().url());
      }
    }
    if (w.loadState() != null) {
      LoadState state = LoadState.valueOf(w.loadState().toUpperCase(Locale.ROOT));
      try {
        page.get()
            .waitForLoadState(state, new Page.WaitForLoadStateOptions().setTimeout(ctx.millis()));
      } catch (TimeoutError e) {
        throw ctx.fail(
            ErrorCode.StepTimeout,
            "the page did not reach load state " + w.loadState() + " " + ctx.within());
      }
    }
    if (w.selector() != null) {
      String selector = render(w.selector());
      WaitForSelectorState state =
          w.state() == null
              ? WaitForSelectorState.VISIBLE
              : WaitForSelectorState.valueOf(w.state().toUpperCase(Locale.ROOT));
      try {
        page.get()
            .locator(selector)
            .first()
            .waitFor(new Locator.WaitForOptions().setState(state).setTimeout(ctx.millis()));
      } catch (TimeoutError e) {
        if (state == WaitForSelectorState.VISIBLE || state == WaitForSelectorState.ATTACHED) {
          throw elementTimeout(
              ctx, selector, "did not become " + state.name().toLowerCase(Locale.ROOT));
        }
        throw ctx.fail(
            ErrorCode.StepTimeout,
            "the element matching "
                + quote(selector)
                + " did not become "
                + state.name().toLowerCase(Locale.ROOT)
                + " "
                + ctx.within());
      }
    }
  }

  /**
   * Waits for the first outcome the page shows (looking every {@link #POLL}) and does what it
   * means: goes on, fails the step, or reports the site's refusal of the credentials.
   */
  private void anyOf(Ctx ctx, List<Outcome> outcomes) throws StepFailure {
    Page p = page.get();
    List<String> targets = new ArrayList<>();
    for (Outcome outcome : outcomes) {
      targets.add(render(outcome.selector() != null ? outcome.selector() : outcome.url()));
    }
    long deadline = System.nanoTime() + ctx.timeout().toNanos();
    while (true) {
      for (int i = 0; i < outcomes.size(); i++) {
        Outcome outcome = outcomes.get(i);
        String target = targets.get(i);
        boolean shown =
            outcome.selector() != null ? visible(p, target) : UrlGlob.matches(target, p.url());
        if (shown) {
          shown(ctx, outcome, target, p);
          return;
        }
      }
      if (System.nanoTime() > deadline) {
        throw ctx.fail(
            ErrorCode.StepTimeout,
            "the page showed none of "
                + String.join(", ", targets.stream().map(StepRunner::quote).toList())
                + " "
                + ctx.within()
                + "; it is at "
                + p.url());
      }
      p.waitForTimeout(POLL.toMillis());
    }
  }

  /** How often {@code anyOf} and {@code extract} look at the page while they wait. */
  static final Duration POLL = Duration.ofMillis(50);

  /** Whether the first element a selector matches is visible; false while the page navigates. */
  private static boolean visible(Page p, String selector) {
    try {
      return p.locator(selector).first().isVisible();
    } catch (PlaywrightException navigating) {
      return false;
    }
  }

  private static void shown(Ctx ctx, Outcome outcome, String target, Page p) throws StepFailure {
    switch (outcome.thenOrDefault()) {
      case Continue:
        return;
      case Fail:
        throw ctx.fail(
            ErrorCode.OutcomeFailed,
            (outcome.selector() != null
                    ? "the page shows " + quote(target)
                    : "the page reached " + p.url())
                + ", which this step declares a failure");
      case RejectCredentials:
        throw ctx.fail(
            ErrorCode.CredentialsRejected,
            "the site rejected the credentials"
                + (outcome.selector() != null ? siteMessage(p, target) : " (" + p.url() + ")"));
      default:
        throw new IllegalStateException(outcome.thenOrDefault().name());
    }
  }

  /** The visible text of the element that showed the site's answer, as the site wrote it. */
  private static String siteMessage(Page p, String selector) {
    try {
      String text = p.locator(selector).first().innerText();
      String message = text == null ? "" : text.strip().replaceAll("\\s+", " ");
      if (message.isEmpty()) {
        return " (" + quote(selector) + " shows no text)";
      }
      return ": " + quote(message.length() > 200 ? message.substring(0, 200) + "..." : message);
    } catch (PlaywrightException gone) {
      return " (" + quote(selector) + " showed)";
    }
  }

  private void expect(Ctx ctx, Expect e) throws StepFailure {
    if (e.url() != null) {
      String url = render(e.url());
      try {
        page.get().waitForURL(url, new Page.WaitForURLOptions().setTimeout(ctx.millis()));
      } catch (TimeoutError t) {
        throw ctx.fail(
            ErrorCode.ExpectationFailed,
            "the page is at " + page.get().url() + ", not at a URL matching " + quote(url));
      }
    }
    if (e.selector() == null) {
      return;
    }
    String selector = render(e.selector());
    Locator all = page.get().locator(selector);
    try {
      if (e.count() != null) {
        PlaywrightAssertions.assertThat(all)
            .hasCount(e.count(), new LocatorAssertions.HasCountOptions().setTimeout(ctx.millis()));
      }
      boolean visible = e.visible() == null ? e.count() == null : e.visible();
      if (visible) {
        PlaywrightAssertions.assertThat(all.first())
            .isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(ctx.millis()));
      } else if (Boolean.FALSE.equals(e.visible())) {
        PlaywrightAssertions.assertThat(all.first())
            .isHidden(new LocatorAssertions.IsHiddenOptions().setTimeout(ctx.millis()));
      }
      if (e.text() != null) {
        PlaywrightAssertions.assertThat(all.first())
            .containsText(
                render(e.text()),
                new LocatorAssertions.ContainsTextOptions().setTimeout(ctx.millis()));
      }
    } catch (AssertionError failed) {
      throw ctx.fail(ErrorCode.ExpectationFailed, expectationDetail(e, selector, all));
    }
  }

  private static String expectationDetail(Expect e, String selector, Locator all) {
    int count = all.count();
    StringBuilder detail = new StringBuilder("expected ").append(quote(selector));
    if (e.count() != null) {
      detail.append(" to match ").append(e.count()).append(" elements");
    }
    if (e.text() != null) {
      detail.append(e.count() != null ? " and" : "").append(" to contain ").append(quote(e.text()));
    }
    if (Boolean.FALSE.equals(e.visible())) {
      detail.append(" to be hidden");
    } else if (e.count() == null && e.text() == null) {
      detail.append(" to be visible");
    }
    detail.append("; it matches ").append(count).append(count == 1 ? " element" : " elements");
    return detail.toString();
  }

  private void extract(Ctx ctx, Extract x, ObjectNode result) throws StepFailure {
    String selector = render(x.selector());
    Locator all = page.get().locator(selector);
    Map<String, String> fields = x.fields();
    boolean list = (fields != null && !fields.isEmpty()) || Boolean.TRUE.equals(x.multiple());
    settle(
        ctx,
        selector,
        all,
        Boolean.TRUE.equals(x.allowEmpty()),
        list ? x.stableForMillisOrDefault() : 0);
    if (fields != null && !fields.isEmpty()) {
      result.set(x.as(), records(all, fields));
    } else if (list) {
      ArrayNode values = result.arrayNode();
      if (x.attribute() != null) {
        Object read =
            all.evaluateAll("(els, name) => els.map(e => e.getAttribute(name))", x.attribute());
        for (Object value : (List<?>) read) {
          values.add(value == null ? null : value.toString());
        }
      } else {
        all.allTextContents().forEach(text -> values.add(text.strip()));
      }
      result.set(x.as(), values);
    } else if (all.count() == 0) {
      result.putNull(x.as());
    } else {
      Locator first = all.first();
      String value =
          x.attribute() == null ? strip(first.textContent()) : first.getAttribute(x.attribute());
      result.put(x.as(), value);
    }
  }

  /**
   * Waits until the selector matches (or, when empty is allowed, until the page has been still for
   * a moment) and then until the number of matches has not changed for {@code stableMillis}, so
   * that rows a page draws after its load are all read. Fails when nothing matches, or the list
   * keeps changing, within the step's timeout.
   */
  private void settle(Ctx ctx, String selector, Locator all, boolean allowEmpty, int stableMillis)
      throws StepFailure {
    long start = System.nanoTime();
    long deadline = start + ctx.timeout().toNanos();
    if (!allowEmpty) {
      try {
        all.first()
            .waitFor(
                new Locator.WaitForOptions()
                    .setState(WaitForSelectorState.ATTACHED)
                    .setTimeout(ctx.millis()));
      } catch (TimeoutError e) {
        throw elementTimeout(ctx, selector, "was not found");
      }
    }
    long window =
        Duration.ofMillis(
                allowEmpty
                    ? Math.max(stableMillis, Extract.DEFAULT_STABLE_FOR_MILLIS)
                    : stableMillis)
            .toNanos();
    if (window == 0) {
      return;
    }
    int count = all.count();
    long since = System.nanoTime();
    while (System.nanoTime() - since < window) {
      if (System.nanoTime() > deadline) {
        throw ctx.fail(
            ErrorCode.StepTimeout,
            "the elements matching "
                + quote(selector)
                + " kept changing in number (now "
                + count
                + ") "
                + ctx.within());
      }
      page.get().waitForTimeout(POLL.toMillis());
      int now = all.count();
      if (now != count) {
        count = now;
        since = System.nanoTime();
      }
    }
  }

  /**
   * Reads one record per item. When every field selector is plain CSS, all cells are read in the
   * page in one round trip (a table of 10 rows and 5 fields costs ~10 ms instead of ~0.7 s of one
   * locator call per cell in a cold JVM); other Playwright selectors ({@code text=}, {@code >>},
   * {@code :has-text()}) go through one locator per cell. Plain CSS in the page does not pierce
   * shadow roots; cells in a shadow root need a Playwright selector.
   */
  private ArrayNode records(Locator items, Map<String, String> fields) {
    List<String> names = new ArrayList<>(fields.keySet());
    List<String> selectors = new ArrayList<>();
    for (String name : names) {
      selectors.add(render(fields.get(name)));
    }
    ArrayNode records = JsonNodeFactory.instance.arrayNode();
    Object cells = items.evaluateAll(READ_CELLS, selectors);
    if (cells instanceof List<?> rows) {
      for (Object row : rows) {
        ObjectNode record = records.addObject();
        List<?> values = (List<?>) row;
        for (int i = 0; i < names.size(); i++) {
          Object value = values.get(i);
          record.put(names.get(i), value == null ? null : value.toString().strip());
        }
      }
      return records;
    }
    for (Locator item : items.all()) {
      ObjectNode record = records.addObject();
      for (int i = 0; i < names.size(); i++) {
        List<String> texts = item.locator(selectors.get(i)).allTextContents();
        record.put(names.get(i), texts.isEmpty() ? null : texts.get(0).strip());
      }
    }
    return records;
  }

  private void request(Ctx ctx, Request r, ObjectNode result) throws StepFailure {
    String method = r.method() == null ? "GET" : r.method().toUpperCase(Locale.ROOT);
    Templates.RequestTemplates request = templates.request(r.url());
    String url = request.url();
    Map<String, String> headers = new LinkedHashMap<>();
    if (r.headers() != null) {
      r.headers().forEach((name, value) -> headers.put(name, request.templates().render(value)));
    }
    String body = r.body() == null ? null : request.templates().render(r.body());
    String shown = templates.display(r.url());
    APIResponse response = fetch(ctx, method, url, shown, headers, body);
    try {
      int status = response.status();
      boolean expected =
          r.expectStatus() == null ? status >= 200 && status < 300 : status == r.expectStatus();
      if (!expected) {
        // A client error is the site's answer (not signed in, not found): another try gets the
        // same one. A server error, a timeout or throttling may pass on the next try.
        boolean clientError = isClientError(status);
        throw new StepFailure(
            ErrorCode.RequestFailed,
            ctx.label(),
            method
                + " "
                + shown
                + " answered HTTP "
                + status
                + ", expected "
                + (r.expectStatus() == null ? "2xx" : r.expectStatus()),
            !clientError);
      }
      if (r.as() != null) {
        result.set(r.as(), body(response.body()));
      }
    } finally {
      response.dispose();
    }
  }

  /**
   * Sends a request and follows its redirects one by one, as Playwright would (at most {@link
   * #MAX_REDIRECTS}; 303, and 301 or 302 after a POST, go on as GET without a body), checking each
   * URL with the guard before it is requested.
   */
  private APIResponse fetch(
      Ctx ctx, String method, String url, String shown, Map<String, String> headers, String body)
      throws StepFailure {
    String currentMethod = method;
    String currentUrl = url;
    String currentBody = body;
    for (int redirects = 0; ; redirects++) {
      allow(ctx, currentUrl, redirects == 0 ? shown : currentUrl);
      RequestOptions options =
          RequestOptions.create()
              .setMethod(currentMethod)
              .setTimeout(ctx.millis())
              .setFailOnStatusCode(false)
              .setMaxRedirects(0);
      headers.forEach(options::setHeader);
      if (currentBody != null) {
        options.setData(currentBody);
      }
      APIResponse response;
      try {
        response = context.request().fetch(currentUrl, options);
      } catch (TimeoutError e) {
        throw ctx.fail(
            ErrorCode.StepTimeout, "no answer to " + method + " " + shown + " " + ctx.within());
      } catch (PlaywrightException e) {
        String summary = PlaywrightErrors.summary(e.getMessage());
        if (proxied && PlaywrightErrors.isConnectionFailure(e.getMessage())) {
          throw ctx.fail(ErrorCode.ProxyError, "the proxy could not be reached: " + summary);
        }
        throw ctx.fail(
            ErrorCode.RequestFailed, "no answer to " + method + " " + shown + ": " + summary);
      }
      String location = redirectLocation(response);
      if (location == null) {
        return response;
      }
      response.dispose();
      if (redirects >= MAX_REDIRECTS) {
        throw ctx.fail(
            ErrorCode.RequestFailed,
            method + " " + shown + " redirected more than " + MAX_REDIRECTS + " times");
      }
      int status = response.status();
      try {
        currentUrl = java.net.URI.create(currentUrl).resolve(location.strip()).toString();
      } catch (IllegalArgumentException e) {
        throw ctx.fail(
            ErrorCode.RequestFailed, method + " " + shown + " redirected to a malformed URL");
      }
      if (status == 303 || ((status == 301 || status == 302) && currentMethod.equals("POST"))) {
        currentMethod = currentMethod.equals("HEAD") ? "HEAD" : "GET";
        currentBody = null;
      }
    }
  }

  /**
   * Whether an HTTP status is the site's definite answer about the request (not signed in, not
   * found, forbidden), which another try would only repeat: a 4xx other than 408 (timeout) and 429
   * (throttled).
   */
  static boolean isClientError(int status) {
    return status >= 400 && status < 500 && status != 408 && status != 429;
  }

  /** Where a redirect points, or null when the response is no redirect. */
  private static String redirectLocation(APIResponse response) {
    int status = response.status();
    if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
      return null;
    }
    return response.headers().get("location");
  }

  /** A response body as JSON when it parses, else as text. */
  static JsonNode body(byte[] bytes) {
    String text = bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    if (!text.isBlank()) {
      try {
        JsonNode json = JSON.readTree(text);
        if (json != null && !json.isMissingNode()) {
          return json;
        }
      } catch (IOException notJson) {
        // Falls through to text.
      }
    }
    return TextNode.valueOf(text);
  }

  private void screenshot(Ctx ctx, String name, Boolean fullPage) throws StepFailure {
    try {
      Path file = artifacts.newFile(name, "png");
      page.get()
          .screenshot(
              new Page.ScreenshotOptions()
                  .setPath(file)
                  .setFullPage(Boolean.TRUE.equals(fullPage))
                  .setTimeout(ctx.millis()));
      artifacts.add(name, file, "image/png", ctx.step());
    } catch (IOException e) {
      throw ctx.fail(
          ErrorCode.InternalError, "the screenshot could not be written: " + e.getMessage());
    }
  }

  private static String strip(String text) {
    return text == null ? null : text.strip();
  }

  private static String quote(String text) {
    return "\"" + text + "\"";
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}

package dev.tessera.runner.attempt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import dev.tessera.api.protocol.Artifact;
import dev.tessera.api.protocol.ArtifactPlan;
import dev.tessera.api.protocol.AttemptInput;
import dev.tessera.api.protocol.AttemptResult;
import dev.tessera.api.protocol.ErrorCode;
import dev.tessera.api.protocol.Outcome;
import dev.tessera.api.protocol.ProtocolJson;
import dev.tessera.api.protocol.RecordingOptions;
import dev.tessera.api.protocol.RunnerError;
import dev.tessera.api.protocol.Timings;
import dev.tessera.api.protocol.Validation;
import dev.tessera.api.protocol.ValidationOutcome;
import dev.tessera.api.template.Templates;
import dev.tessera.api.v1alpha1.ApiDefinition;
import dev.tessera.runner.artifact.HttpUploader;
import dev.tessera.runner.artifact.Uploader;
import dev.tessera.runner.log.ProcessClock;
import dev.tessera.runner.log.RunnerLog;
import dev.tessera.runner.recorder.HostedBrowser;
import dev.tessera.runner.result.Artifacts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Runs one Attempt, validate-first: the order of checks, creates and the API, how many times each
 * is tried, and which outcome and error code the Attempt ends with. It knows nothing of Playwright:
 * the browser comes in through {@link BrowserLauncher}, which tests replace with fakes.
 */
public final class AttemptRunner {
  /** The pause between two tries of a check or a create. */
  public static final Duration DEFAULT_RETRY_PAUSE = Duration.ofMillis(500);

  /** Waits between tries. */
  @FunctionalInterface
  public interface Pause {
    void pause(Duration duration) throws InterruptedException;
  }

  private final ProcessClock clock;
  private final RunnerLog log;
  private final Pause pause;
  private final Duration retryPause;
  private final Uploader uploader;

  /**
   * @param uploader where an API Attempt's artifacts go, when its input has an {@link ArtifactPlan}
   */
  public AttemptRunner(
      ProcessClock clock, RunnerLog log, Pause pause, Duration retryPause, Uploader uploader) {
    this.clock = clock;
    this.log = log;
    this.pause = pause;
    this.retryPause = retryPause;
    this.uploader = uploader;
  }

  /** A runner that uploads artifacts over HTTP. */
  public AttemptRunner(ProcessClock clock, RunnerLog log, Pause pause, Duration retryPause) {
    this(clock, log, pause, retryPause, HttpUploader.withDefaults());
  }

  /** A runner that sleeps {@link #DEFAULT_RETRY_PAUSE} between tries. */
  public static AttemptRunner withDefaults(ProcessClock clock, RunnerLog log) {
    return new AttemptRunner(clock, log, d -> Thread.sleep(d.toMillis()), DEFAULT_RETRY_PAUSE);
  }

  /**
   * Runs the Attempt and returns its result; failures are results too, never exceptions.
   *
   * @param artifacts where files go: screenshot steps' and, for an API Attempt with a plan, the
   *     artifacts it keeps before they are uploaded
   */
  public AttemptResult run(AttemptInput input, BrowserLauncher launcher, Artifacts artifacts) {
    Run run = new Run(input, artifacts);
    log.info(
        "attempt start: run=%s attempt=%d operation=%s%s",
        input.run(),
        input.attempt(),
        input.operation(),
        input instanceof AttemptInput.Api api ? " api=" + apiName(api) : "");
    AttemptResult result;
    try {
      result = execute(run, launcher);
    } catch (RuntimeException | LinkageError e) {
      result = unexpected(run, e);
    }
    log.info(
        "attempt end: outcome=%s%s%s",
        result.outcome(),
        result.validation() == null
            ? ""
            : " validation="
                + result.validation().outcome()
                + " checks="
                + result.validation().checks()
                + " creates="
                + result.validation().creates(),
        result.error() == null ? "" : " error=" + result.error().code());
    return result;
  }

  private AttemptResult unexpected(Run run, Throwable e) {
    logStackTrace(e);
    return run.finish(
        Outcome.FAILED,
        run.validation,
        null,
        null,
        RunnerError.of(
            ErrorCode.InternalError,
            "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()));
  }

  private AttemptResult execute(Run run, BrowserLauncher launcher) {
    Browser browser;
    try {
      browser = launcher.launch();
    } catch (SessionException e) {
      return run.finish(Outcome.FAILED, null, null, null, e.error());
    }
    run.browserReadyMs = clock.millisSinceStart();
    log.info("browser ready");
    try {
      return run.input.accept(
          new AttemptInput.Visitor<AttemptResult, SessionException>() {
            @Override
            public AttemptResult visit(AttemptInput.Api input) throws SessionException {
              return api(run, input, browser);
            }

            @Override
            public AttemptResult visit(AttemptInput.Create input) throws SessionException {
              return create(run, input, browser);
            }

            @Override
            public AttemptResult visit(AttemptInput.Check input) throws SessionException {
              return check(run, input, browser);
            }

            @Override
            public AttemptResult visit(AttemptInput.Recording input) throws SessionException {
              return record(run, input, browser);
            }
          });
    } catch (SessionException e) {
      return run.finish(Outcome.FAILED, run.validation, null, null, e.error());
    }
  }

  /**
   * An API Attempt: the check, then the API, in one session. With an {@link ArtifactPlan}, the
   * session is traced from before the check, and what the plan keeps is uploaded before the result
   * is made, with the session still open.
   */
  private AttemptResult api(Run run, AttemptInput.Api input, Browser browser)
      throws SessionException {
    try (Session session = browser.open(input.storageState())) {
      ArtifactPlan plan = input.artifacts();
      if (plan == null) {
        return checkedAgainIfTheApiFailed(run, input, session, checkThenApi(run, input, session));
      }
      ArtifactKeeper keeper =
          ArtifactKeeper.begin(
              plan, session, input.storageState(), apiName(input), run.artifacts, uploader, log);
      AttemptResult result;
      try {
        result = checkThenApi(run, input, session);
      } catch (RuntimeException | LinkageError e) {
        result = unexpected(run, e);
      }
      List<Artifact> kept = keeper.end(result.outcome() == Outcome.SUCCEEDED);
      result = checkedAgainIfTheApiFailed(run, input, session, result);
      return AttemptResult.of(
          result.outcome(),
          result.validation(),
          result.result(),
          result.storageState(),
          result.error(),
          kept.isEmpty() ? null : kept,
          new Timings(
              result.timings().browserReadyMs(),
              result.timings().validatedMs(),
              clock.millisSinceStart()));
    }
  }

  private AttemptResult checkThenApi(Run run, AttemptInput.Api input, Session session) {
    if (input.check() == null) {
      run.validation = Validation.notRequired();
    } else {
      Tries checks = checks(session, input.check(), input.checkAttemptsOrDefault());
      run.validatedMs = clock.millisSinceStart();
      if (!checks.passed()) {
        run.validation = new Validation(checks.tries(), 0, ValidationOutcome.Invalid);
        return run.dependencyFailed(ErrorCode.CheckAttemptsFailed, "check", checks, null);
      }
      run.validation = new Validation(checks.tries(), 0, ValidationOutcome.Valid);
    }
    long start = clock.millisSinceStart();
    Call call = session.call(input.api(), Role.API, apiName(input));
    log.info(
        "api %s %s in %d ms",
        apiName(input),
        call.ok() ? "succeeded" : "failed: " + call.error().describe(),
        clock.millisSinceStart() - start);
    if (!call.ok()) {
      run.apiFailed = !call.error().code().destinationRefused();
      return run.finish(Outcome.FAILED, run.validation, null, null, call.error());
    }
    return run.bounded(call.result());
  }

  /**
   * An API that failed after its check passed may have failed because the session ended in between
   * (it expired, the site logged it out). The session is checked again, after the failure's
   * artifacts are kept: a check that fails now makes the Attempt's outcome an invalid session,
   * which the operator renews and goes on from, instead of a failure of the API.
   */
  private AttemptResult checkedAgainIfTheApiFailed(
      Run run, AttemptInput.Api input, Session session, AttemptResult result) {
    if (!run.apiFailed || input.check() == null) {
      return result;
    }
    int checked = run.validation.checks();
    Tries again = checks(session, input.check(), input.checkAttemptsOrDefault());
    if (again.passed()) {
      run.validation = new Validation(checked + again.tries(), 0, ValidationOutcome.Valid);
      return run.finish(Outcome.FAILED, run.validation, null, null, result.error());
    }
    log.info("the session no longer passes its check: it ended after the check before the API");
    run.validation = new Validation(checked + again.tries(), 0, ValidationOutcome.Invalid);
    return run.dependencyFailed(
        ErrorCode.CheckAttemptsFailed, "check after the API failed", again, null);
  }

  /**
   * Logs in and confirms the login with check. Given the current state too (a recreating
   * validation), checks it first and logs in only when every check fails, so that a state someone
   * else renewed meanwhile costs no login.
   */
  private AttemptResult create(Run run, AttemptInput.Create input, Browser browser)
      throws SessionException {
    int checked = 0;
    if (input.storageState() != null) {
      try (Session current = browser.open(input.storageState())) {
        Tries checks = checks(current, input.check(), input.checkAttemptsOrDefault());
        if (checks.passed()) {
          run.validatedMs = clock.millisSinceStart();
          run.validation = new Validation(checks.tries(), 0, ValidationOutcome.Valid);
          return run.finish(Outcome.SUCCEEDED, run.validation, null, null, null);
        }
        checked = checks.tries();
      }
    }
    int allowed = input.createAttemptsOrDefault();
    Session created = null;
    RunnerError lastError = null;
    int creates = 0;
    try {
      while (created == null && creates < allowed) {
        if (creates > 0) {
          pause();
        }
        creates++;
        Session session = browser.open(null);
        long start = clock.millisSinceStart();
        Call call = session.call(input.create(), Role.CREATE, "create");
        log.info(
            "create try %d/%d %s in %d ms",
            creates,
            allowed,
            call.ok() ? "succeeded" : "failed: " + call.error().describe(),
            clock.millisSinceStart() - start);
        if (call.ok()) {
          created = session;
        } else {
          lastError = call.error();
          session.close();
          if (!lastError.retriable()) {
            // The site answered (it rejected the credentials, a request got a client error) or
            // the steps ask for what never works: another login would fail the same way, and a
            // site may lock the account after a few.
            break;
          }
        }
      }
      if (created == null) {
        run.validatedMs = clock.millisSinceStart();
        run.validation = new Validation(checked, creates, ValidationOutcome.CreateFailed);
        return run.dependencyFailed(
            lastError != null && lastError.code() == ErrorCode.CredentialsRejected
                ? ErrorCode.CredentialsRejected
                : ErrorCode.CreateAttemptsFailed,
            "create",
            new Tries(creates, false, lastError),
            null);
      }
      Tries checks = checks(created, input.check(), input.checkAttemptsOrDefault());
      run.validatedMs = clock.millisSinceStart();
      if (!checks.passed()) {
        run.validation =
            new Validation(
                checked + checks.tries(), creates, ValidationOutcome.PostCreateCheckFailed);
        return run.dependencyFailed(
            ErrorCode.PostCreateCheckAttemptsFailed, "check after create", checks, null);
      }
      run.validation = new Validation(checked + checks.tries(), creates, ValidationOutcome.Created);
      JsonNode state = created.storageState();
      return run.finish(Outcome.SUCCEEDED, run.validation, null, state, null);
    } finally {
      if (created != null) {
        created.close();
      }
    }
  }

  /**
   * Where a recording's hosted browser listens: {@code TESSERA_RECORDER_HOST}, or every address (a
   * Pod is reached on its own IP). Local mode sets loopback.
   */
  static String recorderHost() {
    String host = System.getenv("TESSERA_RECORDER_HOST");
    return host == null || host.isBlank() ? "0.0.0.0" : host.trim();
  }

  /**
   * A recording: serves the hosted browser at the start URL until the human is done (or reaches the
   * finish URL), then checks the state they made in a fresh context.
   */
  private AttemptResult record(Run run, AttemptInput.Recording input, Browser browser)
      throws SessionException {
    RecordingOptions recording = input.recording();
    JsonNode state;
    try (Session session = browser.open(null);
        HostedBrowser hosted =
            HostedBrowser.start(recorderHost(), recording.port(), recording.token())) {
      LivePage live = session.live();
      String startUrl =
          new Templates(run.input.parameters(), Map.of(), java.time.Clock.systemUTC())
              .render(recording.startUrl());
      live.goTo(startUrl);
      log.info(
          "hosted browser on port %d at %s; waiting up to %d s for a human to log in",
          hosted.port(), startUrl, recording.timeoutSeconds());
      HostedBrowser.Ending ending =
          hosted.serve(
              live,
              recording.finishUrl(),
              Duration.ofSeconds(recording.timeoutSeconds()),
              Instant::now);
      log.info("recording ended: %s", ending);
      if (ending == HostedBrowser.Ending.TIMED_OUT) {
        run.validatedMs = clock.millisSinceStart();
        run.validation = new Validation(0, 0, ValidationOutcome.CreateFailed);
        return run.finish(
            Outcome.DEPENDENCY_FAILED,
            run.validation,
            null,
            null,
            RunnerError.of(
                ErrorCode.RecordingTimedOut,
                "no one finished the recording within "
                    + recording.timeoutSeconds()
                    + " s; record the session again"));
      }
      state = session.storageState();
    } catch (IOException e) {
      return run.finish(
          Outcome.FAILED,
          null,
          null,
          null,
          RunnerError.of(
              ErrorCode.InternalError,
              "the hosted browser cannot listen on port "
                  + recording.port()
                  + ": "
                  + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return run.finish(
          Outcome.FAILED, null, null, null, RunnerError.of(ErrorCode.InternalError, "interrupted"));
    }
    try (Session session = browser.open(state)) {
      Tries checks = checks(session, input.check(), input.checkAttemptsOrDefault());
      run.validatedMs = clock.millisSinceStart();
      if (!checks.passed()) {
        run.validation = new Validation(checks.tries(), 1, ValidationOutcome.PostCreateCheckFailed);
        return run.dependencyFailed(
            ErrorCode.PostCreateCheckAttemptsFailed, "check after the recording", checks, null);
      }
      run.validation = new Validation(checks.tries(), 1, ValidationOutcome.Created);
      return run.finish(Outcome.SUCCEEDED, run.validation, null, state, null);
    }
  }

  private AttemptResult check(Run run, AttemptInput.Check input, Browser browser)
      throws SessionException {
    try (Session session = browser.open(input.storageState())) {
      Tries checks = checks(session, input.check(), input.checkAttemptsOrDefault());
      run.validatedMs = clock.millisSinceStart();
      if (!checks.passed()) {
        run.validation = new Validation(checks.tries(), 0, ValidationOutcome.Invalid);
        return run.dependencyFailed(ErrorCode.CheckAttemptsFailed, "check", checks, Boolean.FALSE);
      }
      run.validation = new Validation(checks.tries(), 0, ValidationOutcome.Valid);
      return run.finish(Outcome.SUCCEEDED, run.validation, BooleanNode.TRUE, null, null);
    }
  }

  /** How a series of tries ended: how many ran, whether one passed, why the last one failed. */
  record Tries(int tries, boolean passed, RunnerError lastError) {}

  private Tries checks(Session session, ApiDefinition check, int allowed) {
    RunnerError lastError = null;
    for (int i = 1; i <= allowed; i++) {
      if (i > 1) {
        pause();
      }
      long start = clock.millisSinceStart();
      Call call = session.call(check, Role.CHECK, "check");
      RunnerError failure = checkFailure(check, call);
      log.info(
          "check try %d/%d %s in %d ms",
          i,
          allowed,
          failure == null ? "passed" : "failed: " + failure.message(),
          clock.millisSinceStart() - start);
      if (failure == null) {
        return new Tries(i, true, null);
      }
      if (!failure.retriable()) {
        // A definite answer (a declared failure outcome, a client error) or a refused
        // destination: another try gets the same.
        return new Tries(i, false, failure);
      }
      lastError = failure;
    }
    return new Tries(allowed, false, lastError);
  }

  /**
   * Why a check did not pass, or null when it passed: a declarative check passes when every step
   * succeeded, a Java check when it returned {@code true}.
   */
  static RunnerError checkFailure(ApiDefinition check, Call call) {
    if (!call.ok()) {
      return call.error();
    }
    boolean declarative = check.getClassName() == null;
    if (declarative || BooleanNode.TRUE.equals(call.result())) {
      return null;
    }
    return RunnerError.ofStep(
        ErrorCode.ApiError,
        check.getClassName(),
        check.getClassName()
            + " returned "
            + (call.result() == null ? "null" : call.result().toString())
            + " instead of true");
  }

  private void pause() {
    try {
      pause.pause(retryPause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted between tries", e);
    }
  }

  private static String apiName(AttemptInput.Api input) {
    return input.apiName() == null ? "api" : input.apiName();
  }

  private void logStackTrace(Throwable e) {
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    trace.toString().lines().limit(40).forEach(line -> log.info("  %s", line));
  }

  /** The state of one Attempt while it runs. */
  private final class Run {
    final AttemptInput input;
    final Artifacts artifacts;
    Validation validation;
    Long browserReadyMs;
    Long validatedMs;
    boolean apiFailed;

    Run(AttemptInput input, Artifacts artifacts) {
      this.input = input;
      this.artifacts = artifacts;
    }

    AttemptResult bounded(JsonNode result) {
      int size = ProtocolJson.write(result).length;
      int limit = input.resultLimitBytesOrDefault();
      if (size > limit) {
        return finish(
            Outcome.FAILED,
            validation,
            null,
            null,
            RunnerError.of(
                ErrorCode.ResultTooBig,
                "the result is "
                    + size
                    + " bytes, over the limit of "
                    + limit
                    + " bytes; results are never truncated: return less data"));
      }
      return finish(Outcome.SUCCEEDED, validation, result, null, null);
    }

    /**
     * Every try failed. When the last one failed because the proxy could not be reached, the
     * session itself is not known to be bad: the Attempt fails (and may be retried) instead of
     * declaring the session expired and logging in again through a proxy that is down.
     */
    AttemptResult dependencyFailed(ErrorCode code, String what, Tries tries, Boolean result) {
      RunnerError last = tries.lastError();
      String lastMessage = last == null ? "" : "; last: " + last.message();
      String step = last == null ? null : last.step();
      String count = tries.tries() + (tries.tries() == 1 ? " try" : " tries");
      if (code == ErrorCode.CredentialsRejected) {
        return finish(
            Outcome.DEPENDENCY_FAILED,
            validation,
            null,
            null,
            new RunnerError(code, last.message(), false, last.step()));
      }
      if (last != null && last.code().destinationRefused()) {
        // The steps ask for what the runner never does: not the session's or the site's fault.
        return finish(
            Outcome.FAILED,
            validation,
            result == null ? null : BooleanNode.valueOf(result),
            null,
            new RunnerError(last.code(), what + ": " + last.message(), false, last.step()));
      }
      if (last != null && last.code() == ErrorCode.ProxyError) {
        return finish(
            Outcome.FAILED,
            validation,
            result == null ? null : BooleanNode.valueOf(result),
            null,
            new RunnerError(
                ErrorCode.ProxyError,
                what + " could not reach the site through the proxy in " + count + lastMessage,
                ErrorCode.ProxyError.retriable(),
                step));
      }
      return finish(
          Outcome.DEPENDENCY_FAILED,
          validation,
          result == null ? null : BooleanNode.valueOf(result),
          null,
          new RunnerError(
              code, what + " did not pass in " + count + lastMessage, code.retriable(), step));
    }

    AttemptResult finish(
        Outcome outcome,
        Validation validation,
        JsonNode result,
        JsonNode storageState,
        RunnerError error) {
      RunnerError redacted =
          error == null
              ? null
              : new RunnerError(
                  error.code(),
                  log.redactor().redact(error.message()),
                  error.retriable(),
                  log.redactor().redact(error.step()));
      List<Artifact> produced = artifacts.list();
      return AttemptResult.of(
          outcome,
          validation,
          result,
          storageState,
          redacted,
          produced.isEmpty() ? null : produced,
          new Timings(browserReadyMs, validatedMs, clock.millisSinceStart()));
    }
  }
}

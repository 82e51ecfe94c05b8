package dev.tessera.api.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.api.v1alpha1.ApiDefinition;
import dev.tessera.api.v1alpha1.BrowserSpec;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.api.v1alpha1.RecorderSpec;
import dev.tessera.api.v1alpha1.RunnerSpec;
import java.util.Map;

/**
 * Builds the input of one Attempt from a project and what the Run asks, as plain values. Each
 * operation gets only what it needs: an API Attempt gets the browser state and never credentials; a
 * create gets the credentials and no state.
 */
public final class AttemptInputs {
  private AttemptInputs() {}

  /**
   * An API Attempt. With {@code validateFirst}, the project's check runs before the API in the same
   * browser.
   */
  public static AttemptInput.Api api(
      String run,
      int attempt,
      ProjectSpec project,
      String apiName,
      JsonNode runParameters,
      boolean validateFirst,
      int checkAttempts,
      JsonNode storageState,
      ProxyOptions proxy) {
    ApiDefinition api = project.getApis() == null ? null : project.getApis().get(apiName);
    if (api == null) {
      throw new IllegalArgumentException("project has no API named " + apiName);
    }
    ApiDefinition check = validateFirst ? requireCheck(project) : null;
    return new AttemptInput.Api(
        run,
        attempt,
        apiName,
        api,
        check,
        validateFirst ? checkAttempts : null,
        storageState,
        mergeParameters(project.getParameters(), runParameters),
        browserOptions(project.getRunner()),
        proxy,
        stepTimeoutSeconds(project.getRunner()),
        null,
        null);
  }

  /** A create: log in with the credentials, then check, and return the new state. */
  public static AttemptInput.Create create(
      String run,
      int attempt,
      ProjectSpec project,
      JsonNode runParameters,
      Map<String, String> credentials,
      int createAttempts,
      int checkAttempts,
      ProxyOptions proxy) {
    ApiDefinition create =
        project.getAuthentication() == null ? null : project.getAuthentication().getCreate();
    if (create == null) {
      throw new IllegalArgumentException("project has no authentication.create API");
    }
    return new AttemptInput.Create(
        run,
        attempt,
        create,
        createAttempts,
        requireCheck(project),
        checkAttempts,
        Map.copyOf(credentials),
        null,
        mergeParameters(project.getParameters(), runParameters),
        browserOptions(project.getRunner()),
        proxy,
        stepTimeoutSeconds(project.getRunner()),
        null);
  }

  /** A check of the given state, without running any API. */
  public static AttemptInput.Check check(
      String run,
      int attempt,
      ProjectSpec project,
      JsonNode runParameters,
      int checkAttempts,
      JsonNode storageState,
      ProxyOptions proxy) {
    return new AttemptInput.Check(
        run,
        attempt,
        requireCheck(project),
        checkAttempts,
        storageState,
        mergeParameters(project.getParameters(), runParameters),
        browserOptions(project.getRunner()),
        proxy,
        stepTimeoutSeconds(project.getRunner()),
        null);
  }

  /** A recording: the hosted browser at the project's recorder start URL, then check. */
  public static AttemptInput.Recording record(
      String run,
      int attempt,
      ProjectSpec project,
      JsonNode runParameters,
      int checkAttempts,
      ProxyOptions proxy,
      String token) {
    RecorderSpec recorder =
        project.getAuthentication() == null ? null : project.getAuthentication().getRecorder();
    if (recorder == null) {
      throw new IllegalArgumentException("project has no authentication.recorder");
    }
    return new AttemptInput.Recording(
        run,
        attempt,
        requireCheck(project),
        checkAttempts,
        new RecordingOptions(
            recorder.getStartUrl(),
            recorder.getFinishUrl(),
            recorder.getTimeoutSeconds() == null ? 900 : recorder.getTimeoutSeconds(),
            RecordingOptions.DEFAULT_PORT,
            token),
        mergeParameters(project.getParameters(), runParameters),
        browserOptions(project.getRunner()),
        proxy,
        stepTimeoutSeconds(project.getRunner()),
        null);
  }

  /**
   * The project's default parameters with the Run's laid over them: objects merge key by key, any
   * other value of the Run replaces the default.
   */
  public static JsonNode mergeParameters(JsonNode defaults, JsonNode overrides) {
    if (overrides == null || overrides.isNull() || overrides.isMissingNode()) {
      return defaults == null ? JsonNodeFactory.instance.objectNode() : defaults.deepCopy();
    }
    if (defaults == null || !defaults.isObject() || !overrides.isObject()) {
      return overrides.deepCopy();
    }
    ObjectNode merged = defaults.deepCopy();
    overrides
        .fields()
        .forEachRemaining(
            e -> merged.set(e.getKey(), mergeParameters(merged.get(e.getKey()), e.getValue())));
    return merged;
  }

  /** Browser context options from the project's runner settings. */
  public static BrowserOptions browserOptions(RunnerSpec runner) {
    BrowserSpec browser = runner == null ? null : runner.getBrowser();
    if (browser == null) {
      return BrowserOptions.defaults();
    }
    return new BrowserOptions(
        browser.getViewport() == null ? null : browser.getViewport().getWidth(),
        browser.getViewport() == null ? null : browser.getViewport().getHeight(),
        browser.getLocale(),
        browser.getTimezoneId(),
        browser.getUserAgent());
  }

  private static Integer stepTimeoutSeconds(RunnerSpec runner) {
    return runner == null ? null : runner.getStepTimeoutSeconds();
  }

  private static ApiDefinition requireCheck(ProjectSpec project) {
    ApiDefinition check =
        project.getAuthentication() == null ? null : project.getAuthentication().getCheck();
    if (check == null) {
      throw new IllegalArgumentException("project has no authentication.check API");
    }
    return check;
  }
}

package dev.tessera.api.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.api.v1alpha1.ApiDefinition;
import java.util.Map;

/**
 * Everything a runner needs for one Attempt, and nothing more: an API Attempt carries the browser
 * state but never credentials; a create carries the credentials.
 *
 * @param apiVersion {@link #API_VERSION}
 * @param kind {@link #KIND}
 * @param run namespace/name of the Run, for logs
 * @param attempt the Attempt number, from 1
 * @param operation what to do
 * @param apiName name of the API (for {@link Operation#API})
 * @param api the API to run (for {@link Operation#API})
 * @param check the project's check API; when set, an API Attempt validates first
 * @param checkAttempts how many times check is tried
 * @param create the project's create API (for {@link Operation#CREATE})
 * @param createAttempts how many times create is tried
 * @param parameters the Run's parameters merged over the project's
 * @param credentials the session's credentials (for {@link Operation#CREATE} only)
 * @param storageState the Playwright storage state (cookies and origins with localStorage)
 * @param browser browser context options
 * @param proxy the session's proxy
 * @param stepTimeoutSeconds default time limit of one declarative step
 * @param resultLimitBytes largest result the runner may return
 * @param recording the hosted browser of a {@link Operation#RECORD}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AttemptInput(
    String apiVersion,
    String kind,
    String run,
    int attempt,
    Operation operation,
    String apiName,
    ApiDefinition api,
    ApiDefinition check,
    Integer checkAttempts,
    ApiDefinition create,
    Integer createAttempts,
    JsonNode parameters,
    Map<String, String> credentials,
    JsonNode storageState,
    BrowserOptions browser,
    ProxyOptions proxy,
    Integer stepTimeoutSeconds,
    Integer resultLimitBytes,
    RecordingOptions recording) {

  /** An input without a recording: every operation but {@link Operation#RECORD}. */
  public AttemptInput(
      String apiVersion,
      String kind,
      String run,
      int attempt,
      Operation operation,
      String apiName,
      ApiDefinition api,
      ApiDefinition check,
      Integer checkAttempts,
      ApiDefinition create,
      Integer createAttempts,
      JsonNode parameters,
      Map<String, String> credentials,
      JsonNode storageState,
      BrowserOptions browser,
      ProxyOptions proxy,
      Integer stepTimeoutSeconds,
      Integer resultLimitBytes) {
    this(
        apiVersion,
        kind,
        run,
        attempt,
        operation,
        apiName,
        api,
        check,
        checkAttempts,
        create,
        createAttempts,
        parameters,
        credentials,
        storageState,
        browser,
        proxy,
        stepTimeoutSeconds,
        resultLimitBytes,
        null);
  }

  /** The version of this document that this build writes and reads. */
  public static final String API_VERSION = "runner.tessera.dev/v1";

  /** The kind of this document. */
  public static final String KIND = "AttemptInput";

  /** Default bound on a result: 256 KiB, well under an object's size limit in etcd. */
  public static final int DEFAULT_RESULT_LIMIT_BYTES = 256 * 1024;

  /** Default time limit of one declarative step. */
  public static final int DEFAULT_STEP_TIMEOUT_SECONDS = 30;

  /** The same input with another bound on the result. */
  public AttemptInput withResultLimitBytes(int limit) {
    return new AttemptInput(
        apiVersion,
        kind,
        run,
        attempt,
        operation,
        apiName,
        api,
        check,
        checkAttempts,
        create,
        createAttempts,
        parameters,
        credentials,
        storageState,
        browser,
        proxy,
        stepTimeoutSeconds,
        limit,
        recording);
  }

  /**
   * The same input with a browser state. A create given the current state checks it first and logs
   * in only when it is invalid (a recreating validation).
   */
  public AttemptInput withStorageState(JsonNode state) {
    return new AttemptInput(
        apiVersion,
        kind,
        run,
        attempt,
        operation,
        apiName,
        api,
        check,
        checkAttempts,
        create,
        createAttempts,
        parameters,
        credentials,
        state,
        browser,
        proxy,
        stepTimeoutSeconds,
        resultLimitBytes,
        recording);
  }

  /** The same recording on another port (local mode gives each recorder a free one). */
  public AttemptInput withRecordingPort(int port) {
    return new AttemptInput(
        apiVersion,
        kind,
        run,
        attempt,
        operation,
        apiName,
        api,
        check,
        checkAttempts,
        create,
        createAttempts,
        parameters,
        credentials,
        storageState,
        browser,
        proxy,
        stepTimeoutSeconds,
        resultLimitBytes,
        new RecordingOptions(
            recording.startUrl(),
            recording.finishUrl(),
            recording.timeoutSeconds(),
            port,
            recording.token()));
  }

  /** Check attempts when none are given. */
  public int checkAttemptsOrDefault() {
    return checkAttempts == null ? 3 : checkAttempts;
  }

  /** Create attempts when none are given. */
  public int createAttemptsOrDefault() {
    return createAttempts == null ? 3 : createAttempts;
  }

  /** The step time limit, or its default. */
  public int stepTimeoutSecondsOrDefault() {
    return stepTimeoutSeconds == null ? DEFAULT_STEP_TIMEOUT_SECONDS : stepTimeoutSeconds;
  }

  /** The result bound, or its default. */
  public int resultLimitBytesOrDefault() {
    return resultLimitBytes == null ? DEFAULT_RESULT_LIMIT_BYTES : resultLimitBytes;
  }

  /** Never prints credentials, proxy passwords or the storage state. */
  @Override
  public String toString() {
    return "AttemptInput[run="
        + run
        + ", attempt="
        + attempt
        + ", operation="
        + operation
        + ", api="
        + apiName
        + ", credentials="
        + (credentials == null ? "none" : credentials.keySet())
        + ", storageState="
        + (storageState == null ? "none" : "present")
        + "]";
  }
}

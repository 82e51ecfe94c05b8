package dev.tessera.api.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.api.v1alpha1.ApiDefinition;
import java.util.Map;

/**
 * Everything a runner needs for one Attempt, and nothing more: one record per {@link Operation},
 * each holding what that operation needs. An API Attempt carries the browser state but never
 * credentials; a create carries the credentials. A record's constructor refuses an input its
 * operation cannot run, so reading one is checking it; the strict reader ({@link ProtocolJson})
 * refuses a field the operation does not have.
 *
 * <p>In JSON, {@code operation} names the record, next to {@code apiVersion} and {@code kind}.
 * Fields every operation has: {@code run} (namespace/name of the Run, for logs), {@code attempt}
 * (from 1), {@code parameters} (the Run's merged over the project's), {@code browser}, {@code
 * proxy}, {@code stepTimeoutSeconds} (default time limit of one declarative step) and {@code
 * resultLimitBytes} (largest result the runner may return).
 */
@JsonTypeInfo(
    use = JsonTypeInfo.Id.NAME,
    include = JsonTypeInfo.As.PROPERTY,
    property = "operation")
@JsonSubTypes({
  @JsonSubTypes.Type(value = AttemptInput.Api.class, name = "API"),
  @JsonSubTypes.Type(value = AttemptInput.Create.class, name = "CREATE"),
  @JsonSubTypes.Type(value = AttemptInput.Check.class, name = "CHECK"),
  @JsonSubTypes.Type(value = AttemptInput.Recording.class, name = "RECORD")
})
@JsonIgnoreProperties(
    value = {"apiVersion", "kind"},
    allowGetters = true)
public sealed interface AttemptInput {
  /** The version of this document that this build writes and reads. */
  String API_VERSION = "runner.tessera.dev/v1";

  /** The kind of this document. */
  String KIND = "AttemptInput";

  /** Default bound on a result: 256 KiB, well under an object's size limit in etcd. */
  int DEFAULT_RESULT_LIMIT_BYTES = 256 * 1024;

  /** Default time limit of one declarative step. */
  int DEFAULT_STEP_TIMEOUT_SECONDS = 30;

  /** Default number of tries of a check or a create. */
  int DEFAULT_TRIES = 3;

  /** {@link #API_VERSION}, written in every input; {@link ProtocolJson} checks it on reading. */
  @JsonProperty("apiVersion")
  default String apiVersion() {
    return API_VERSION;
  }

  /** {@link #KIND}, written in every input. */
  @JsonProperty("kind")
  default String kind() {
    return KIND;
  }

  /** What to do. */
  Operation operation();

  /** Namespace/name of the Run, for logs. */
  String run();

  /** The Attempt number, from 1. */
  int attempt();

  /** The Run's parameters merged over the project's. */
  JsonNode parameters();

  /** Browser context options. */
  BrowserOptions browser();

  /** The session's proxy, or null. */
  ProxyOptions proxy();

  /** Default time limit of one declarative step, or null for the default. */
  Integer stepTimeoutSeconds();

  /** Largest result the runner may return, or null for the default. */
  Integer resultLimitBytes();

  /** The same input with another bound on the result. */
  AttemptInput withResultLimitBytes(int limit);

  /** Calls the visitor's method for this operation. */
  <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X;

  /** How many times check is tried before the state counts as invalid; null for the default. */
  Integer checkAttempts();

  /** Check tries when none are given: {@value #DEFAULT_TRIES}. */
  default int checkAttemptsOrDefault() {
    return checkAttempts() == null ? DEFAULT_TRIES : checkAttempts();
  }

  /** The step time limit, or its default. */
  default int stepTimeoutSecondsOrDefault() {
    return stepTimeoutSeconds() == null ? DEFAULT_STEP_TIMEOUT_SECONDS : stepTimeoutSeconds();
  }

  /** The result bound, or its default. */
  default int resultLimitBytesOrDefault() {
    return resultLimitBytes() == null ? DEFAULT_RESULT_LIMIT_BYTES : resultLimitBytes();
  }

  /**
   * Something done per operation: adding an operation adds a method here, so each place that must
   * handle it fails to compile until it does.
   */
  interface Visitor<R, X extends Exception> {
    R visit(Api input) throws X;

    R visit(Create input) throws X;

    R visit(Check input) throws X;

    R visit(Recording input) throws X;
  }

  /**
   * Runs an API ({@link Operation#API}); with a check, validates the state with it first, in the
   * same browser.
   *
   * @param apiName name of the API
   * @param api the API to run
   * @param check the project's check API, or null to run the API without validating first
   * @param checkAttempts how many times check is tried; null for the default
   * @param storageState the Playwright storage state (cookies and origins), or null for none
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Api(
      String run,
      int attempt,
      String apiName,
      ApiDefinition api,
      ApiDefinition check,
      Integer checkAttempts,
      JsonNode storageState,
      JsonNode parameters,
      BrowserOptions browser,
      ProxyOptions proxy,
      Integer stepTimeoutSeconds,
      Integer resultLimitBytes,
      ArtifactPlan artifacts)
      implements AttemptInput {
    public Api {
      Checks.definition("api", Checks.required(api, "an API Attempt needs api"));
      Checks.definition("check", check);
      Checks.positive("checkAttempts", checkAttempts);
      Checks.state(storageState);
      Checks.limits(stepTimeoutSeconds, resultLimitBytes);
    }

    @Override
    public Operation operation() {
      return Operation.API;
    }

    /** This Attempt, keeping what the browser saw as the plan says. */
    public Api withArtifacts(ArtifactPlan plan) {
      return new Api(
          run,
          attempt,
          apiName,
          api,
          check,
          checkAttempts,
          storageState,
          parameters,
          browser,
          proxy,
          stepTimeoutSeconds,
          resultLimitBytes,
          plan);
    }

    @Override
    public Api withResultLimitBytes(int limit) {
      return new Api(
          run,
          attempt,
          apiName,
          api,
          check,
          checkAttempts,
          storageState,
          parameters,
          browser,
          proxy,
          stepTimeoutSeconds,
          limit,
          artifacts);
    }

    @Override
    public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
      return visitor.visit(this);
    }

    /** Never prints the storage state or a proxy password. */
    @Override
    public String toString() {
      return Checks.describe(this, "api=" + apiName + ", storageState=" + present(storageState));
    }
  }

  /**
   * Logs in with create, then confirms with check, and returns the new state ({@link
   * Operation#CREATE}). Given the current state too (a recreating validation), checks it first and
   * logs in only when it is invalid.
   *
   * @param create the project's create API
   * @param createAttempts how many times create is tried; null for the default
   * @param check the project's check API
   * @param checkAttempts how many times check is tried; null for the default
   * @param credentials the session's credentials
   * @param storageState the current state of a recreating validation, or null
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Create(
      String run,
      int attempt,
      ApiDefinition create,
      Integer createAttempts,
      ApiDefinition check,
      Integer checkAttempts,
      Map<String, String> credentials,
      JsonNode storageState,
      JsonNode parameters,
      BrowserOptions browser,
      ProxyOptions proxy,
      Integer stepTimeoutSeconds,
      Integer resultLimitBytes)
      implements AttemptInput {
    public Create {
      Checks.definition("create", Checks.required(create, "a CREATE needs create"));
      Checks.definition("check", Checks.required(check, "a CREATE needs check"));
      Checks.positive("createAttempts", createAttempts);
      Checks.positive("checkAttempts", checkAttempts);
      credentials = credentials == null ? Map.of() : credentials;
      Checks.state(storageState);
      Checks.limits(stepTimeoutSeconds, resultLimitBytes);
    }

    @Override
    public Operation operation() {
      return Operation.CREATE;
    }

    /** Create tries when none are given. */
    public int createAttemptsOrDefault() {
      return createAttempts == null ? DEFAULT_TRIES : createAttempts;
    }

    /** The same create given the current state, which it checks before logging in. */
    public Create withStorageState(JsonNode state) {
      return new Create(
          run,
          attempt,
          create,
          createAttempts,
          check,
          checkAttempts,
          credentials,
          state,
          parameters,
          browser,
          proxy,
          stepTimeoutSeconds,
          resultLimitBytes);
    }

    @Override
    public Create withResultLimitBytes(int limit) {
      return new Create(
          run,
          attempt,
          create,
          createAttempts,
          check,
          checkAttempts,
          credentials,
          storageState,
          parameters,
          browser,
          proxy,
          stepTimeoutSeconds,
          limit);
    }

    @Override
    public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
      return visitor.visit(this);
    }

    /** Never prints the credentials, the storage state or a proxy password. */
    @Override
    public String toString() {
      return Checks.describe(
          this, "credentials=" + credentials.keySet() + ", storageState=" + present(storageState));
    }
  }

  /**
   * Runs check against the given state and reports whether it is valid ({@link Operation#CHECK}).
   *
   * @param check the project's check API
   * @param checkAttempts how many times check is tried; null for the default
   * @param storageState the state to check
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Check(
      String run,
      int attempt,
      ApiDefinition check,
      Integer checkAttempts,
      JsonNode storageState,
      JsonNode parameters,
      BrowserOptions browser,
      ProxyOptions proxy,
      Integer stepTimeoutSeconds,
      Integer resultLimitBytes)
      implements AttemptInput {
    public Check {
      Checks.definition("check", Checks.required(check, "a CHECK needs check"));
      Checks.positive("checkAttempts", checkAttempts);
      Checks.state(Checks.required(storageState, "a CHECK needs storageState"));
      Checks.limits(stepTimeoutSeconds, resultLimitBytes);
    }

    @Override
    public Operation operation() {
      return Operation.CHECK;
    }

    @Override
    public Check withResultLimitBytes(int limit) {
      return new Check(
          run,
          attempt,
          check,
          checkAttempts,
          storageState,
          parameters,
          browser,
          proxy,
          stepTimeoutSeconds,
          limit);
    }

    @Override
    public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
      return visitor.visit(this);
    }

    /** Never prints the storage state or a proxy password. */
    @Override
    public String toString() {
      return Checks.describe(this, "storageState=" + present(storageState));
    }
  }

  /**
   * Serves a hosted browser at the recording's start URL for a human to log in with, then confirms
   * with check, and returns the new state ({@link Operation#RECORD}).
   *
   * @param check the project's check API
   * @param checkAttempts how many times check is tried; null for the default
   * @param recording the hosted browser
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Recording(
      String run,
      int attempt,
      ApiDefinition check,
      Integer checkAttempts,
      RecordingOptions recording,
      JsonNode parameters,
      BrowserOptions browser,
      ProxyOptions proxy,
      Integer stepTimeoutSeconds,
      Integer resultLimitBytes)
      implements AttemptInput {
    public Recording {
      Checks.definition("check", Checks.required(check, "a RECORD needs check"));
      Checks.positive("checkAttempts", checkAttempts);
      Checks.required(recording, "a RECORD needs recording");
      if (recording.startUrl() == null
          || recording.token() == null
          || recording.token().isEmpty()) {
        throw new IllegalArgumentException("a recording needs a startUrl and a token");
      }
      Checks.limits(stepTimeoutSeconds, resultLimitBytes);
    }

    @Override
    public Operation operation() {
      return Operation.RECORD;
    }

    /** The same recording on another port (local mode gives each recorder a free one). */
    public Recording withRecordingPort(int port) {
      return new Recording(
          run,
          attempt,
          check,
          checkAttempts,
          new RecordingOptions(
              recording.startUrl(),
              recording.finishUrl(),
              recording.timeoutSeconds(),
              port,
              recording.token()),
          parameters,
          browser,
          proxy,
          stepTimeoutSeconds,
          resultLimitBytes);
    }

    @Override
    public Recording withResultLimitBytes(int limit) {
      return new Recording(
          run,
          attempt,
          check,
          checkAttempts,
          recording,
          parameters,
          browser,
          proxy,
          stepTimeoutSeconds,
          limit);
    }

    @Override
    public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
      return visitor.visit(this);
    }

    /** Never prints the recording's token or a proxy password. */
    @Override
    public String toString() {
      return Checks.describe(this, "recording=" + recording);
    }
  }

  private static String present(JsonNode state) {
    return state == null ? "none" : "present";
  }
}

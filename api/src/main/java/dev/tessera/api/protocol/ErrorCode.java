package dev.tessera.api.protocol;

/**
 * Stable error codes that say where an Attempt broke. The names are public API: they appear in
 * {@code status.attempts[].error.code} and in Run reasons.
 */
public enum ErrorCode {
  /** Every check failed: the session is not valid. */
  CheckAttemptsFailed(false),
  /** Every create failed: the login did not succeed. */
  CreateAttemptsFailed(false),
  /** The login succeeded but the check right after it failed. */
  PostCreateCheckAttemptsFailed(false),
  /** The API failed in every Attempt the Run was allowed. */
  ApiAttemptsFailed(false),
  /** A step's selector matched nothing within the step's timeout. */
  SelectorNotFound(true),
  /** A step did not finish within its timeout. */
  StepTimeout(true),
  /** An expect step did not hold. */
  ExpectationFailed(true),
  /**
   * A {@code waitFor.anyOf} outcome declared {@code then: Fail} showed: the site answered, so the
   * step fails at once and a check is not tried again.
   */
  OutcomeFailed(false),
  /**
   * The site refused the login: an outcome declared {@code then: RejectCredentials} showed during
   * create. Never tried again with the same credentials.
   */
  CredentialsRejected(false),
  /** A page could not be loaded. */
  NavigationFailed(true),
  /** A request step got a failing status or no answer. */
  RequestFailed(true),
  /** A template named a parameter or credential that is not there, or is malformed. */
  TemplateError(false),
  /** The API's Java class could not be found or instantiated. */
  ApiClassNotFound(false),
  /** The API's Java code threw an exception. */
  ApiError(true),
  /** The attempt input could not be read or is not valid. */
  InvalidInput(false),
  /**
   * A step named a URL whose scheme is not allowed: only http, https and about:blank are. An error
   * of the input, never the site's answer.
   */
  UrlNotAllowed(false),
  /**
   * A request went, or would have gone, to an address the runner keeps away from: the Kubernetes
   * API, link-local addresses (the cloud metadata service) and the configured blocked networks. An
   * error of the input, never the site's answer.
   */
  AddressNotAllowed(false),
  /** The browser could not be started. */
  BrowserLaunchFailed(true),
  /** The proxy refused the connection or could not be reached. */
  ProxyError(true),
  /** The result is larger than the limit. */
  ResultTooBig(false),
  /** The Attempt ran past its time limit. */
  Timeout(true),
  /** The runner process ended without reporting a result. */
  RunnerCrashed(true),
  /** A recording was not finished within its time limit. */
  RecordingTimedOut(false),
  /** The session's state Secret cannot be read (bad bytes, missing keys). */
  StateUnreadable(false),
  /** Anything the runner did not foresee. */
  InternalError(true);

  private final boolean retriable;

  ErrorCode(boolean retriable) {
    this.retriable = retriable;
  }

  /**
   * Whether the runner refused the destination of a step ({@link #UrlNotAllowed}, {@link
   * #AddressNotAllowed}): the steps ask for something the runner never does, so neither the site
   * nor the session nor the credentials are to blame, and trying again fails the same way.
   */
  public boolean destinationRefused() {
    return this == UrlNotAllowed || this == AddressNotAllowed;
  }

  /** Whether another Attempt may succeed where this one failed, by default. */
  public boolean retriable() {
    return retriable;
  }
}

package dev.tessera.api.v1alpha1;

/**
 * Every reason the operator writes, in conditions, {@code status.reason} and Events alike: stable
 * CamelCase words, part of the public API.
 */
public enum Reason {
  /** The Run was accepted and its first Attempt is being made. */
  Admitted(Type.NORMAL),
  /** An Attempt's Pod was created. */
  AttemptStarted(Type.NORMAL),
  /** An Attempt failed; another may follow. */
  AttemptFailed(Type.WARNING),
  /** The Run succeeded. */
  Succeeded(Type.NORMAL),
  /** A Project is valid: Runs may use it. */
  ProjectValid(Type.NORMAL),
  /** A Project is not valid (the message lists what to fix); its Runs are rejected. */
  ProjectInvalid(Type.WARNING),
  /** The Run's Project does not exist. */
  ProjectNotFound(Type.WARNING),
  /** The Run names an API the Project does not have. */
  ApiNotFound(Type.WARNING),
  /** The Run's parameters are not a JSON object or do not satisfy the API's parametersSchema. */
  InvalidParameters(Type.WARNING),
  /** The Project enables authentication and the Run names no AuthSession. */
  AuthSessionRequired(Type.WARNING),
  /** The Run names an AuthSession but the Project does not enable authentication. */
  AuthenticationDisabled(Type.WARNING),
  /** The Run needs something this version of the operator does not do yet. */
  NotSupported(Type.WARNING),
  /** Every Attempt the Run was allowed failed. */
  ApiAttemptsFailed(Type.WARNING),
  /** The session could not be validated: the API never ran. */
  AuthSessionValidateDependencyFailed(Type.WARNING),
  /** The Run names an AuthSession that does not exist. */
  AuthSessionNotFound(Type.WARNING),
  /** The Run's AuthSession belongs to another project. */
  AuthSessionOfAnotherProject(Type.WARNING),
  /** The Run's AuthSession has no valid state yet (it is being created, or failed). */
  AuthSessionNotReady(Type.WARNING),
  /** The session's credentials Secret is missing or has no keys. */
  CredentialsSecretNotFound(Type.WARNING),
  /** The session's credentials Secret lacks a key the project's create API reads. */
  CredentialsSecretInvalid(Type.WARNING),
  /** The session type is not run by this version of the operator. */
  SessionTypeNotSupported(Type.WARNING),
  /** The session's browser state is being created by an AuthSession:Create Run. */
  Creating(Type.NORMAL),
  /** The session holds a browser state whose check passed. */
  SessionReady(Type.NORMAL),
  /** Every check of the session's state failed: the site ended the session. */
  SessionExpired(Type.WARNING),
  /** The session's state could not be created. */
  CreateFailed(Type.WARNING),
  /** A session operation could not log in: every create failed. */
  CreateAttemptsFailed(Type.WARNING),
  /** A session operation logged in, but every check right after failed. */
  PostCreateCheckAttemptsFailed(Type.WARNING),
  /**
   * The site refused the session's credentials (the create's steps saw the site's refusal); no
   * login is tried again until the credentials Secret changes or the update annotation is set.
   */
  CredentialsRejected(Type.WARNING),
  /** A user canceled the Run. */
  CanceledByUser(Type.NORMAL),
  /** A Run was started while an operation held its session's lock. */
  AuthSessionLocked(Type.WARNING),
  /** An operation waits for its session's lock. */
  WaitingForLock(Type.NORMAL),
  /** An Attempt waits for a session operation before it validates again. */
  WaitingForSession(Type.NORMAL),
  /** A validation found the state invalid and recreates it. */
  Recreating(Type.NORMAL),
  /** A recreation could not make the session valid. */
  RecreateFailed(Type.WARNING),
  /** An AuthSession:Update logs in with new credentials or a new proxy. */
  Updating(Type.NORMAL),
  /** An AuthSession:Update did not succeed; the previous state is kept. */
  UpdateFailed(Type.WARNING),
  /** An update was asked of a session that cannot be updated; the message says why. */
  UpdateNotPossible(Type.WARNING),
  /** A Runtime session has no state until a Run brings credentials. */
  WaitingForFirstRun(Type.NORMAL),
  /** The session's proxy Secret is missing or lacks username or password. */
  ProxySecretNotFound(Type.WARNING),
  /** A scheduled validation passed. */
  HealthCheckPassed(Type.NORMAL),
  /** A scheduled validation could not run to its end (not: found the state invalid). */
  HealthCheckFailed(Type.WARNING),
  /** A Run on a Runtime session with autoRecreate: false (it could never create the state). */
  AutoRecreateRequired(Type.WARNING),
  /** A Run on a Runtime session without spec.authSession.runtimeCredentialsSecretRef. */
  RuntimeCredentialsRequired(Type.WARNING),
  /** The Secret a Run's runtimeCredentialsSecretRef names is missing or empty. */
  RuntimeCredentialsNotFound(Type.WARNING),
  /** A Run brings runtime credentials to a session that is not of type Runtime. */
  RuntimeCredentialsNotAllowed(Type.WARNING),
  /** A Recorder session waits for a human to log in through its hosted browser. */
  AwaitingRecording(Type.NORMAL),
  /** A recording did not end with a valid state (timed out, or its check failed). */
  RecordingFailed(Type.WARNING),
  /** A Run with autoRecreate on a Recorder session, which only a human can recreate. */
  AutoRecreateNotPossible(Type.WARNING),
  /** A JobRun names a Job that does not exist. */
  JobNotFound(Type.WARNING),
  /** A JobRun checks its session before its first Run. */
  ValidatingSession(Type.NORMAL),
  /** A JobRun's Runs are under way. */
  RunsStarted(Type.NORMAL),
  /** A user paused a JobRun. */
  PausedByUser(Type.NORMAL),
  /** A JobRun's session became invalid and cannot be recreated now; the JobRun waits. */
  AuthSessionInvalidMidJob(Type.WARNING),
  /** Some Runs of a JobRun did not succeed. */
  RunsFailed(Type.WARNING),
  /** A Job is valid; its message says whether and how it is scheduled. */
  JobValid(Type.NORMAL),
  /** A Job cannot run as written; the message says what to fix. */
  JobInvalid(Type.WARNING),
  /**
   * The Secret or key a Job's sink.signingSecretRef names does not exist: the Job is not valid and
   * its JobRuns fail before any Run.
   */
  SigningSecretNotFound(Type.WARNING),
  /**
   * The value of a Job's signing secret is not whsec_ followed by 24 to 64 bytes in base64: the Job
   * is not valid and its JobRuns fail before any Run.
   */
  SigningSecretInvalid(Type.WARNING),
  /** A scheduled JobRun was not started within startingDeadlineSeconds of its time. */
  MissedSchedule(Type.WARNING),
  /** A JobRun was not started: another of its Job runs and the Job's policy is Forbid. */
  AnotherJobRunActive(Type.WARNING),
  /** A JobRun was canceled by a newer one of its Job (concurrencyPolicy Replace). */
  ReplacedByNewerJobRun(Type.NORMAL),
  /**
   * A Run names a session operation that the session's controller did not start: only the operator
   * starts operations.
   */
  OperationNotAllowed(Type.WARNING),
  /** The session's state Secret cannot be read; the next Attempt that may recreate it will. */
  StateUnreadable(Type.WARNING),
  /**
   * A recreation ended before the site answered (runner crashed, Pod deleted, timeout); the
   * credentials are not in question, the next Run or health check recreates the state.
   */
  RecreationInterrupted(Type.WARNING),
  /** A create ended before the site answered; it is started again after a backoff. */
  CreateInterrupted(Type.WARNING),
  /** An update ended before the site answered; it is started again after a backoff. */
  UpdateInterrupted(Type.WARNING),
  /** A validation Run's session state was recreated for it, then its check passed. */
  Recreated(Type.NORMAL),
  /**
   * The operator could not reconcile the object (most often a spec that a real API server would
   * refuse); it tries again with backoff and goes on with every other object.
   */
  ReconcileFailed(Type.WARNING),
  /**
   * The operator cannot read the object into its model (a field of the wrong type, a map written as
   * a list), which a real API server refuses at apply; the message names the field. Nothing is
   * retried until the object changes.
   */
  InvalidSpec(Type.WARNING);

  /** Event type: Normal or Warning. */
  public enum Type {
    NORMAL("Normal"),
    WARNING("Warning");

    private final String value;

    Type(String value) {
      this.value = value;
    }

    public String value() {
      return value;
    }
  }

  private final Type type;

  Reason(Type type) {
    this.type = type;
  }

  public Type type() {
    return type;
  }
}

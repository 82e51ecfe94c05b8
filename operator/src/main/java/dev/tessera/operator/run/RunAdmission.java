package dev.tessera.operator.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.tessera.api.protocol.AttemptInputs;
import dev.tessera.api.v1alpha1.ApiDefinition;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.api.v1alpha1.Reason;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.RunSpec;
import dev.tessera.api.v1alpha1.SecretReference;
import dev.tessera.api.v1alpha1.SessionOperationStatus;
import dev.tessera.api.v1alpha1.StatusCondition;
import dev.tessera.operator.project.ProjectValidation;
import dev.tessera.operator.session.SessionSettings;
import dev.tessera.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Decides whether a Run can start: its project and API exist, its parameters are a JSON object that
 * satisfies the API's parametersSchema, and it names an AuthSession exactly when the project needs
 * one; a Run that names a session operation must be one its session started. A pure function of the
 * Run, its project and its session.
 */
public final class RunAdmission {
  private static final SchemaRegistry SCHEMAS =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  private RunAdmission() {}

  /**
   * Whether an operation Run acts for its session: the session's controller started it and recorded
   * its UID in {@code status.operation}, and the operation runs. Users cannot write a session's
   * status, so they cannot make a Run pass this.
   */
  public static boolean operationRecorded(Run run, AuthSession session) {
    SessionOperationStatus op =
        session == null || session.getStatus() == null ? null : session.getStatus().getOperation();
    return op != null
        && run.getMetadata().getName().equals(op.getName())
        && op.getUid() != null
        && op.getUid().equals(run.getMetadata().getUid())
        && op.getKind() == run.getSpec().getOperation()
        && SessionOperationStatus.RUNNING.equals(op.getOutcome());
  }

  /**
   * Admission of a Run that names a session operation: only the session's own controller starts
   * one. A Run whose name the session's status names, not yet with a UID, waits (the controller
   * records the UID right after creating it); any other is refused before any Pod starts.
   */
  public static Optional<Rejection> checkOperation(
      Run run, ProjectSpec project, AuthSession session) {
    RunSpec spec = run.getSpec();
    SessionOperationStatus op =
        session == null || session.getStatus() == null ? null : session.getStatus().getOperation();
    boolean expected =
        op != null
            && spec.getAuthSession() != null
            && run.getMetadata().getName().equals(op.getName())
            && op.getKind() == spec.getOperation()
            && SessionOperationStatus.RUNNING.equals(op.getOutcome())
            && (op.getUid() == null || op.getUid().equals(run.getMetadata().getUid()));
    if (!expected) {
      return reject(
          Reason.OperationNotAllowed,
          "spec.operation %s is set only by the operator: AuthSession \"%s\" did not start this"
              + " Run. To log a session in again with new settings, annotate it: kubectl annotate"
              + " authsession %s tessera.dev/update=\"$(date +%%s)\" --overwrite; to validate it,"
              + " create a Run without spec.api",
          spec.getOperation().value(),
          spec.getAuthSession() == null ? "" : spec.getAuthSession().getName(),
          spec.getAuthSession() == null ? "<name>" : spec.getAuthSession().getName());
    }
    if (project == null) {
      return reject(
          Reason.ProjectNotFound,
          "Project \"%s\" does not exist in namespace %s",
          spec.getProject(),
          run.getMetadata().getNamespace());
    }
    return Optional.empty();
  }

  /** Why a Run is refused. */
  public record Rejection(Reason reason, String message) {
    /**
     * Whether what is missing may come by itself: a Run waits for it (within its start timeout)
     * instead of being Rejected at once, as a Pod waits for its Secret.
     */
    public boolean mayResolve() {
      return MAY_RESOLVE.contains(reason);
    }
  }

  private static final Set<Reason> MAY_RESOLVE =
      EnumSet.of(
          Reason.ProjectNotFound,
          Reason.AuthSessionNotFound,
          Reason.AuthSessionNotReady,
          Reason.AuthSessionLocked,
          Reason.RuntimeCredentialsNotFound);

  /**
   * Whether work may start on a session: it is Ready, or its state can be made by the work itself
   * (an Expired Credentials session that may be recreated; a Runtime session, whose Runs create its
   * state).
   *
   * @param mayRecreate whether the work may have the session recreated
   */
  public static boolean usable(AuthSession session, boolean mayRecreate) {
    String phase = session.getStatus() == null ? null : session.getStatus().getPhase();
    String type = session.getSpec().getType();
    return "Ready".equals(phase)
        || "Runtime".equals(type)
        || ("Expired".equals(phase) && "Credentials".equals(type) && mayRecreate);
  }

  /** The start timeout of a Run or JobRun when its spec names none, in seconds. */
  public static final int DEFAULT_START_TIMEOUT_SECONDS = 600;

  /** A start timeout as given, or the default. */
  public static int startTimeoutSeconds(Integer given) {
    return given == null ? DEFAULT_START_TIMEOUT_SECONDS : given;
  }

  /**
   * When a Run or JobRun that waits to start stops waiting: its start timeout after its creation
   * (or, for an object without a creation time, after it first waited).
   */
  public static Instant startDeadline(
      ObjectMeta metadata, List<StatusCondition> conditions, Integer timeoutSeconds, Instant now) {
    Instant since = null;
    if (metadata.getCreationTimestamp() != null) {
      try {
        since = Instant.parse(metadata.getCreationTimestamp());
      } catch (DateTimeParseException e) {
        since = null;
      }
    }
    StatusCondition admitted = Conditions.find(conditions, Conditions.ADMITTED);
    if (since == null
        && admitted != null
        && Conditions.FALSE.equals(admitted.getStatus())
        && admitted.getLastTransitionTime() != null) {
      since = Instant.parse(admitted.getLastTransitionTime());
    }
    return (since == null ? now : since).plusSeconds(startTimeoutSeconds(timeoutSeconds));
  }

  /** A session's phase and what its status says of it, for messages. */
  public static String describePhase(AuthSession session) {
    String phase = session.getStatus() == null ? null : session.getStatus().getPhase();
    if (phase == null) {
      return "Pending: not yet reconciled";
    }
    String message = session.getStatus().getMessage();
    return message == null || message.isBlank() ? phase : phase + ": " + message;
  }

  /**
   * @param spec the Run's spec
   * @param namespace the Run's namespace, for messages
   * @param project the project's spec, or null when it does not exist
   * @param session the Run's AuthSession, or null
   * @param lockHolder the operation holding the session's lock, or null when it is free
   * @param runtimeCredentialsFound whether the Secret of {@code runtimeCredentialsSecretRef} exists
   *     with keys (looked up only for Runs that name one)
   */
  public static Optional<Rejection> check(
      RunSpec spec,
      String namespace,
      ProjectSpec project,
      AuthSession session,
      String lockHolder,
      boolean runtimeCredentialsFound) {
    if (project == null) {
      return reject(
          Reason.ProjectNotFound,
          "Project \"%s\" does not exist in namespace %s",
          spec.getProject(),
          namespace);
    }
    List<String> problems = ProjectValidation.problems(project);
    if (!problems.isEmpty()) {
      return reject(
          Reason.ProjectInvalid,
          "Project \"%s\" is not valid: %s",
          spec.getProject(),
          String.join("; ", problems));
    }
    boolean authenticated =
        project.getAuthentication() != null
            && Boolean.TRUE.equals(project.getAuthentication().getEnabled());
    if (authenticated && spec.getAuthSession() == null) {
      return reject(
          Reason.AuthSessionRequired,
          "Project \"%s\" has authentication enabled: every Run needs spec.authSession.name",
          spec.getProject());
    }
    if (!authenticated && spec.getAuthSession() != null) {
      return reject(
          Reason.AuthenticationDisabled,
          "Project \"%s\" does not enable authentication: remove spec.authSession or enable"
              + " spec.authentication in the project",
          spec.getProject());
    }
    if (spec.getAuthSession() != null) {
      Optional<Rejection> sessionProblem = checkSession(spec, session, runtimeCredentialsFound);
      if (sessionProblem.isPresent()) {
        return sessionProblem;
      }
    }
    if (authenticated && lockHolder != null) {
      return reject(
          Reason.AuthSessionLocked,
          "AuthSession \"%s\" is locked by %s, which is changing its state",
          spec.getAuthSession().getName(),
          lockHolder);
    }
    if (authenticated
        && !usable(
            session,
            SessionSettings.autoRecreate(session, spec.getAuthSession().getAutoRecreate()))) {
      return reject(
          Reason.AuthSessionNotReady,
          "AuthSession \"%s\" is not Ready (%s)",
          spec.getAuthSession().getName(),
          describePhase(session));
    }
    if (spec.getApi() == null) {
      if (!authenticated) {
        return reject(
            Reason.ApiNotFound,
            "name the API to run in spec.api (a Run without one only validates a session, and"
                + " project \"%s\" has no authentication)",
            spec.getProject());
      }
      return Optional.empty();
    }
    ApiDefinition api = project.getApis() == null ? null : project.getApis().get(spec.getApi());
    if (api == null) {
      String known =
          project.getApis() == null
              ? "none"
              : String.join(", ", new TreeSet<>(project.getApis().keySet()));
      return reject(
          Reason.ApiNotFound,
          "Project \"%s\" has no API \"%s\" (its APIs: %s)",
          spec.getProject(),
          spec.getApi(),
          known);
    }
    JsonNode parameters = spec.getParameters();
    if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
      return reject(
          Reason.InvalidParameters,
          "spec.parameters must be a JSON object, not %s",
          parameters.getNodeType().name().toLowerCase());
    }
    if (api.getParametersSchema() != null && !api.getParametersSchema().isNull()) {
      JsonNode merged = AttemptInputs.mergeParameters(project.getParameters(), parameters);
      List<String> errors;
      try {
        Schema schema = SCHEMAS.getSchema(api.getParametersSchema());
        errors =
            schema.validate(merged).stream()
                .map(e -> e.getInstanceLocation() + ": " + e.getMessage())
                .sorted()
                .toList();
      } catch (RuntimeException e) {
        return reject(
            Reason.InvalidParameters,
            "API \"%s\" has a parametersSchema that is not valid JSON Schema: %s",
            spec.getApi(),
            e.getMessage());
      }
      if (!errors.isEmpty()) {
        return reject(
            Reason.InvalidParameters,
            "spec.parameters do not satisfy the parametersSchema of API \"%s\": %s",
            spec.getApi(),
            errors.stream().collect(Collectors.joining("; ")));
      }
    }
    return Optional.empty();
  }

  private static Optional<Rejection> checkSession(
      RunSpec spec, AuthSession session, boolean runtimeCredentialsFound) {
    if (session == null) {
      return reject(
          Reason.AuthSessionNotFound,
          "AuthSession \"%s\" does not exist in the Run's namespace",
          spec.getAuthSession().getName());
    }
    if (!spec.getProject().equals(session.getSpec().getProject())) {
      return reject(
          Reason.AuthSessionOfAnotherProject,
          "AuthSession \"%s\" belongs to project \"%s\", not \"%s\"",
          spec.getAuthSession().getName(),
          session.getSpec().getProject(),
          spec.getProject());
    }
    String name = spec.getAuthSession().getName();
    boolean validationOnly = spec.getApi() == null;
    boolean runtime = "Runtime".equals(session.getSpec().getType());
    SecretReference credentials = spec.getAuthSession().getRuntimeCredentialsSecretRef();
    if (!runtime && credentials != null) {
      return reject(
          Reason.RuntimeCredentialsNotAllowed,
          "AuthSession \"%s\" is of type %s: it brings its own credentials; remove"
              + " spec.authSession.runtimeCredentialsSecretRef",
          name,
          session.getSpec().getType());
    }
    boolean autoRecreate =
        SessionSettings.autoRecreate(session, spec.getAuthSession().getAutoRecreate());
    if ("Recorder".equals(session.getSpec().getType()) && autoRecreate) {
      return reject(
          Reason.AutoRecreateNotPossible,
          "AuthSession \"%s\" is a Recorder session: only a human can log it in again, so Runs on"
              + " it need spec.authSession.autoRecreate: false (or set spec.autoRecreate: false on"
              + " the session)",
          name);
    }
    if (runtime && validationOnly && !autoRecreate) {
      // a check of a Runtime session's state (its health check) needs no credentials
      return Optional.empty();
    }
    if (runtime && !autoRecreate) {
      return reject(
          Reason.AutoRecreateRequired,
          "AuthSession \"%s\" is of type Runtime: its state is created by the Runs that use it,"
              + " so spec.authSession.autoRecreate must be true",
          name);
    }
    if (runtime && credentials == null) {
      return reject(
          Reason.RuntimeCredentialsRequired,
          "AuthSession \"%s\" is of type Runtime: name the Secret with the credentials of this"
              + " Run in spec.authSession.runtimeCredentialsSecretRef",
          name);
    }
    if (runtime && !runtimeCredentialsFound) {
      return reject(
          Reason.RuntimeCredentialsNotFound,
          "Secret \"%s\" (spec.authSession.runtimeCredentialsSecretRef) is missing or has no keys",
          credentials.getName());
    }
    return Optional.empty();
  }

  private static Optional<Rejection> reject(Reason reason, String format, Object... args) {
    return Optional.of(new Rejection(reason, String.format(format, args)));
  }
}

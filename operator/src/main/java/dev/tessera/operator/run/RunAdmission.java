package dev.tessera.operator.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.tessera.api.protocol.AttemptInputs;
import dev.tessera.api.v1alpha1.ApiDefinition;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.api.v1alpha1.RunSpec;
import dev.tessera.api.v1alpha1.SecretReference;
import dev.tessera.operator.project.ProjectValidation;
import dev.tessera.operator.status.Reason;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Decides whether a Run can start: its project and API exist, its parameters are a JSON object that
 * satisfies the API's parametersSchema, and it names an AuthSession exactly when the project needs
 * one. A pure function of the Run and its project.
 */
public final class RunAdmission {
  private static final SchemaRegistry SCHEMAS =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  /** The operation that logs a session in for the first time (or after its credentials change). */
  public static final String CREATE = "AuthSession:Create";

  /**
   * The operation that checks a session: with {@code autoRecreate} (a recreation) it logs in when
   * every check fails; without, it is a plain scheduled check.
   */
  public static final String VALIDATE = "AuthSession:Validate";

  /** The operation that logs in again with new credentials or a new proxy, keeping the name. */
  public static final String UPDATE = "AuthSession:Update";

  /**
   * Whether an operation changes the session's state, and so holds its lock: a create, an update, a
   * validation that may recreate. A plain check does not.
   */
  public static boolean takesLock(RunSpec spec) {
    return CREATE.equals(spec.getOperation())
        || UPDATE.equals(spec.getOperation())
        || (VALIDATE.equals(spec.getOperation())
            && spec.getAuthSession() != null
            && !Boolean.FALSE.equals(spec.getAuthSession().getAutoRecreate()));
  }

  private RunAdmission() {}

  /** Why a Run is refused. */
  public record Rejection(Reason reason, String message) {}

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
          "Project \"%s\" does not exist in namespace %s; create it or fix spec.project",
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
    if (spec.getOperation() != null) {
      return CREATE.equals(spec.getOperation())
              || VALIDATE.equals(spec.getOperation())
              || UPDATE.equals(spec.getOperation())
          ? Optional.empty()
          : reject(
              Reason.NotSupported,
              "%s operations are not run by this version of the operator",
              spec.getOperation());
    }
    if (authenticated && lockHolder != null) {
      return reject(
          Reason.AuthSessionLocked,
          "AuthSession \"%s\" is locked by %s, which is changing its state; start the Run again"
              + " when it has finished",
          spec.getAuthSession().getName(),
          lockHolder);
    }
    String sessionPhase =
        session == null || session.getStatus() == null ? null : session.getStatus().getPhase();
    boolean recreatable =
        session != null
            && ("Runtime".equals(session.getSpec().getType())
                || ("Expired".equals(sessionPhase)
                    && "Credentials".equals(session.getSpec().getType())
                    && !Boolean.FALSE.equals(spec.getAuthSession().getAutoRecreate())));
    if (authenticated && !"Ready".equals(sessionPhase) && !recreatable) {
      return reject(
          Reason.AuthSessionNotReady,
          "AuthSession \"%s\" is not Ready (%s); start the Run once it is",
          spec.getAuthSession().getName(),
          sessionPhase == null
              ? "Pending"
              : sessionPhase + ": " + session.getStatus().getMessage());
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
    if (spec.getOperation() != null) {
      return Optional.empty();
    }
    String name = spec.getAuthSession().getName();
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
    if ("Recorder".equals(session.getSpec().getType())
        && !Boolean.FALSE.equals(spec.getAuthSession().getAutoRecreate())) {
      return reject(
          Reason.AutoRecreateNotPossible,
          "AuthSession \"%s\" is a Recorder session: only a human can log it in again, so Runs on"
              + " it need spec.authSession.autoRecreate: false",
          name);
    }
    if (runtime && Boolean.FALSE.equals(spec.getAuthSession().getAutoRecreate())) {
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

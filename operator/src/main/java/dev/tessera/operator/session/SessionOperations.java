package dev.tessera.operator.session;

import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.RetrySpec;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.RunAuthSessionSpec;
import dev.tessera.api.v1alpha1.RunSpec;
import dev.tessera.api.v1alpha1.SecretReference;
import dev.tessera.operator.naming.Labels;
import dev.tessera.operator.naming.Owners;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.Objects;

/**
 * The Runs a session's controller makes: its operations ({@code AuthSession:Create}, {@code
 * :Update}, {@code :Validate}) and its health checks (ordinary Runs that only validate). Owned by
 * the session, labelled with it, so they are listed by {@code kubectl get runs} and go when the
 * session goes.
 */
final class SessionOperations {
  /**
   * Attempts of an operation Run: a runner that crashed, a Pod deleted or timed out before the site
   * answered is tried again; a login the site refused is not (its Attempt is Canceled).
   */
  static final int OPERATION_ATTEMPTS = 3;

  private SessionOperations() {}

  /** The operation Run for {@code start}. */
  static Run operation(AuthSession session, SessionProgress.Start start) {
    RunAuthSessionSpec auth = new RunAuthSessionSpec();
    auth.setName(session.getMetadata().getName());
    auth.setRuntimeCredentialsSecretRef(start.runtimeCredentials());
    RetrySpec retry = new RetrySpec();
    retry.setMaxAttempts(OPERATION_ATTEMPTS);
    RunSpec spec = new RunSpec();
    spec.setProject(session.getSpec().getProject());
    spec.setOperation(start.kind());
    spec.setAuthSession(auth);
    spec.setRetry(retry);
    return run(session, start.name(), Labels.SESSION_OPERATION, spec);
  }

  /** A health check: an ordinary Run without an API, which validates the session. */
  static Run healthCheck(AuthSession session, String name) {
    RunAuthSessionSpec auth = new RunAuthSessionSpec();
    auth.setName(session.getMetadata().getName());
    // a Credentials session is recreated at once when its check fails; others expire
    auth.setAutoRecreate(
        "Credentials".equals(session.getSpec().getType())
            && !Boolean.FALSE.equals(session.getSpec().getAutoRecreate()));
    RetrySpec retry = new RetrySpec();
    retry.setMaxAttempts(OPERATION_ATTEMPTS);
    RunSpec spec = new RunSpec();
    spec.setProject(session.getSpec().getProject());
    spec.setAuthSession(auth);
    spec.setRetry(retry);
    return run(session, name, Labels.SESSION_HEALTH, spec);
  }

  private static Run run(AuthSession session, String name, String component, RunSpec spec) {
    Run run = new Run();
    run.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(session.getMetadata().getNamespace())
            .withLabels(
                Map.of(
                    Labels.MANAGED_BY,
                    Labels.MANAGED_BY_VALUE,
                    Labels.COMPONENT,
                    component,
                    Labels.SESSION,
                    session.getMetadata().getName()))
            .withOwnerReferences(Owners.controller(session))
            .build());
    run.setSpec(spec);
    return run;
  }

  /**
   * Creates {@code run}, or finds the one of its name that this controller made before (after a
   * restart between creating it and recording its UID). Returns the Run, or null when a Run of that
   * name exists that the session did not make: it is deleted, since it squats an operation's name.
   */
  static Run createOrFind(KubernetesClient client, AuthSession session, Run run) {
    try {
      return client.resource(run).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
    Run existing = client.resource(run).get();
    if (existing == null) {
      return null;
    }
    // the one this controller made before its UID was recorded (a restart, or a stale read of
    // the session): same owner, same spec; anything else squats an operation's name
    boolean ours =
        existing.getMetadata().getOwnerReferences() != null
            && existing.getMetadata().getOwnerReferences().stream()
                .anyMatch(
                    o ->
                        Boolean.TRUE.equals(o.getController())
                            && Objects.equals(o.getUid(), session.getMetadata().getUid()))
            && Objects.equals(existing.getSpec().getOperation(), run.getSpec().getOperation())
            && Objects.equals(existing.getSpec().getProject(), run.getSpec().getProject())
            && Objects.equals(existing.getSpec().getApi(), run.getSpec().getApi())
            && sameCredentials(existing, run);
    if (ours) {
      return existing;
    }
    client.resource(existing).delete();
    return null;
  }

  private static boolean sameCredentials(Run a, Run b) {
    SecretReference ra =
        a.getSpec().getAuthSession() == null
            ? null
            : a.getSpec().getAuthSession().getRuntimeCredentialsSecretRef();
    SecretReference rb =
        b.getSpec().getAuthSession() == null
            ? null
            : b.getSpec().getAuthSession().getRuntimeCredentialsSecretRef();
    return Objects.equals(ra == null ? null : ra.getName(), rb == null ? null : rb.getName());
  }
}

package dev.tessera.operator.session;

import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.RetrySpec;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.RunAuthSessionSpec;
import dev.tessera.api.v1alpha1.RunSpec;
import dev.tessera.operator.naming.Labels;
import dev.tessera.operator.naming.Owners;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;

/**
 * The Runs that operate on a session ({@code AuthSession:Create}, {@code AuthSession:Validate}):
 * owned by the session, labelled with it, one Attempt each (their creates and checks retry inside
 * the Attempt), so they are listed by {@code kubectl get runs} and go when the session goes.
 */
public final class SessionOperations {
  private SessionOperations() {}

  /**
   * How an operation uses its session: defaults, except what is given.
   *
   * @param autoRecreate for a validation: whether it may log in
   * @param from the Run that asked for the operation (its create and check attempts, and for a
   *     Runtime session the reference to its credentials), or null
   */
  public static RunAuthSessionSpec auth(AuthSession session, boolean autoRecreate, Run from) {
    RunAuthSessionSpec auth = new RunAuthSessionSpec();
    auth.setName(session.getMetadata().getName());
    auth.setAutoRecreate(autoRecreate);
    RunAuthSessionSpec asked = from == null ? null : from.getSpec().getAuthSession();
    if (asked != null) {
      auth.setCreateAttempts(asked.getCreateAttempts());
      auth.setCheckAttempts(asked.getCheckAttempts());
      auth.setRuntimeCredentialsSecretRef(asked.getRuntimeCredentialsSecretRef());
    }
    return auth;
  }

  /**
   * Starts an operation Run unless one of that name exists. Returns whether this call created it.
   */
  public static boolean start(
      KubernetesClient client,
      AuthSession session,
      String operation,
      String name,
      RunAuthSessionSpec auth) {
    RetrySpec retry = new RetrySpec();
    retry.setMaxAttempts(1);
    RunSpec spec = new RunSpec();
    spec.setProject(session.getSpec().getProject());
    spec.setOperation(operation);
    spec.setAuthSession(auth);
    spec.setRetry(retry);
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
                    Labels.SESSION_OPERATION,
                    Labels.SESSION,
                    session.getMetadata().getName()))
            .withOwnerReferences(Owners.controller(session))
            .build());
    run.setSpec(spec);
    try {
      client.resource(run).create();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      return false;
    }
  }
}

package dev.tessera.operator.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.operator.naming.Labels;
import dev.tessera.operator.naming.Names;
import dev.tessera.operator.naming.Owners;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A session's Secrets: the user's credentials Secret (read, never copied into an object the
 * operator owns other than a create Pod's input) and the browser-state Secret the operator owns.
 * Neither is cached: they are read when an Attempt is made.
 */
public final class SessionSecrets {
  /**
   * Key of the Playwright storage state (cookies and origins' localStorage) in the state Secret.
   */
  public static final String STATE_KEY = "storageState.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private SessionSecrets() {}

  /**
   * The resourceVersion of the session's credentials Secret, or null when it is missing or empty.
   */
  public static String credentialsVersion(KubernetesClient client, AuthSession session) {
    Secret secret = credentialsSecret(client, session);
    return secret == null || values(secret).isEmpty()
        ? null
        : secret.getMetadata().getResourceVersion();
  }

  /** The session's credentials, by key. */
  public static Map<String, String> credentials(KubernetesClient client, AuthSession session) {
    Secret secret = credentialsSecret(client, session);
    if (secret == null) {
      throw new IllegalStateException(
          "the credentials Secret of AuthSession " + Names.ref(session) + " is missing");
    }
    return values(secret);
  }

  /** The session's browser state, or null when it has none. */
  public static JsonNode state(KubernetesClient client, AuthSession session) {
    Secret secret =
        client
            .secrets()
            .inNamespace(session.getMetadata().getNamespace())
            .withName(Names.sessionState(session.getMetadata().getName()))
            .get();
    String data =
        secret == null || secret.getData() == null ? null : secret.getData().get(STATE_KEY);
    if (data == null) {
      return null;
    }
    try {
      return JSON.readTree(Base64.getDecoder().decode(data));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "the state Secret of " + Names.ref(session) + " cannot be read", e);
    }
  }

  /** Writes the session's browser state into its state Secret, owned by the session. */
  public static void storeState(KubernetesClient client, AuthSession session, JsonNode state) {
    String name = session.getMetadata().getName();
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(Names.sessionState(name))
            .withNamespace(session.getMetadata().getNamespace())
            .addToLabels(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
            .addToLabels(Labels.COMPONENT, Labels.SESSION_STATE)
            .addToLabels(Labels.SESSION, name)
            .withOwnerReferences(Owners.controller(session))
            .endMetadata()
            .withType("Opaque")
            .withData(
                Map.of(
                    STATE_KEY,
                    Base64.getEncoder()
                        .encodeToString(state.toString().getBytes(StandardCharsets.UTF_8))))
            .build();
    client
        .secrets()
        .inNamespace(session.getMetadata().getNamespace())
        .resource(secret)
        .createOr(existing -> existing.update());
  }

  private static Secret credentialsSecret(KubernetesClient client, AuthSession session) {
    if (session.getSpec().getCredentialsSecretRef() == null) {
      return null;
    }
    return client
        .secrets()
        .inNamespace(session.getMetadata().getNamespace())
        .withName(session.getSpec().getCredentialsSecretRef().getName())
        .get();
  }

  private static Map<String, String> values(Secret secret) {
    Map<String, String> values = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (k, v) ->
                  values.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      values.putAll(secret.getStringData());
    }
    return values;
  }
}

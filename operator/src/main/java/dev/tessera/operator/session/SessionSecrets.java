package dev.tessera.operator.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.api.protocol.ProxyOptions;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.ProxySpec;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.SecretReference;
import dev.tessera.operator.naming.Labels;
import dev.tessera.operator.naming.Names;
import dev.tessera.operator.naming.Owners;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

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

  /**
   * Annotation of the state Secret: the state's generation, which grows by one each time a create
   * stores a new state. A Run records the generation its checks ran against, so that a recreation
   * is asked for a given state once, however many Runs found it invalid.
   */
  public static final String GENERATION_ANNOTATION = "tessera.dev/state-generation";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Annotation of the state Secret: the operation Run that stored the state. Storing is idempotent
   * per operation: an operation whose state is already stored does not store it again.
   */
  public static final String CREATED_BY_ANNOTATION = "tessera.dev/created-by";

  /**
   * A session's browser state as last stored.
   *
   * @param generation its generation (0 when there is none)
   * @param storageState the Playwright storage state, or null (none, or unreadable)
   * @param unreadable whether the Secret exists but its state cannot be read (bad bytes, no key)
   * @param createdBy the operation Run that stored it, or null
   */
  public record State(int generation, JsonNode storageState, boolean unreadable, String createdBy) {
    public static final State NONE = new State(0, null, false, null);

    /** A readable state. */
    public State(int generation, JsonNode storageState) {
      this(generation, storageState, false, null);
    }

    /** What this says of the state without the browser state itself, to keep in memory. */
    public State withoutBrowserState() {
      return new State(generation, null, unreadable, createdBy);
    }
  }

  private SessionSecrets() {}

  /** What the operator may know of a credentials Secret: its version and its keys, no values. */
  public record CredentialsShape(String version, Set<String> keys) {}

  /** The session's credentials Secret's version and keys, or null when it is missing or empty. */
  public static CredentialsShape credentialsShape(KubernetesClient client, AuthSession session) {
    Secret secret = credentialsSecret(client, session);
    if (secret == null) {
      return null;
    }
    Map<String, String> values = values(secret);
    return values.isEmpty()
        ? null
        : new CredentialsShape(
            secret.getMetadata().getResourceVersion(), new TreeSet<>(values.keySet()));
  }

  /**
   * The credentials an operation logs in with, by key: the session's own, or for a Runtime session
   * those of the Run that asked for the operation (named in the operation's spec, never copied).
   */
  public static Map<String, String> credentials(
      KubernetesClient client, AuthSession session, Run operation) {
    // only a Runtime session logs in with credentials a Run names; every other uses its own
    SecretReference runtime =
        operation.getSpec().getAuthSession() == null
                || !"Runtime".equals(session.getSpec().getType())
            ? null
            : operation.getSpec().getAuthSession().getRuntimeCredentialsSecretRef();
    Secret secret =
        runtime != null
            ? secret(client, session.getMetadata().getNamespace(), runtime.getName())
            : credentialsSecret(client, session);
    if (secret == null) {
      throw new IllegalStateException(
          "the credentials Secret of " + Names.ref(operation) + " is missing");
    }
    return values(secret);
  }

  /** Whether a Secret exists with at least one key. */
  public static boolean hasKeys(KubernetesClient client, String namespace, String name) {
    Secret secret = secret(client, namespace, name);
    return secret != null && !values(secret).isEmpty();
  }

  /** The session's proxy for a runner, its credentials resolved; null without a proxy. */
  public static ProxyOptions proxy(KubernetesClient client, AuthSession session) {
    ProxySpec proxy = session.getSpec().getProxy();
    if (proxy == null) {
      return null;
    }
    Map<String, String> credentials =
        proxy.getCredentialsSecretRef() == null
            ? Map.of()
            : values(
                Objects.requireNonNull(
                    secret(
                        client,
                        session.getMetadata().getNamespace(),
                        proxy.getCredentialsSecretRef().getName()),
                    "the proxy Secret is missing"));
    return new ProxyOptions(
        proxy.getServer(),
        proxy.getBypass(),
        credentials.get("username"),
        credentials.get("password"));
  }

  /**
   * What the operator may know of a session's proxy: a fingerprint that changes with its settings
   * or its Secret, or the reason it cannot be used.
   */
  public record ProxyShape(String fingerprint, String problem) {
    public static final ProxyShape NONE = new ProxyShape(null, null);
  }

  /**
   * A digest of the proxy's settings: it lands in the session's status, and a server URL may carry
   * credentials ({@code http://user:password@proxy}), which must not.
   */
  private static String digest(String settings) {
    try {
      return "sha256:"
          + java.util.HexFormat.of()
              .formatHex(
                  java.security.MessageDigest.getInstance("SHA-256")
                      .digest(settings.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The session's proxy fingerprint, or why its Secret cannot be used. */
  public static ProxyShape proxyShape(KubernetesClient client, AuthSession session) {
    ProxySpec proxy = session.getSpec().getProxy();
    if (proxy == null) {
      return ProxyShape.NONE;
    }
    String fingerprint = proxy.getServer() + " bypass=" + proxy.getBypass();
    if (proxy.getCredentialsSecretRef() == null) {
      return new ProxyShape(digest(fingerprint), null);
    }
    String name = proxy.getCredentialsSecretRef().getName();
    Secret secret = secret(client, session.getMetadata().getNamespace(), name);
    if (secret == null
        || !values(secret).containsKey("username")
        || !values(secret).containsKey("password")) {
      return new ProxyShape(
          null,
          "proxy Secret \""
              + name
              + "\" is missing or lacks the keys username and password; create it with both");
    }
    return new ProxyShape(
        digest(fingerprint + " secret=" + name + "@" + secret.getMetadata().getResourceVersion()),
        null);
  }

  /**
   * The session's browser state and its generation ({@link State#NONE} when it has none). A Secret
   * whose state cannot be read gives an unreadable state of its generation, never an exception: the
   * session then recreates it.
   */
  public static State state(KubernetesClient client, AuthSession session) {
    return state(stateSecret(client, session));
  }

  /**
   * What a state Secret's metadata says of the state, for a Secret cached without its data: its
   * generation and the operation that made it, not the state itself (which {@link
   * #state(KubernetesClient, AuthSession)} reads when a Pod's input needs it).
   */
  public static State metadataOf(Secret secret) {
    if (secret == null) {
      return State.NONE;
    }
    return new State(generation(secret), null, false, annotation(secret, CREATED_BY_ANNOTATION));
  }

  /** The state a state Secret holds (see {@link #state(KubernetesClient, AuthSession)}). */
  static State state(Secret secret) {
    if (secret == null) {
      return State.NONE;
    }
    int generation = generation(secret);
    String createdBy = annotation(secret, CREATED_BY_ANNOTATION);
    String data = secret.getData() == null ? null : secret.getData().get(STATE_KEY);
    if (data == null) {
      return new State(generation, null, true, createdBy);
    }
    try {
      JsonNode state = JSON.readTree(Base64.getDecoder().decode(data));
      if (state == null || !state.isObject()) {
        return new State(generation, null, true, createdBy);
      }
      return new State(generation, state, false, createdBy);
    } catch (IOException | IllegalArgumentException e) {
      return new State(generation, null, true, createdBy);
    }
  }

  /**
   * Writes the browser state an operation reported into the session's state Secret, owned by the
   * session, one generation after the state it replaces, unless that operation's state is stored
   * already. Returns the generation stored.
   */
  static int storeState(
      KubernetesClient client, AuthSession session, JsonNode state, String operation) {
    String name = session.getMetadata().getName();
    Secret current = stateSecret(client, session);
    if (current != null && operation.equals(annotation(current, CREATED_BY_ANNOTATION))) {
      return generation(current);
    }
    int generation = current == null ? 1 : generation(current) + 1;
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(Names.sessionState(name))
            .withNamespace(session.getMetadata().getNamespace())
            .addToLabels(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
            .addToLabels(Labels.COMPONENT, Labels.SESSION_STATE)
            .addToLabels(Labels.SESSION, name)
            .addToAnnotations(GENERATION_ANNOTATION, Integer.toString(generation))
            .addToAnnotations(CREATED_BY_ANNOTATION, operation)
            .withOwnerReferences(Owners.controller(session))
            .endMetadata()
            .withType("Opaque")
            .withData(
                Map.of(
                    STATE_KEY,
                    Base64.getEncoder()
                        .encodeToString(state.toString().getBytes(StandardCharsets.UTF_8))))
            .build();
    if (current == null) {
      client.secrets().inNamespace(session.getMetadata().getNamespace()).resource(secret).create();
    } else {
      // the resourceVersion read: a concurrent store fails this one instead of reusing a generation
      secret.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
      client.secrets().inNamespace(session.getMetadata().getNamespace()).resource(secret).update();
    }
    return generation;
  }

  /** The label selector of the sessions' state Secrets, as the controllers' caches watch them. */
  public static final String STATE_SELECTOR = Labels.managed(Labels.SESSION_STATE);

  /**
   * How a cache keeps a state Secret: its labels and annotations (the generation, the operation
   * that made it), never the browser state, which is read by name when it is needed.
   */
  public static ReducedStateItemStore<Secret> stateMetadataStore(
      KubernetesSerialization serialization) {
    return new ReducedStateItemStore<>(
        ReducedStateItemStore.NAME_KEY_STATE,
        Secret.class,
        serialization,
        "metadata.labels",
        "metadata.annotations");
  }

  /**
   * What the session controller keeps of its state, versioned: as {@link #state(KubernetesClient,
   * AuthSession)} reads it (whether it can be read, its generation, who made it), without the
   * browser state, which is never held in memory.
   */
  static ReadSinceVersion.Read<State> versionedState(KubernetesClient client, AuthSession session) {
    Secret secret = stateSecret(client, session);
    return new ReadSinceVersion.Read<>(
        state(secret).withoutBrowserState(),
        secret == null ? null : secret.getMetadata().getResourceVersion());
  }

  private static Secret stateSecret(KubernetesClient client, AuthSession session) {
    return client
        .secrets()
        .inNamespace(session.getMetadata().getNamespace())
        .withName(Names.sessionState(session.getMetadata().getName()))
        .get();
  }

  private static String annotation(Secret secret, String name) {
    return secret.getMetadata().getAnnotations() == null
        ? null
        : secret.getMetadata().getAnnotations().get(name);
  }

  private static int generation(Secret secret) {
    String value = annotation(secret, GENERATION_ANNOTATION);
    try {
      return value == null ? 1 : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private static Secret credentialsSecret(KubernetesClient client, AuthSession session) {
    if (session.getSpec().getCredentialsSecretRef() == null) {
      return null;
    }
    return secret(
        client,
        session.getMetadata().getNamespace(),
        session.getSpec().getCredentialsSecretRef().getName());
  }

  private static Secret secret(KubernetesClient client, String namespace, String name) {
    return client.secrets().inNamespace(namespace).withName(name).get();
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

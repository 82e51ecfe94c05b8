package dev.tessera.operator.job;

import dev.tessera.api.v1alpha1.Reason;
import dev.tessera.api.v1alpha1.SecretKeyReference;
import dev.tessera.api.v1alpha1.WebhookSink;
import dev.tessera.api.webhook.WebhookSigner;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A Job's webhook signing key, from the Secret key its {@code spec.sink.signingSecretRef} names.
 * {@link #read} is pure; messages name the Secret and key, never the value.
 */
public final class SigningSecrets {
  private SigningSecrets() {}

  /** Why the signing key cannot be used: a reason and a message for the user. */
  public record Problem(Reason reason, String message) {}

  /** The signer, or the problem that prevents one. */
  public record Key(WebhookSigner signer, Problem problem) {}

  /** The reference of a sink, or null when its deliveries are not signed. */
  public static SecretKeyReference reference(WebhookSink sink) {
    return sink == null ? null : sink.getSigningSecretRef();
  }

  /** Reads the Secret a sink names, or null when it names none or the Secret does not exist. */
  public static Secret fetch(KubernetesClient client, String namespace, WebhookSink sink) {
    SecretKeyReference ref = reference(sink);
    return ref == null
        ? null
        : client.secrets().inNamespace(namespace).withName(ref.getName()).get();
  }

  /**
   * The signing key of {@code ref} in {@code secret}.
   *
   * @param secret the Secret as read, or null when it does not exist
   */
  public static Key read(SecretKeyReference ref, Secret secret) {
    String key = ref.getKey() == null ? SecretKeyReference.DEFAULT_KEY : ref.getKey();
    String where = "key \"" + key + "\" of Secret \"" + ref.getName() + "\"";
    if (secret == null) {
      return problem(
          Reason.SigningSecretNotFound,
          "Secret \""
              + ref.getName()
              + "\" (spec.sink.signingSecretRef) does not exist in the Job's namespace; create it"
              + " with the key \""
              + key
              + "\" holding whsec_ followed by a random key in base64");
    }
    String value = value(secret, key);
    if (value == null || value.isBlank()) {
      return problem(
          Reason.SigningSecretNotFound,
          "Secret \""
              + ref.getName()
              + "\" (spec.sink.signingSecretRef) has no key \""
              + key
              + "\"; add it, holding whsec_ followed by a random key in base64");
    }
    try {
      return new Key(WebhookSigner.parseStrict(value), null);
    } catch (IllegalArgumentException e) {
      return problem(
          Reason.SigningSecretInvalid,
          where + " (spec.sink.signingSecretRef) is not a signing secret: " + e.getMessage());
    }
  }

  /** The problem of a sink's signing key, or null when it is usable or the sink signs nothing. */
  public static Problem problem(WebhookSink sink, Secret secret) {
    SecretKeyReference ref = reference(sink);
    return ref == null ? null : read(ref, secret).problem();
  }

  private static Key problem(Reason reason, String message) {
    return new Key(null, new Problem(reason, message));
  }

  private static String value(Secret secret, String key) {
    if (secret.getData() != null && secret.getData().get(key) != null) {
      try {
        return new String(
            Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return secret.getStringData() == null ? null : secret.getStringData().get(key);
  }
}

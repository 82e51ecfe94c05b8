package dev.tessera.operator.results;

import dev.tessera.operator.naming.Labels;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The operator's results key: 256 random bits in a Secret of the operator's namespace, made by the
 * first replica that starts and read by every other, so that any replica authenticates any report
 * token ({@link AttemptTokens}) without asking the API. Deleting the Secret rotates the key at the
 * next start; Attempts running then report with a token no replica accepts, and are retried.
 */
public final class ResultsKey {
  /** The key's entry in the Secret. */
  static final String KEY = "key";

  private ResultsKey() {}

  /** The key in {@code namespace/name}, made there first if there is none. */
  public static byte[] load(KubernetesClient client, String namespace, String name) {
    for (int tries = 0; ; tries++) {
      Secret existing = client.secrets().inNamespace(namespace).withName(name).get();
      if (existing != null && existing.getData() != null && existing.getData().get(KEY) != null) {
        return Base64.getDecoder().decode(existing.getData().get(KEY));
      }
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      Secret secret =
          new SecretBuilder()
              .withNewMetadata()
              .withName(name)
              .withNamespace(namespace)
              .addToLabels(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
              .endMetadata()
              .addToData(KEY, Base64.getEncoder().encodeToString(key))
              .build();
      try {
        client.secrets().inNamespace(namespace).resource(secret).create();
        return key;
      } catch (KubernetesClientException e) {
        // another replica made it first (409): read theirs
        if (e.getCode() != 409 || tries >= 2) {
          throw e;
        }
      }
    }
  }
}

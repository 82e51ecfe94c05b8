package dev.tessera.operator.results;

import dev.tessera.api.protocol.AttemptResult;
import dev.tessera.api.protocol.ProtocolJson;
import dev.tessera.operator.naming.Labels;
import dev.tessera.operator.naming.Names;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an Attempt's Pod reported, kept in a Secret owned by the Run until the reconciler has
 * applied it: results may hold user data, and later a browser state, so they never sit in a
 * ConfigMap. Creating the Secret is also what makes a token single-use.
 */
public final class ResultSecrets {
  public static final String RESULT_KEY = "result.json";
  private static final Logger LOG = LoggerFactory.getLogger(ResultSecrets.class);

  private ResultSecrets() {}

  /** The result Secret of an Attempt, beside its input Secret and with the same owners. */
  public static Secret of(Secret input, String pod, byte[] resultJson) {
    Map<String, String> labels = new HashMap<>(input.getMetadata().getLabels());
    labels.put(Labels.COMPONENT, Labels.ATTEMPT_RESULT);
    return new SecretBuilder()
        .withNewMetadata()
        .withName(Names.attemptResult(pod))
        .withNamespace(input.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(input.getMetadata().getOwnerReferences())
        .endMetadata()
        .withType("Opaque")
        .withImmutable(true)
        .withData(Map.of(RESULT_KEY, Base64.getEncoder().encodeToString(resultJson)))
        .build();
  }

  /** The result a Secret holds, or null when it cannot be read (then the Pod's end decides). */
  public static AttemptResult read(Secret secret) {
    String data = secret.getData() == null ? null : secret.getData().get(RESULT_KEY);
    if (data == null) {
      return null;
    }
    try {
      return ProtocolJson.readResult(Base64.getDecoder().decode(data));
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn(
          "result secret {} cannot be read: {}", secret.getMetadata().getName(), e.getMessage());
      return null;
    }
  }
}

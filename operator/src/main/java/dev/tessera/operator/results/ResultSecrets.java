package dev.tessera.operator.results;

import dev.tessera.api.protocol.AttemptResult;
import dev.tessera.api.protocol.ProtocolJson;
import dev.tessera.operator.naming.Labels;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an Attempt's Pod reported, kept in the Attempt's own Secret ({@code <pod>-in}): the report
 * replaces the Secret's input and token in one update, made with the version the token was read at.
 * So the browser state the input carried is gone once the Attempt has reported, the token can be
 * used once (a second report finds none, a concurrent one conflicts), and results, which may hold
 * user data, never sit in a ConfigMap. The Secret then goes with its Run.
 */
public final class ResultSecrets {
  public static final String RESULT_KEY = "result.json";
  private static final Logger LOG = LoggerFactory.getLogger(ResultSecrets.class);

  private ResultSecrets() {}

  /**
   * The Attempt's input Secret with its data replaced by the report: the same name, owners and
   * version (so that the update fails if anything wrote it since), labelled as a report, and
   * immutable from then on.
   */
  public static Secret reported(Secret input, byte[] resultJson) {
    Map<String, String> labels = new HashMap<>(input.getMetadata().getLabels());
    labels.put(Labels.COMPONENT, Labels.ATTEMPT_RESULT);
    return new SecretBuilder()
        .withNewMetadata()
        .withName(input.getMetadata().getName())
        .withNamespace(input.getMetadata().getNamespace())
        .withResourceVersion(input.getMetadata().getResourceVersion())
        .withLabels(labels)
        .withOwnerReferences(input.getMetadata().getOwnerReferences())
        .endMetadata()
        .withType("Opaque")
        .withImmutable(true)
        .withData(Map.of(RESULT_KEY, Base64.getEncoder().encodeToString(resultJson)))
        .build();
  }

  /** Whether an Attempt's Secret holds a report (and so neither input nor token any more). */
  public static boolean holdsReport(Secret secret) {
    return secret.getData() != null && secret.getData().containsKey(RESULT_KEY);
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

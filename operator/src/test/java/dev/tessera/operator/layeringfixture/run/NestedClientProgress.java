package dev.tessera.operator.layeringfixture.run;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Fixture of {@code LayeringTest}: a decision class whose nested input carries the client (a
 * violation of the nested class).
 */
public final class NestedClientProgress {
  private NestedClientProgress() {}

  public record Input(KubernetesClient client, String namespace) {}

  public static String decide(Input in) {
    return in.namespace();
  }
}

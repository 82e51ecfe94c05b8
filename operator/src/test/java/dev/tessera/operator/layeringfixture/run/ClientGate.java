package dev.tessera.operator.layeringfixture.run;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Fixture of {@code LayeringTest}: a decision class that reads the cluster itself (a violation).
 */
public final class ClientGate {
  private ClientGate() {}

  public static boolean open(KubernetesClient client, String namespace) {
    return client.pods().inNamespace(namespace).list().getItems().isEmpty();
  }
}

package dev.tessera.operator;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The operator as shipped, started against fabric8's mock API server (CRUD mode) with the committed
 * CRDs registered first, without leader election, its endpoints on free loopback ports.
 */
public final class MockCluster implements AutoCloseable {
  private final KubernetesClient operatorClient;
  private final TesseraOperator operator;

  private MockCluster(KubernetesClient operatorClient, TesseraOperator operator) {
    this.operatorClient = operatorClient;
    this.operator = operator;
  }

  /** Registers the CRDs through {@code client} and starts the operator with its own client. */
  public static MockCluster start(KubernetesClient client) throws IOException {
    Logger.getLogger("io.fabric8.mockwebserver").setLevel(Level.WARNING);
    Path crds = Path.of("").toAbsolutePath().getParent().resolve("crds");
    try (var files = Files.list(crds)) {
      for (Path file : files.toList()) {
        CustomResourceDefinition crd =
            new YAMLMapper().readValue(file.toFile(), CustomResourceDefinition.class);
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      }
    }
    Map<String, String> env =
        Map.of(
            "TESSERA_LEADER_ELECTION", "false",
            "TESSERA_OPS_HOST", "127.0.0.1",
            "TESSERA_OPS_PORT", "0",
            "TESSERA_RESULTS_HOST", "127.0.0.1",
            "TESSERA_RESULTS_PORT", "0");
    KubernetesClient operatorClient =
        TesseraOperator.client(new ConfigBuilder(client.getConfiguration()).build());
    try {
      return new MockCluster(
          operatorClient,
          TesseraOperator.start(
              operatorClient,
              OperatorConfig.fromEnv(env).withResultsUrl(null),
              Clock.systemUTC(),
              false));
    } catch (IOException | RuntimeException e) {
      operatorClient.close();
      throw e;
    }
  }

  public TesseraOperator operator() {
    return operator;
  }

  /** Creates an object from YAML through {@code client}. */
  public static <T extends HasMetadata> T create(
      KubernetesClient client, String yaml, Class<T> type) {
    return client.resource(TestYaml.read(yaml, type)).create();
  }

  @Override
  public void close() {
    try {
      operator.close();
    } finally {
      operatorClient.close();
    }
  }
}

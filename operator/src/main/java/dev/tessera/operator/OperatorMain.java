package dev.tessera.operator;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * The operator process in a cluster: configuration from the environment, JSON logs, graceful stop.
 */
public final class OperatorMain {
  private OperatorMain() {}

  public static void main(String[] args) throws Exception {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "tessera-operator-logback.xml");
    }
    OperatorConfig config = OperatorConfig.fromEnv(System.getenv());
    KubernetesClient client = TesseraOperator.client(Config.autoConfigure(null));
    TesseraOperator operator;
    try {
      operator = TesseraOperator.start(client, config, Clock.systemUTC(), true);
    } catch (RuntimeException e) {
      // Exit, so that the Pod restarts with a back-off and shows the reason in its log.
      LoggerFactory.getLogger(OperatorMain.class).error("the operator could not start", e);
      client.close();
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  operator.close();
                  client.close();
                  stopped.countDown();
                },
                "tessera-shutdown"));
    stopped.await();
  }
}

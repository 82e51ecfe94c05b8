package dev.tessera.operator;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator process in a cluster: configuration from the environment, JSON or text logs ({@link
 * LogFormat}), a stop that ends in bounded time, and an exit when the controllers can no longer
 * work (see {@link ProcessExit}).
 */
public final class OperatorMain {
  private OperatorMain() {}

  public static void main(String[] args) throws Exception {
    CommonPool.size();
    LogFormat format;
    try {
      format = LogFormat.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(
          "the operator could not start: " + LogFormat.VARIABLE + ": " + e.getMessage());
      System.exit(1);
      return;
    }
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", format.operatorConfiguration());
    }
    // not a static field: the first logger configures logging, which must see the property above
    Logger log = LoggerFactory.getLogger(OperatorMain.class);
    OperatorConfig config = OperatorConfig.fromEnv(System.getenv());
    KubernetesClient client = TesseraOperator.client(Config.autoConfigure(null));
    TesseraOperator operator;
    try {
      operator = TesseraOperator.start(client, config, Clock.systemUTC(), true);
    } catch (RuntimeException e) {
      // Exit, so that the Pod restarts with a back-off and shows the reason in its log.
      log.error("the operator could not start", e);
      client.close();
      System.exit(1);
      return;
    }
    // An Error no one caught (a StackOverflowError in a reconciler, a LinkageError) leaves the
    // thread that met it dead and the process in an unknown state: start again from scratch.
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, error) -> {
          if (error instanceof Error) {
            log.error("fatal error in thread {}", thread.getName(), error);
            ProcessExit.exit(ProcessExit.FATAL, "fatal error in thread " + thread.getName());
          } else {
            log.error("uncaught exception in thread {}", thread.getName(), error);
          }
        });
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            ProcessExit.shutdownHook(
                () -> {
                  operator.close();
                  client.close();
                  stopped.countDown();
                }));
    stopped.await();
  }
}

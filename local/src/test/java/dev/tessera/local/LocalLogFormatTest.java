package dev.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.operator.LogFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@code tessera-local --log-format json|text}: plain lines by default, JSON lines on request. */
class LocalLogFormatTest {
  @AfterEach
  void restoreTheTestLogging() throws Exception {
    System.clearProperty(ClassicConstants.CONFIG_FILE_PROPERTY);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    new ContextInitializer(context).autoConfig();
  }

  private static String captured(PrintStreamAction action) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = System.out;
    PrintStream err = System.err;
    PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    try {
      action.run();
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private interface PrintStreamAction {
    void run() throws Exception;
  }

  @Test
  void theUsageOffersBothFormatsWithTextTheDefault() {
    assertThat(LocalMain.USAGE)
        .contains("[--log-format json|text]")
        .containsPattern("--log-format json\\|text +.*\\(default text\\)");
  }

  @Test
  void anUnknownFormatIsRefusedBeforeAnythingStarts() throws Exception {
    int[] status = new int[1];
    String output =
        captured(() -> status[0] = LocalMain.run(new String[] {"--log-format", "yaml"}));

    assertThat(status[0]).isEqualTo(2);
    assertThat(output)
        .startsWith("the log format is json or text, not \"yaml\"")
        .contains("usage:");
  }

  @Test
  void withJsonEveryLogLineIsAJsonObject() throws Exception {
    LogFormat.configure(LocalMain.JSON_LOGS);
    String output =
        captured(
            () -> {
              LoggerFactory.getLogger("dev.tessera.local.cluster.LocalExecutor")
                  .info("pod {} started", "catalog-page-2-a1");
              // local mode keeps the libraries at WARN, in either format
              LoggerFactory.getLogger("io.fabric8.kubernetes.client.Watcher").info("dropped");
            });

    List<String> lines = output.lines().toList();
    assertThat(lines).hasSize(1);
    JsonNode line = new ObjectMapper().readTree(lines.get(0));
    assertThat(line.path("level").asText()).isEqualTo("INFO");
    assertThat(line.path("loggerName").asText())
        .isEqualTo("dev.tessera.local.cluster.LocalExecutor");
    assertThat(line.path("formattedMessage").asText()).isEqualTo("pod catalog-page-2-a1 started");
  }

  @Test
  void withoutTheOptionLocalModeLogsPlainLines() throws Exception {
    // the configuration local mode starts with when no --log-format json is given
    LogFormat.configure("logback.xml");
    String output =
        captured(
            () ->
                LoggerFactory.getLogger("dev.tessera.local.cluster.LocalExecutor")
                    .info("pod {} started", "catalog-page-2-a1"));

    assertThat(output.lines().toList())
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .matches(
                        "\\d\\d:\\d\\d:\\d\\d INFO  LocalExecutor - pod catalog-page-2-a1 started"));
  }
}

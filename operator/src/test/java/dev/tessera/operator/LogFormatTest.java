package dev.tessera.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class LogFormatTest {
  @AfterEach
  void restoreTheTestLogging() throws Exception {
    System.clearProperty(ClassicConstants.CONFIG_FILE_PROPERTY);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    new ContextInitializer(context).autoConfig();
  }

  /** What the operator's configuration for {@code format} writes for one line of a Run. */
  static List<String> linesLogged(String configuration) {
    LogFormat.configure(configuration);
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      MDC.put("run", "team-a/catalog-page-2");
      LoggerFactory.getLogger("dev.tessera.operator.run.RunReconciler")
          .info("attempt {} started in pod {}", 1, "catalog-page-2-a1");
      LoggerFactory.getLogger("io.fabric8.kubernetes.client.Watcher").info("below WARN: dropped");
    } finally {
      MDC.remove("run");
      System.setOut(out);
    }
    return captured.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void jsonIsTheDefaultAndTextIsAskedFor() {
    assertThat(LogFormat.fromEnv(Map.of())).isEqualTo(LogFormat.JSON);
    assertThat(LogFormat.fromEnv(Map.of(LogFormat.VARIABLE, ""))).isEqualTo(LogFormat.JSON);
    assertThat(LogFormat.fromEnv(Map.of(LogFormat.VARIABLE, "json"))).isEqualTo(LogFormat.JSON);
    assertThat(LogFormat.fromEnv(Map.of(LogFormat.VARIABLE, "text"))).isEqualTo(LogFormat.TEXT);
    assertThat(LogFormat.parse("TEXT")).isEqualTo(LogFormat.TEXT);
    assertThat(LogFormat.TEXT).hasToString("text");
    assertThatThrownBy(() -> LogFormat.fromEnv(Map.of(LogFormat.VARIABLE, "yaml")))
        .hasMessage("the log format is json or text, not \"yaml\"");
  }

  @Test
  void theJsonFormatWritesOneObjectPerLineWithTheRun() throws Exception {
    List<String> lines = linesLogged(LogFormat.JSON.operatorConfiguration());

    assertThat(lines).hasSize(1);
    JsonNode line = new ObjectMapper().readTree(lines.get(0));
    assertThat(line.path("level").asText()).isEqualTo("INFO");
    assertThat(line.path("loggerName").asText())
        .isEqualTo("dev.tessera.operator.run.RunReconciler");
    assertThat(line.path("mdc").path("run").asText()).isEqualTo("team-a/catalog-page-2");
    assertThat(line.path("formattedMessage").asText())
        .isEqualTo("attempt 1 started in pod catalog-page-2-a1");
    assertThat(line.path("timestamp").isNumber()).isTrue();
  }

  @Test
  void theTextFormatWritesPlainLinesAtTheSameLevels() {
    List<String> lines = linesLogged(LogFormat.TEXT.operatorConfiguration());

    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .doesNotStartWith("{")
        .matches(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  \\[team-a/catalog-page-2\\]"
                + " RunReconciler - attempt 1 started in pod catalog-page-2-a1");
  }
}

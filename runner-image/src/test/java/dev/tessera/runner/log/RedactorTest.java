package dev.tessera.runner.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {
  @Test
  void secretsAreMaskedLongestFirst() {
    Redactor redactor = Redactor.of(List.of("wonder", "wonderland"));

    assertThat(redactor.redact("user alice typed wonderland, wonder why"))
        .isEqualTo("user alice typed ***, *** why");
  }

  @Test
  void nullsAndTinyValuesAreIgnored() {
    Redactor redactor = Redactor.of(Arrays.asList(null, "", "ab"));

    assertThat(redactor.redact("about ab")).isEqualTo("about ab");
    assertThat(redactor.redact(null)).isNull();
  }

  @Test
  void theLogMasksEveryLineAndKeepsItOnOneLine() {
    var out = new ByteArrayOutputStream();
    RunnerLog log =
        new RunnerLog(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            ProcessClock.startedAt(Instant.EPOCH, () -> Instant.ofEpochMilli(42)));
    log.redactWith(Redactor.of(List.of("s3cr3t")));

    log.info("failed: %s", "token s3cr3t\nnext line");

    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo("[tessera-runner +42ms] failed: token *** next line" + System.lineSeparator());
  }
}

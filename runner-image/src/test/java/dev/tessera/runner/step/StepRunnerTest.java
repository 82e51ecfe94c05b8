package dev.tessera.runner.step;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StepRunnerTest {
  @Test
  void aResponseBodyIsJsonWhenItParsesAndTextOtherwise() {
    assertThat(StepRunner.body("{\"a\":1}".getBytes(StandardCharsets.UTF_8)).path("a").asInt())
        .isEqualTo(1);
    assertThat(StepRunner.body("[1,2]".getBytes(StandardCharsets.UTF_8)).size()).isEqualTo(2);
    assertThat(StepRunner.body("<html>".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(TextNode.valueOf("<html>"));
    assertThat(StepRunner.body(new byte[0])).isEqualTo(TextNode.valueOf(""));
  }
}

package dev.tessera.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventRecorderTest {
  @Test
  void aMessageThatFitsIsKeptAsItIs() {
    assertThat(EventRecorder.shorten("Attempt 1 succeeded", 1024)).isEqualTo("Attempt 1 succeeded");
  }

  @Test
  void aLongMessageIsCutAtAWordAndEndsWithAnEllipsisWithinTheLimit() {
    String message = "word ".repeat(300) + "end";
    String shortened = EventRecorder.shorten(message, EventRecorder.MAX_MESSAGE_BYTES);
    assertThat(shortened.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024);
    assertThat(shortened).endsWith("word\u2026").doesNotContain("end");
  }

  @Test
  void theLimitCountsBytesNotCharacters() {
    String message = "é".repeat(20) + " " + "é".repeat(20);
    String shortened = EventRecorder.shorten(message, 30);
    assertThat(shortened.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(30);
    assertThat(shortened).isEqualTo("é".repeat(13) + "\u2026");
  }
}

package dev.tessera.operator.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadSinceVersionTest {
  private final ReadSinceVersion<String> reads = new ReadSinceVersion<>();
  private final AtomicInteger calls = new AtomicInteger();

  private String get(String cached, String found, String version) {
    return reads.get(
        "ns/s",
        cached,
        () -> {
          calls.incrementAndGet();
          return new ReadSinceVersion.Read<>(found, version);
        });
  }

  @Test
  void theApiIsReadAgainOnlyWhenTheCacheShowsAnotherVersion() {
    assertThat(get("7", "a", "7")).isEqualTo("a");
    assertThat(get("7", "not read", "7")).isEqualTo("a");
    assertThat(calls).hasValue(1);
    // the cache saw a change: read again
    assertThat(get("8", "b", "8")).isEqualTo("b");
    assertThat(calls).hasValue(2);
    // the cache is behind what was read: read again, until it shows the version read
    assertThat(get("7", "b", "8")).isEqualTo("b");
    assertThat(get("8", "not read", "8")).isEqualTo("b");
    assertThat(calls).hasValue(3);
  }

  @Test
  void anObjectThatIsNotThereIsNotReadAgainUntilTheCacheShowsIt() {
    assertThat(get(null, null, null)).isNull();
    assertThat(get(null, "not read", null)).isNull();
    assertThat(calls).hasValue(1);
    assertThat(get("1", "made", "1")).isEqualTo("made");
    assertThat(calls).hasValue(2);
  }

  @Test
  void whatIsNotRetainedIsReadAgain() {
    get("3", "a", "3");
    reads.retain(key -> !key.equals("ns/s"));
    assertThat(get("3", "again", "3")).isEqualTo("again");
    reads.retain(key -> key.equals("ns/s"));
    assertThat(get("3", "not read", "3")).isEqualTo("again");
    assertThat(calls).hasValue(2);
  }

  @Test
  void aWriteForgetsTheRead() {
    get("3", "a", "3");
    reads.forget("ns/s");
    // the cache may not have seen the write yet: read
    assertThat(get("3", "after the write", "4")).isEqualTo("after the write");
    assertThat(calls).hasValue(2);
  }
}

package dev.tessera.runner.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class StoredOriginsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theContextGetsTheCookiesAndTheSessionKeepsTheOrigins() throws Exception {
    JsonNode state =
        JSON.readTree(
            "{\"cookies\":[{\"name\":\"s\",\"value\":\"1\"}],"
                + "\"origins\":[{\"origin\":\"http://a\",\"localStorage\":"
                + "[{\"name\":\"t\",\"value\":\"2\"}]},"
                + "{\"origin\":\"http://b\",\"localStorage\":[]}]}");

    assertThat(StoredOrigins.cookiesOnly(state))
        .isEqualTo(
            JSON.readTree("{\"cookies\":[{\"name\":\"s\",\"value\":\"1\"}],\"origins\":[]}"));
    assertThat(StoredOrigins.of(state).isEmpty()).isFalse();
    assertThat(state.path("origins")).hasSize(2);
  }

  @Test
  void aStateWithoutLocalStorageHasNothingToRestore() throws Exception {
    assertThat(StoredOrigins.of(null).isEmpty()).isTrue();
    assertThat(StoredOrigins.of(JSON.readTree("{\"cookies\":[]}")).isEmpty()).isTrue();
    assertThat(StoredOrigins.cookiesOnly(null)).isNull();
  }
}

package dev.tessera.operator.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SessionSecretsTest {
  private static Secret stateSecret(String data) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName("s-state")
        .addToAnnotations(SessionSecrets.GENERATION_ANNOTATION, "4")
        .addToAnnotations(SessionSecrets.CREATED_BY_ANNOTATION, "s-validate-2")
        .endMetadata()
        .addToData(
            SessionSecrets.STATE_KEY,
            Base64.getEncoder().encodeToString(data.getBytes(StandardCharsets.UTF_8)))
        .build();
  }

  @Test
  void whatTheSessionControllerKeepsOfAStateHoldsNoBrowserState() {
    SessionSecrets.State read = SessionSecrets.state(stateSecret("{\"cookies\":[]}"));
    assertThat(read.storageState()).isNotNull();
    SessionSecrets.State kept = read.withoutBrowserState();
    assertThat(kept.storageState()).isNull();
    assertThat(kept.generation()).isEqualTo(4);
    assertThat(kept.createdBy()).isEqualTo("s-validate-2");
    assertThat(kept.unreadable()).isFalse();
  }

  @Test
  void anUnreadableStateStaysUnreadableWithoutItsData() {
    SessionSecrets.State kept =
        SessionSecrets.state(stateSecret("not json at all")).withoutBrowserState();
    assertThat(kept.unreadable()).isTrue();
    assertThat(kept.generation()).isEqualTo(4);
  }
}

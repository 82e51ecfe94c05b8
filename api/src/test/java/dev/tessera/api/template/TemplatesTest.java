package dev.tessera.api.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplatesTest {
  private final Templates templates =
      new Templates(
          new ObjectMapper().createObjectNode().put("page", 2),
          Map.of("password", "hunter22"),
          Clock.systemUTC());

  @Test
  void credentialKeysAreTheKeysATemplateReads() {
    assertThat(
            Templates.credentialKeys(
                "$(credentials.username):$(totp(credentials.seed)) $(params.page) $$(credentials.x)"))
        .containsExactly("seed", "username");
    assertThat(Templates.credentialKeys("$(params.page)")).isEmpty();
    assertThat(Templates.credentialKeys(null)).isEmpty();
    assertThat(Templates.readsCredentials("pw=$(credentials.password)")).isTrue();
    assertThat(Templates.readsCredentials("/invoices?page=$(params.page)")).isFalse();
  }

  @Test
  void referencesRenderAndAMissingCredentialIsNamedNotShown() {
    assertThat(templates.render("/invoices?page=$(params.page)")).isEqualTo("/invoices?page=2");
    assertThat(templates.render("$(credentials.password)")).isEqualTo("hunter22");
    assertThatThrownBy(() -> templates.render("$(credentials.username)"))
        .hasMessageContaining("$(credentials.username)")
        .hasMessageNotContaining("hunter22");
  }
}

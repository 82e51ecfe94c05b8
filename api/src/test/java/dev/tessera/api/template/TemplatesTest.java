package dev.tessera.api.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

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

  /** A browser state with one localStorage entry at one origin and one cookie. */
  private static final Templates.BrowserState STATE =
      new Templates.BrowserState() {
        @Override
        public String localStorage(String origin, String key) {
          return origin.equals("http://127.0.0.1:8088") && key.equals("demo_token")
              ? "tok-123"
              : null;
        }

        @Override
        public String cookie(String url, String name) {
          return url.startsWith("http://127.0.0.1:8088/") && name.equals("demo_session")
              ? "cookie-456"
              : null;
        }
      };

  @Test
  void aRequestReadsTheLocalStorageAndCookiesOfItsOwnOrigin() {
    Templates.RequestTemplates request =
        templates
            .withBrowserState(STATE)
            .request("http://127.0.0.1:8088/api/reports?t=$(localStorage.demo_token)");
    assertThat(request.url()).isEqualTo("http://127.0.0.1:8088/api/reports?t=tok-123");
    assertThat(request.templates().render("Bearer $(localStorage.demo_token)"))
        .isEqualTo("Bearer tok-123");
    assertThat(request.templates().render("s=$(cookies.demo_session)")).isEqualTo("s=cookie-456");
  }

  @Test
  void aMissingStateValueIsNamedNotShownAndOnlyARequestReadsTheState() {
    Templates.RequestTemplates other =
        templates.withBrowserState(STATE).request("http://127.0.0.1:9999/api/reports");
    assertThatThrownBy(() -> other.templates().render("Bearer $(localStorage.demo_token)"))
        .hasMessageContaining("$(localStorage.demo_token)")
        .hasMessageContaining("http://127.0.0.1:9999");
    assertThatThrownBy(() -> templates.withBrowserState(STATE).render("$(localStorage.demo_token)"))
        .hasMessageContaining("only a request step");
    assertThatThrownBy(
            () -> templates.withBrowserState(STATE).request("http://$(localStorage.demo_token)/x"))
        .hasMessageContaining("path or query");
  }

  @Test
  void displayKeepsSecretReferencesAsWritten() {
    assertThat(
            templates.display(
                "/x?page=$(params.page)&pw=$(credentials.password)&t=$(localStorage.demo_token)"))
        .isEqualTo("/x?page=2&pw=$(credentials.password)&t=$(localStorage.demo_token)");
  }

  @Test
  void eachReferenceIsCheckedWithoutRendering() {
    assertThat(Templates.references("$(params.a.b) $(totp(credentials.seed)) $(cookies.sid)"))
        .extracting(Templates.Reference::kind, Templates.Reference::key)
        .containsExactly(
            tuple(Templates.Kind.PARAM, "a.b"),
            tuple(Templates.Kind.TOTP, "seed"),
            tuple(Templates.Kind.COOKIE, "sid"));
    assertThat(Templates.problem("Bearer $(localStorage.token)", true)).isEmpty();
    assertThat(Templates.problem("Bearer $(localStorage.token)", false))
        .get()
        .asString()
        .contains("$(localStorage.token)", "request step");
    assertThat(Templates.problem("$(secrets.token)", true))
        .get()
        .asString()
        .contains("unknown reference $(secrets.token)", Templates.FORMS);
    assertThat(Templates.problem("$(sessionStorage.token)", true))
        .get()
        .asString()
        .contains("not sessionStorage");
    assertThat(Templates.problem("$(totp(params.seed))", false))
        .get()
        .asString()
        .contains("totp takes a credential");
    assertThat(Templates.problem("a $(params.x b", false))
        .get()
        .asString()
        .contains("malformed reference");
    assertThat(Templates.problem("a $$(params.x) b", false)).isEmpty();
    assertThat(templates.render("a $$(params.x) b")).isEqualTo("a $(params.x) b");
  }
}

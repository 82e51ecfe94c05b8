package dev.tessera.api.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StepUrlsTest {
  @Test
  void onlyHttpHttpsAndAboutBlankAreAllowed() {
    assertThat(StepUrls.problem("https://example.test/x")).isEmpty();
    assertThat(StepUrls.problem("HTTP://example.test")).isEmpty();
    assertThat(StepUrls.problem("about:blank")).isEmpty();
    assertThat(StepUrls.problem("file:///etc/passwd"))
        .contains("only http and https URLs are allowed, not \"file:\"");
    assertThat(StepUrls.problem("about:config"))
        .contains("only http and https URLs are allowed, not \"about:\"");
    assertThat(StepUrls.problem("/relative"))
        .contains("only absolute http and https URLs are allowed");
  }

  @Test
  void theSchemeIsReadAsABrowserReadsIt() {
    assertThat(StepUrls.problem(" \u0001java\tscr\nipt:alert(1)"))
        .contains("only http and https URLs are allowed, not \"javascript:\"");
    assertThat(StepUrls.problem("FILE:/etc/passwd"))
        .contains("only http and https URLs are allowed, not \"file:\"");
  }

  @Test
  void aTemplateIsJudgedOnItsLiteralStart() {
    assertThat(StepUrls.templateProblem("$(params.baseUrl)/x")).isEmpty();
    assertThat(StepUrls.templateProblem("https://$(params.host)/x")).isEmpty();
    assertThat(StepUrls.templateProblem("file$(params.rest)")).isEmpty();
    assertThat(StepUrls.templateProblem("file://$(params.path)"))
        .contains("only http and https URLs are allowed, not \"file:\"");
    assertThat(StepUrls.templateProblem(null)).isEmpty();
  }

  @Test
  void theReasonNamesTheSchemeOnly() {
    assertThat(StepUrls.problem("file:///var/run/secret"))
        .get()
        .asString()
        .doesNotContain("secret");
  }
}

package dev.tessera.operator.naming;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamesTest {
  @Test
  void shortNamesAreKeptReadable() {
    assertThat(Names.attemptPod("invoices", 3)).isEqualTo("invoices-a3");
    assertThat(Names.attemptInput("invoices-a3")).isEqualTo("invoices-a3-in");
  }

  @Test
  void longNamesFitSixtyThreeCharactersAndStayDistinctAndStable() {
    String a = "a".repeat(60) + "-one";
    String b = "a".repeat(60) + "-two";
    assertThat(Names.attemptPod(a, 12)).hasSizeLessThanOrEqualTo(63).endsWith("-a12");
    assertThat(Names.attemptPod(a, 12)).isNotEqualTo(Names.attemptPod(b, 12));
    assertThat(Names.attemptPod(a, 12)).isEqualTo(Names.attemptPod(a, 12));
    assertThat(Names.attemptResult(Names.attemptPod(a, 12))).hasSizeLessThanOrEqualTo(63);
  }
}

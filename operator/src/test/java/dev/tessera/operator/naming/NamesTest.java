package dev.tessera.operator.naming;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamesTest {
  @Test
  void shortNamesAreKeptReadable() {
    assertThat(Names.attemptPod("invoices", "7F3A2c1e-0b1d-4e5f", 3))
        .isEqualTo("invoices-d4e5f-a3");
    assertThat(Names.attemptInput("invoices-a3")).isEqualTo("invoices-a3-in");
  }

  @Test
  void aRunCreatedAgainUnderItsNameGetsOtherPods() {
    assertThat(Names.attemptPod("invoices", "0c1d2e3f-aaaa", 1))
        .isNotEqualTo(Names.attemptPod("invoices", "9f8e7d6c-aaaa", 1));
    assertThat(Names.attemptContinuationPod("invoices", "0c1d2e3f-aaaa", 1, 2))
        .isEqualTo("invoices-faaaa-a1-r2");
  }

  @Test
  void longNamesFitSixtyThreeCharactersAndStayDistinctAndStable() {
    String a = "a".repeat(60) + "-one";
    String b = "a".repeat(60) + "-two";
    assertThat(Names.attemptPod(a, "u-1", 12)).hasSizeLessThanOrEqualTo(63).endsWith("-a12");
    assertThat(Names.attemptPod(a, "u-1", 12)).isNotEqualTo(Names.attemptPod(b, "u-1", 12));
    assertThat(Names.attemptPod(a, "u-1", 12)).isEqualTo(Names.attemptPod(a, "u-1", 12));
    assertThat(Names.attemptInput(Names.attemptPod(a, "u-1", 12))).hasSizeLessThanOrEqualTo(63);
  }
}

package dev.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code tessera-local} command line, as far as it answers without starting anything. */
class LocalMainTest {

  @ParameterizedTest
  @ValueSource(strings = {"--help", "-h"})
  void tryHelpPrintsTheTryUsageAndSucceeds(String help) throws Exception {
    PrintStream out = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int status;
    try {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      status = LocalMain.run(new String[] {"try", help});
    } finally {
      System.setOut(out);
    }
    String usage = printed.toString(StandardCharsets.UTF_8);
    assertThat(status).isZero();
    assertThat(usage)
        .startsWith("usage: tessera-local try --project FILE --api NAME [options]")
        .contains("--credentials FILE", "--demo-site", "--repeat N", "--runner-jar FILE")
        .doesNotContain("image-check", "--kubeconfig");
  }

  @ParameterizedTest
  @ValueSource(strings = {"--help", "-h"})
  void tryHelpWinsOverOtherOptions(String help) throws Exception {
    PrintStream out = System.out;
    try {
      System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      assertThat(LocalMain.run(new String[] {"try", "--project", "p.yaml", help})).isZero();
    } finally {
      System.setOut(out);
    }
  }
}

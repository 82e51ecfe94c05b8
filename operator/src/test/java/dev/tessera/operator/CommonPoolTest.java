package dev.tessera.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class CommonPoolTest {
  @Test
  void aSmallMachineGetsFourThreadsAndALargeOneKeepsItsDefault() {
    Properties two = new Properties();
    CommonPool.size(two, 2);
    assertThat(two.getProperty(CommonPool.PROPERTY)).isEqualTo("4");

    Properties sixteen = new Properties();
    CommonPool.size(sixteen, 16);
    assertThat(sixteen.getProperty(CommonPool.PROPERTY)).isNull();
  }

  @Test
  void aSizeSomebodySetIsKept() {
    Properties set = new Properties();
    set.setProperty(CommonPool.PROPERTY, "1");
    CommonPool.size(set, 1);
    assertThat(set.getProperty(CommonPool.PROPERTY)).isEqualTo("1");
  }

  @Test
  void theOperatorsJvmUsesThePoolForAsynchronousSteps() {
    // the test JVM sizes the pool as the operator's main does (surefire's argLine)
    assertThat(java.util.concurrent.ForkJoinPool.getCommonPoolParallelism())
        .isGreaterThanOrEqualTo(2);
  }
}

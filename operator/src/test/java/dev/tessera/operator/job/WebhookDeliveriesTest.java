package dev.tessera.operator.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebhookDeliveriesTest {
  @Test
  void retriesStartAfterTenSecondsAndDoubleUpToTwoMinutes() {
    assertThat(WebhookDeliveries.backoff(1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(WebhookDeliveries.backoff(2)).isEqualTo(Duration.ofSeconds(20));
    assertThat(WebhookDeliveries.backoff(3)).isEqualTo(Duration.ofSeconds(40));
    assertThat(WebhookDeliveries.backoff(4)).isEqualTo(Duration.ofSeconds(80));
    assertThat(WebhookDeliveries.backoff(5)).isEqualTo(Duration.ofMinutes(2));
    assertThat(WebhookDeliveries.backoff(40)).isEqualTo(Duration.ofMinutes(2));
  }
}

package dev.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.local.chaos.ChaosReport;
import dev.tessera.local.chaos.ChaosRun;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The chaos run of scripts/chaos, short: 30 Runs while the leader operator is killed twice, the API
 * fails some of the operator's requests and the site expires its sessions. Whatever failed, every
 * Run ends, no Attempt runs twice, no session lock stays held, the site sees exactly the logins
 * needed, and the webhook receives each finished Run of the JobRun once.
 */
class ChaosShortIT {
  @Test
  void tesseraKeepsItsPromisesWhileTheLeaderIsKilledAndTheApiFails() throws Exception {
    ChaosReport report =
        ChaosRun.run(
            ChaosRun.Options.defaults(LocalCluster.ROOT, 30, 20_241_207L, System.out)
                .withMaxKills(2)
                .withPauses(
                    new ChaosRun.Range(Duration.ofSeconds(10), Duration.ofSeconds(20)),
                    new ChaosRun.Range(Duration.ofSeconds(15), Duration.ofSeconds(30))));

    assertThat(report.kills()).isEqualTo(2);
    assertThat(report.notFinished()).isEmpty();
    assertThat(report.ranTwice()).isEmpty();
    assertThat(report.leasesHeld()).isEmpty();
    report
        .logins()
        .forEach(
            (user, logins) ->
                assertThat(logins.succeeded()).as("logins of " + user).isEqualTo(logins.needed()));
    assertThat(report.lostDeliveries()).isEmpty();
    assertThat(report.doubledDeliveries()).isEmpty();
    assertThat(report.failures()).isEmpty();
  }
}

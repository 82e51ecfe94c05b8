package dev.tessera.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Pod process's record: written and read back, and it stops its processes and only them. */
class ProcessRecordTest {
  @TempDir Path temp;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killStarted() {
    for (Process process : started) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  @Test
  void aRecordReadsBackAsWritten() throws Exception {
    ProcessRecord record =
        new ProcessRecord(4242, 4242, "boot:123", temp.resolve("default/pod-1234"));
    record.write(temp.resolve("pod-uid"));

    assertThat(ProcessRecord.read(temp.resolve("pod-uid"))).contains(record);
    assertThat(ProcessRecord.read(temp.resolve("missing"))).isEmpty();
  }

  @Test
  void killingARecordKillsTheProcessItsGroupAndTheirChildren() throws Exception {
    Process process = start("sleep 60 & sleep 60 & echo started; wait");
    ProcessRecord record = ProcessRecord.of(process, temp);
    await().atMost(Duration.ofSeconds(5)).until(() -> process.descendants().count() == 2);
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());

    assertThat(record.pgid()).isEqualTo(process.pid());
    assertThat(record.processes()).containsExactlyInAnyOrderElementsOf(tree);
    record.kill(Duration.ofSeconds(5));

    assertThat(tree).noneMatch(ProcessHandle::isAlive);
  }

  @Test
  void childrenLeftInTheGroupAreFoundOnceTheProcessIsGone() throws Exception {
    Process process = start("sleep 60 & echo started; sleep 0.5");
    ProcessRecord record = ProcessRecord.of(process, temp);
    process.waitFor();
    List<ProcessHandle> orphans = ProcessGroups.members(process.pid());

    assertThat(orphans).hasSize(1);
    assertThat(record.processes()).containsExactlyElementsOf(orphans);
    record.kill(Duration.ofSeconds(5));
    assertThat(orphans).noneMatch(ProcessHandle::isAlive);
  }

  @Test
  void aProcessThatStartedAtAnotherTimeIsNotTheRecordedOne() throws Exception {
    Process process = start("sleep 60");
    ProcessRecord real = ProcessRecord.of(process, temp);
    ProcessRecord recycled =
        new ProcessRecord(real.pid(), real.pgid(), earlier(real.start()), temp);

    assertThat(recycled.processes()).isEmpty();
    recycled.kill(Duration.ofMillis(200));
    assertThat(process.isAlive()).isTrue();
  }

  @Test
  void startTimesCompareOnTheSameBootOnly() {
    assertThat(ProcessGroups.startedNoEarlier("b1:100", "b1:100")).isTrue();
    assertThat(ProcessGroups.startedNoEarlier("b1:101", "b1:100")).isTrue();
    assertThat(ProcessGroups.startedNoEarlier("b1:99", "b1:100")).isFalse();
    assertThat(ProcessGroups.startedNoEarlier("b2:500", "b1:100")).isFalse();
    assertThat(
            ProcessGroups.startedNoEarlier(
                "instant:2026-01-01T00:00:01Z", "instant:2026-01-01T00:00:00Z"))
        .isTrue();
    assertThat(ProcessGroups.startedNoEarlier("", "b1:100")).isFalse();
  }

  private Process start(String script) throws Exception {
    Process process =
        new ProcessBuilder(ProcessGroups.inOwnGroup(List.of("/bin/sh", "-c", script)))
            .redirectErrorStream(true)
            .redirectOutput(temp.resolve("out-" + started.size()).toFile())
            .start();
    started.add(process);
    Path out = temp.resolve("out-" + (started.size() - 1));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> !script.contains("echo started") || Files.readString(out).contains("started"));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> !process.isAlive() || ProcessGroups.groupOf(process.pid()) == process.pid());
    return process;
  }

  /** The same start time, one clock tick earlier. */
  private static String earlier(String start) {
    int colon = start.lastIndexOf(':');
    return start.substring(0, colon + 1) + (Long.parseLong(start.substring(colon + 1)) - 1);
  }
}

package dev.tessera.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record an executor keeps, and the cleaning up after one that died without closing. */
class ExecutorRecordTest {
  @TempDir Path temp;

  @Test
  void openingKillsTheRecordedProcessesAndRemovesTheDirectoriesLeftThere() throws Exception {
    Path state = temp.resolve("state");
    Path work = Files.createDirectory(temp.resolve(ExecutorRecord.WORK_DIRECTORY_PREFIX + "1"));
    Path podDirectory = Files.createDirectories(work.resolve("default/pod-a-1234"));
    Files.writeString(
        Files.createDirectories(podDirectory.resolve("volumes/input")).resolve("token"), "x");
    Process process =
        new ProcessBuilder(ProcessGroups.inOwnGroup(List.of("/bin/sh", "-c", "sleep 60"))).start();
    try {
      ProcessRecord left = ProcessRecord.of(process, podDirectory);
      left.write(podDirectory.resolve(PodDirectory.PROCESS));
      try (ExecutorRecord previous = ExecutorRecord.open(state)) {
        previous.recordWorkDirectory(work);
        previous.recordPod("uid-1", left);
      }
      // closed while the process lived: what it names stays recorded
      assertThat(Files.list(state).map(p -> p.getFileName().toString()))
          .contains("pod-uid-1", "work-directory");

      try (ExecutorRecord next = ExecutorRecord.open(state)) {
        assertThat(process.isAlive()).isFalse();
        assertThat(podDirectory).doesNotExist();
        assertThat(work).doesNotExist();
        assertThat(Files.list(state).map(p -> p.getFileName().toString())).containsExactly("lock");
      }
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void aRecordedWorkDirectoryIsRemovedOnlyWhenAnExecutorMadeIt() throws Exception {
    Path state = temp.resolve("state");
    Path elsewhere = Files.createDirectory(temp.resolve("important"));
    try (ExecutorRecord previous = ExecutorRecord.open(state)) {
      previous.recordWorkDirectory(elsewhere);
    }
    ExecutorRecord.open(state).close();

    assertThat(elsewhere).isDirectory();
  }

  @Test
  void aStateDirectoryInUseCannotBeOpenedAgain() throws Exception {
    Path state = temp.resolve("state");
    try (ExecutorRecord first = ExecutorRecord.open(state)) {
      assertThatThrownBy(() -> ExecutorRecord.open(state))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("another local executor")
          .hasMessageContaining(Long.toString(ProcessHandle.current().pid()));
    }
    ExecutorRecord.open(state).close();
  }
}

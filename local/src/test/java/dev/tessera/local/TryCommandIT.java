package dev.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code tessera-local try} leaves nothing on disk: its folder of captured states and reports goes
 * when it ends, and a folder that a killed {@code try} left is removed by the next one.
 */
class TryCommandIT {
  private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));

  private static List<Path> tryFolders() throws IOException {
    try (Stream<Path> files = Files.list(TMP)) {
      return files
          .filter(f -> f.getFileName().toString().startsWith(LocalMain.TRY_FOLDER_PREFIX))
          .toList();
    }
  }

  /** A pid that no process has now. */
  private static long deadPid() {
    long pid = 4_000_000;
    while (ProcessHandle.of(pid).isPresent()) {
      pid--;
    }
    return pid;
  }

  @Test
  void aTryRemovesItsFolderWhenItEndsAndTheFoldersOfAKilledOne() throws Exception {
    // what a try killed with SIGKILL leaves: a state with a bearer token in its folder
    Path left =
        Files.createDirectory(TMP.resolve(LocalMain.TRY_FOLDER_PREFIX + deadPid() + "-killed"));
    Files.writeString(left.resolve("state.json"), "{\"cookies\": [{\"value\": \"secret\"}]}");
    Path root = LocalCluster.ROOT;
    int status =
        LocalMain.run(
            new String[] {
              "try",
              "--project",
              root.resolve("examples/demo/project.yaml").toString(),
              "--api",
              "invoices",
              "--params",
              "{\"page\": 1}",
              "--credentials",
              root.resolve("examples/demo/credentials-secret.yaml").toString(),
              "--demo-site",
              "--port",
              "0",
              "--runner-jar",
              root.resolve(RunnerProcess.DEFAULT_JAR).toString()
            });
    assertThat(status).isZero();
    assertThat(left).doesNotExist();
    String mine = LocalMain.TRY_FOLDER_PREFIX + ProcessHandle.current().pid() + "-";
    assertThat(tryFolders()).noneMatch(f -> f.getFileName().toString().startsWith(mine));
  }
}

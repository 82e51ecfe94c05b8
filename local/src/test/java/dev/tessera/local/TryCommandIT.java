package dev.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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

  @Test
  void aFailingApiLeavesWhatTheBrowserSawInTheFolderTryNames() throws Exception {
    Path artifacts = Files.createTempDirectory("try-artifacts");
    Path root = LocalCluster.ROOT;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    int status;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      status =
          LocalMain.run(
              new String[] {
                "try",
                "--project",
                root.resolve("examples/catalog/project.yaml").toString(),
                "--api",
                "missing-button",
                "--demo-site",
                "--port",
                "0",
                "--artifacts",
                artifacts.toString(),
                "--runner-jar",
                root.resolve(RunnerProcess.DEFAULT_JAR).toString()
              });
    } finally {
      System.setOut(stdout);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(status).as(printed).isEqualTo(1);
    Path folder = artifacts.resolve("missing-button-1");
    assertThat(printed).contains(folder.toString(), "npx playwright show-trace");
    assertThat(folder.resolve("trace.zip")).isNotEmptyFile();
    assertThat(folder.resolve("screenshot.png")).isNotEmptyFile();
    assertThat(Files.readString(folder.resolve("page.html"))).contains("id=\"products\"");
  }
}

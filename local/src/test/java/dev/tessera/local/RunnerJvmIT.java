package dev.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Local mode starts runners as the image does: its JVM options and a class-data archive, recorded
 * once per runner jar and Java.
 */
class RunnerJvmIT {
  @Test
  void runnersStartWithTheImagesOptionsAndAnArchiveRecordedOnce() throws Exception {
    Path root = LocalCluster.ROOT;
    Path jar = root.resolve(RunnerProcess.DEFAULT_JAR);
    String java = LocalMode.javaExecutable();
    Map<String, String> env =
        PlaywrightDriver.extractedFor(jar, java)
            .map(dir -> Map.of("PLAYWRIGHT_DRIVER_DIR", dir.toString()))
            .orElse(Map.of());

    List<String> command = RunnerJvm.command(java, jar, root, env);

    assertThat(command).containsAll(RunnerJvm.IMAGE_OPTIONS);
    assertThat(command.subList(command.size() - 2, command.size()))
        .containsExactly("-jar", jar.toAbsolutePath().toString());
    String archiveOption =
        command.stream()
            .filter(o -> o.startsWith("-XX:SharedArchiveFile="))
            .findFirst()
            .orElseThrow();
    Path archive = Path.of(archiveOption.substring("-XX:SharedArchiveFile=".length()));
    assertThat(archive).isNotEmptyFile();
    FileTime recorded = Files.getLastModifiedTime(archive);

    assertThat(RunnerJvm.command(java, jar, root, env)).isEqualTo(command);
    assertThat(Files.getLastModifiedTime(archive)).as("recorded once").isEqualTo(recorded);

    // a runner started so can use the archive: with -Xshare:on a JVM that cannot map it fails
    List<String> strict = new ArrayList<>(command);
    strict.add(1, "-Xshare:on");
    strict.add("--help");
    Process version = new ProcessBuilder(strict).redirectErrorStream(true).start();
    String printed = new String(version.getInputStream().readAllBytes());
    assertThat(version.waitFor()).as(printed).isZero();
  }
}

package dev.tessera.runner.result;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.protocol.Artifact;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactsTest {
  @TempDir Path dir;

  @Test
  void aSecondArtifactOfTheSameNameGetsANumberAndPathsAreRelative() throws Exception {
    Artifacts artifacts = new Artifacts(dir.resolve("shots"));

    Path first = artifacts.newFile("page", "png");
    Files.write(first, new byte[] {1, 2, 3});
    artifacts.add("page", first, "image/png");
    Path second = artifacts.newFile("page", "png");
    Files.write(second, new byte[] {1});
    artifacts.add("page", second, "image/png");

    assertThat(artifacts.list())
        .containsExactly(
            new Artifact("page", "page.png", "image/png", 3),
            new Artifact("page", "page-2.png", "image/png", 1));
  }

  @Test
  void aFileSinkReplacesTheResultWhole() throws Exception {
    Path file = dir.resolve("out/result.json");
    FileResultSink sink = new FileResultSink(file);

    sink.deliver("{\"a\":1}".getBytes());
    sink.deliver("{}".getBytes());

    assertThat(Files.readString(file)).isEqualTo("{}");
    try (var files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file);
    }
  }
}

package dev.tessera.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImageResolverTest {

  @Test
  void patternsMatchRepositoriesTagsAndGlobs() {
    assertThat(ImageResolver.matches("busybox-like", "busybox-like")).isTrue();
    assertThat(ImageResolver.matches("busybox-like", "busybox-like:1.0")).isTrue();
    assertThat(ImageResolver.matches("busybox-like", "busybox-like@sha256:abc")).isTrue();
    assertThat(ImageResolver.matches("busybox-like", "other")).isFalse();
    assertThat(ImageResolver.matches("*tessera-runner*", "ghcr.io/tessera-dev/tessera-runner:0.1"))
        .isTrue();
    assertThat(ImageResolver.matches("localhost:5000/runner", "localhost:5000/runner:1")).isTrue();
    assertThat(ImageResolver.matches("a.b", "axb")).isFalse();
  }

  @Test
  void theFirstMatchingMappingWins() {
    ImageResolver resolver =
        ImageResolver.builder()
            .map("runner:debug", LocalImage.of("java", "-agentlib:jdwp", "-jar", "r.jar"))
            .map("runner*", LocalImage.of("java", "-jar", "r.jar"))
            .build();
    assertThat(resolver.resolve("runner:debug").orElseThrow().entrypoint())
        .contains("-agentlib:jdwp");
    assertThat(resolver.resolve("runner:1").orElseThrow().entrypoint())
        .containsExactly("java", "-jar", "r.jar");
    assertThat(resolver.resolve("nginx")).isEmpty();
  }

  @Test
  void commandReplacesTheEntrypointAndArgsTheDefaultArguments() {
    LocalImage image = LocalImage.of("java", "-jar", "r.jar").withDefaultArgs("--help");
    assertThat(image.commandLine(null, null)).containsExactly("java", "-jar", "r.jar", "--help");
    assertThat(image.commandLine(null, List.of("run")))
        .containsExactly("java", "-jar", "r.jar", "run");
    assertThat(image.commandLine(List.of("/bin/true"), null)).containsExactly("/bin/true");
    assertThat(image.commandLine(List.of("sh", "-c"), List.of("echo")))
        .containsExactly("sh", "-c", "echo");
    assertThatThrownBy(
            () ->
                new LocalImage(List.of(), List.of(), java.util.Map.of(), null)
                    .commandLine(null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

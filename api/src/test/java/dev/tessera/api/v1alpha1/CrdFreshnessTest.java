package dev.tessera.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CRDs committed in crds/ and in the chart equal what the model generates. Run with {@code
 * -Dtessera.crds.update=true} (what scripts/refresh-crds does) to rewrite them.
 */
class CrdFreshnessTest {
  private static final List<String> TARGETS = List.of("crds", "helm/tessera/crds");

  @Test
  void committedCrdsMatchTheModel() throws IOException {
    Path root = CrdFiles.repositoryRoot();
    boolean update = Boolean.getBoolean("tessera.crds.update");
    List<String> stale = new ArrayList<>();
    for (Class<?> kind : CrdFiles.KINDS) {
      String expected = CrdFiles.expected(kind);
      for (String target : TARGETS) {
        Path file = root.resolve(target).resolve(CrdFiles.fileName(kind));
        if (update) {
          Files.createDirectories(file.getParent());
          Files.writeString(file, expected);
        } else if (!Files.exists(file) || !Files.readString(file).equals(expected)) {
          stale.add(target + "/" + CrdFiles.fileName(kind));
        }
      }
    }
    assertThat(stale)
        .as(
            "These CRD files are stale or missing: %s. The model in api/ changed; regenerate them"
                + " with: %s",
            stale, CrdFiles.REFRESH_COMMAND)
        .isEmpty();
  }

  @Test
  void crdsFolderHoldsExactlyTheFiveKinds() throws IOException {
    try (var files = Files.list(CrdFiles.repositoryRoot().resolve("crds"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              CrdFiles.KINDS.stream().map(CrdFiles::fileName).toArray(String[]::new));
    }
  }
}

package dev.tessera.runner.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tessera.api.v1alpha1.Project;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads the projects in {@code examples/}, failing on any field the model does not know. */
public final class Examples {
  private static final YAMLMapper YAML =
      YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private Examples() {}

  /** {@code examples/<name>/project.yaml}. */
  public static Project project(String name) {
    Path file = repositoryRoot().resolve("examples").resolve(name).resolve("project.yaml");
    try {
      return YAML.readValue(file.toFile(), Project.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load " + file, e);
    }
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("examples"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no examples/ above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}

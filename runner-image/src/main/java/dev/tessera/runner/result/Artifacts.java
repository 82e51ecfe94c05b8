package dev.tessera.runner.result;

import dev.tessera.api.protocol.Artifact;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The files an Attempt produces, kept in one directory. Each is listed with its path relative to
 * that directory, so the listing stays valid wherever the directory is mounted or copied.
 */
public final class Artifacts {
  private final Path dir;
  private final List<Artifact> produced = new ArrayList<>();
  private final Map<StepKey, Path> byStep = new HashMap<>();

  /**
   * The step that wrote a file: the step at {@code position} (from 1) of the steps {@code owner}
   * ran ({@code check}, {@code create}, {@code api <name>}).
   */
  public record StepKey(String owner, int position) {}

  public Artifacts(Path dir) {
    this.dir = dir.toAbsolutePath();
  }

  /** The directory the files are written to. */
  public Path dir() {
    return dir;
  }

  /**
   * A new file for an artifact named {@code name}: {@code name.ext}, or {@code name-2.ext} and so
   * on when an earlier step (or an earlier try) already wrote one.
   */
  public synchronized Path newFile(String name, String extension) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(name + "." + extension);
    for (int n = 2; Files.exists(file); n++) {
      file = dir.resolve(name + "-" + n + "." + extension);
    }
    return file;
  }

  /** Lists a file written by {@link #newFile}. */
  public synchronized void add(String name, Path file, String contentType) throws IOException {
    produced.add(
        new Artifact(
            name, dir.relativize(file.toAbsolutePath()).toString(), contentType, Files.size(file)));
  }

  /** Lists a file written by {@link #newFile} by a step, and remembers which step wrote it. */
  public synchronized void add(String name, Path file, String contentType, StepKey step)
      throws IOException {
    add(name, file, contentType);
    byStep.put(step, file.toAbsolutePath());
  }

  /** The file a step wrote (the last one, when it ran more than once). */
  public synchronized Optional<Path> fileOf(StepKey step) {
    return Optional.ofNullable(byStep.get(step));
  }

  /** Everything produced so far, in order. */
  public synchronized List<Artifact> list() {
    return List.copyOf(produced);
  }
}

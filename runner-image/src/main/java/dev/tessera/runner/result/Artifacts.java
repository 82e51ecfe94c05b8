package dev.tessera.runner.result;

import dev.tessera.api.protocol.Artifact;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files an Attempt produces, kept in one directory. Each is listed with its path relative to
 * that directory, so the listing stays valid wherever the directory is mounted or copied.
 */
public final class Artifacts {
  private final Path dir;
  private final List<Artifact> produced = new ArrayList<>();

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

  /** Everything produced so far, in order. */
  public synchronized List<Artifact> list() {
    return List.copyOf(produced);
  }
}

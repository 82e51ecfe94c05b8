package dev.tessera.runner.result;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes the result to a file, through a temporary file in the same directory and a rename, so that
 * a reader never sees half a result.
 */
public final class FileResultSink implements ResultSink {
  private final Path file;

  public FileResultSink(Path file) {
    this.file = file.toAbsolutePath();
  }

  @Override
  public void deliver(byte[] resultJson) throws IOException {
    Path dir = file.getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      Files.write(tmp, resultJson);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public String describe() {
    return file.toString();
  }
}

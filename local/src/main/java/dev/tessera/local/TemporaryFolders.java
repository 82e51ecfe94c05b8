package dev.tessera.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Owner-only temporary folders of a command ({@code tessera-try-<pid>-...}) that hold captured
 * browser states and runner reports: removed when the command ends, and, for a command that was
 * killed before it could, by the next one, which finds them by the pid in their name.
 */
final class TemporaryFolders {
  private TemporaryFolders() {}

  /**
   * Removes the folders of {@code prefix} in {@code parent} whose process has ended, then makes a
   * new owner-only one for this process.
   */
  static Path create(Path parent, String prefix) throws IOException {
    removeLeftovers(parent, prefix);
    Path folder =
        Files.createTempDirectory(
            parent,
            prefix + ProcessHandle.current().pid() + "-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    return folder;
  }

  /** Removes the folders of {@code prefix} in {@code parent} whose process is no longer alive. */
  static void removeLeftovers(Path parent, String prefix) throws IOException {
    Pattern name = Pattern.compile(Pattern.quote(prefix) + "(\\d+)-.*");
    try (DirectoryStream<Path> folders = Files.newDirectoryStream(parent, prefix + "*")) {
      for (Path folder : folders) {
        Matcher matcher = name.matcher(folder.getFileName().toString());
        if (matcher.matches()
            && Files.isDirectory(folder)
            && mine(folder)
            && !alive(Long.parseLong(matcher.group(1)))) {
          delete(folder);
        }
      }
    }
  }

  /** Whether this user owns the folder: another user's folders are theirs to remove. */
  private static boolean mine(Path folder) throws IOException {
    return Files.getOwner(folder).getName().equals(System.getProperty("user.name"));
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** Removes a folder and everything in it. */
  static void delete(Path folder) {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.tessera.local.cluster;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What an executor started, kept in a state directory so that the next executor with the same state
 * directory can clean up after one that died without closing (killed with SIGKILL, or its machine's
 * power cut): a file per running Pod process ({@code pod-UID}, a {@link ProcessRecord}) and the
 * work directory it created ({@code work-directory}).
 *
 * <p>Opening the record takes a lock on the state directory ({@code lock}), which the operating
 * system releases when the process dies however it dies: a lock that can be taken means that no
 * executor is alive there, and what the files name is left over, to be killed and removed. A lock
 * that cannot be taken means that another executor uses the directory: opening fails, rather than
 * killing the processes of a living one.
 */
final class ExecutorRecord implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ExecutorRecord.class.getName());
  private static final String LOCK = "lock";
  private static final String WORK_DIRECTORY = "work-directory";
  private static final String POD_PREFIX = "pod-";

  /** How a work directory that an executor created is named; nothing else is ever removed whole. */
  static final String WORK_DIRECTORY_PREFIX = "tessera-local-pods-";

  private static final Duration STOP_GRACE = Duration.ofSeconds(3);

  private final Path directory;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private ExecutorRecord(Path directory, FileChannel lockChannel, FileLock lock) {
    this.directory = directory;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Takes the state directory (created owner-only if need be) and cleans up what a previous
   * executor left there.
   *
   * @throws IllegalStateException when an executor that is alive uses the directory
   */
  static ExecutorRecord open(Path directory) throws IOException {
    Path dir = directory.toAbsolutePath();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    FileChannel channel =
        FileChannel.open(
            dir.resolve(LOCK),
            StandardOpenOption.CREATE,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      String holder = new String(Files.readAllBytes(dir.resolve(LOCK)), StandardCharsets.UTF_8);
      channel.close();
      throw new IllegalStateException(
          "another local executor (pid "
              + holder.trim()
              + ") keeps its processes in "
              + dir
              + ": stop it, or give this one another state directory");
    }
    channel.truncate(0);
    channel.write(
        StandardCharsets.UTF_8.encode(Long.toString(ProcessHandle.current().pid()) + "\n"), 0);
    ExecutorRecord record = new ExecutorRecord(dir, channel, lock);
    record.cleanUpLeftovers();
    return record;
  }

  /** Kills the recorded processes of a previous executor, and removes its directories. */
  private void cleanUpLeftovers() throws IOException {
    List<Path> podFiles = podFiles();
    for (Path file : podFiles) {
      Optional<ProcessRecord> process = ProcessRecord.read(file);
      if (process.isPresent()) {
        LOG.info(
            () ->
                "stopping process "
                    + process.get().pid()
                    + " left by a local executor that did not stop, and removing "
                    + process.get().directory());
        process.get().stop(STOP_GRACE);
        if (looksLikePodDirectory(process.get().directory())) {
          PodDirectory.deleteRecursively(process.get().directory());
        }
      }
      Files.deleteIfExists(file);
    }
    Path workFile = directory.resolve(WORK_DIRECTORY);
    if (Files.exists(workFile)) {
      Path work = Path.of(Files.readString(workFile).trim());
      if (work.isAbsolute()
          && work.getFileName() != null
          && work.getFileName().toString().startsWith(WORK_DIRECTORY_PREFIX)) {
        LOG.info(() -> "removing " + work + ", left by a local executor that did not stop");
        PodDirectory.deleteRecursively(work);
      }
      Files.deleteIfExists(workFile);
    }
  }

  /** Records the work directory the executor created, for removal if it dies. */
  void recordWorkDirectory(Path work) throws IOException {
    Files.writeString(directory.resolve(WORK_DIRECTORY), work.toAbsolutePath() + "\n");
  }

  /** Records the process of a Pod, until {@link #forgetPod}. */
  void recordPod(String uid, ProcessRecord process) throws IOException {
    process.write(podFile(uid));
  }

  /** Forgets the process of a Pod: it is gone. */
  void forgetPod(String uid) {
    try {
      Files.deleteIfExists(podFile(uid));
    } catch (IOException e) {
      LOG.log(Level.FINE, "could not remove the record of Pod " + uid, e);
    }
  }

  /**
   * Removes the records of the processes that are gone and of the work directory (once the executor
   * has removed it), and releases the state directory. A process that is still alive stays
   * recorded, for the next executor to stop.
   */
  @Override
  public void close() {
    try {
      for (Path file : podFiles()) {
        if (ProcessRecord.read(file).map(p -> p.processes().isEmpty()).orElse(true)) {
          Files.deleteIfExists(file);
        }
      }
      Path workFile = directory.resolve(WORK_DIRECTORY);
      if (Files.exists(workFile) && !Files.exists(Path.of(Files.readString(workFile).trim()))) {
        Files.delete(workFile);
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "could not tidy the record in " + directory, e);
    }
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "could not release " + directory, e);
    }
  }

  private Path podFile(String uid) {
    return directory.resolve(POD_PREFIX + uid.replaceAll("[^-a-zA-Z0-9]", "_"));
  }

  private List<Path> podFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, POD_PREFIX + "*")) {
      for (Path entry : entries) {
        if (!entry.getFileName().toString().endsWith(".partial")) {
          files.add(entry);
        }
      }
    }
    return files;
  }

  /** A directory a local executor made for a Pod: it holds the Pod's record or its log. */
  private static boolean looksLikePodDirectory(Path path) {
    return path.isAbsolute()
        && (Files.exists(path.resolve(PodDirectory.PROCESS))
            || Files.exists(path.resolve(PodLaunch.LOG)));
  }
}

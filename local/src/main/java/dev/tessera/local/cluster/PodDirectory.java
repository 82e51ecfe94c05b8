package dev.tessera.local.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The directory of one Pod on this machine ({@code WORK/NAMESPACE/NAME-UID}): its volumes, its
 * termination log, its container log and the process it runs, which a later executor finds there.
 */
final class PodDirectory {
  private static final Logger LOG = Logger.getLogger(PodDirectory.class.getName());
  private static final int MAX_MESSAGE_BYTES = 4096;
  private static final int FALLBACK_LOG_LINES = 80;
  private static final int FALLBACK_LOG_BYTES = 2048;
  private static final Duration KILL_WAIT = Duration.ofSeconds(5);

  /** Name of the record of the Pod's process ({@link ProcessRecord}) in its directory. */
  static final String PROCESS = "pid";

  private final Path path;

  private PodDirectory(Path path) {
    this.path = path;
  }

  /** The directory of a Pod under a work directory (it need not exist). */
  static PodDirectory of(Path workDirectory, Pod pod) {
    String uid =
        pod.getMetadata().getUid() == null ? "" : pod.getMetadata().getUid().replace("-", "");
    String suffix = uid.isEmpty() ? "" : "-" + uid.substring(Math.max(0, uid.length() - 8));
    return new PodDirectory(
        workDirectory
            .resolve(pod.getMetadata().getNamespace())
            .resolve(pod.getMetadata().getName() + suffix));
  }

  Path path() {
    return path;
  }

  /**
   * Creates the directory afresh with what a launch plan needs: the volume files (modes as planned,
   * Secret and ConfigMap volumes read-only), an empty termination log and container log, and a home
   * directory. What a previous executor left there is killed and removed first.
   */
  void prepare(PodLaunch.Plan plan) throws IOException {
    if (Files.exists(path)) {
      killRecordedProcess();
      delete();
    }
    Files.createDirectories(path);
    setPermissions(path, 0700);
    Files.createDirectories(path.resolve(PodLaunch.HOME));
    Files.write(plan.terminationLog(), new byte[0]);
    setPermissions(plan.terminationLog(), 0600);
    Files.write(plan.log(), new byte[0]);
    for (PodLaunch.VolumeFiles volume : plan.volumes()) {
      if (volume.existing()) {
        continue;
      }
      Files.createDirectories(volume.directory());
      setPermissions(volume.directory(), 0700);
      for (var file : volume.files().entrySet()) {
        Path target = volume.directory().resolve(file.getKey()).normalize();
        if (!target.startsWith(volume.directory())) {
          throw new IOException("volume file outside its volume: " + file.getKey());
        }
        Files.createDirectories(target.getParent());
        Files.write(target, file.getValue().content());
        setPermissions(target, file.getValue().mode());
      }
      if (volume.readOnly()) {
        setPermissions(volume.directory(), 0500);
      }
    }
  }

  /** Records the process, so that a later executor can kill it if this one dies. */
  void recordProcess(ProcessRecord process) throws IOException {
    process.write(path.resolve(PROCESS));
  }

  /**
   * Kills the recorded process, its group and their descendants, if it still runs (and is the same
   * process), and waits a little for them to be gone.
   */
  void killRecordedProcess() {
    Path file = path.resolve(PROCESS);
    if (Files.exists(file)) {
      ProcessRecord.read(file).ifPresent(process -> process.kill(KILL_WAIT));
    }
  }

  /**
   * The container's termination message, as the kubelet reads it: the termination log (at most 4096
   * bytes), or with {@code FallbackToLogsOnError} and a failure, the end of the container log when
   * the termination log is empty (80 lines, 2048 bytes).
   */
  String terminationMessage(int exitCode, String policy) {
    Path file = path.resolve(PodLaunch.TERMINATION_LOG);
    String message = "";
    try {
      if (Files.exists(file)) {
        try (var in = Files.newInputStream(file)) {
          message = new String(in.readNBytes(MAX_MESSAGE_BYTES), StandardCharsets.UTF_8);
        }
      }
    } catch (IOException e) {
      LOG.log(Level.FINE, "could not read " + file, e);
    }
    if (message.isEmpty() && exitCode != 0 && "FallbackToLogsOnError".equals(policy)) {
      String log = log(FALLBACK_LOG_BYTES);
      String[] lines = log.split("\n", -1);
      int from = Math.max(0, lines.length - FALLBACK_LOG_LINES - (log.endsWith("\n") ? 1 : 0));
      message = String.join("\n", List.of(lines).subList(from, lines.length));
    }
    return message;
  }

  /** The end of the container log, at most {@code maxBytes}. */
  String log(int maxBytes) {
    Path file = path.resolve(PodLaunch.LOG);
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      long start = Math.max(0, length - maxBytes);
      byte[] bytes = new byte[(int) (length - start)];
      in.seek(start);
      in.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  boolean hasLog() {
    return Files.exists(path.resolve(PodLaunch.LOG));
  }

  /** Adds a line of the executor's own to the container log (why it stopped the process...). */
  void appendToLog(String line) {
    try {
      Files.writeString(
          path.resolve(PodLaunch.LOG),
          "[tessera-local] " + line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      LOG.log(Level.FINE, "could not write to the log in " + path, e);
    }
  }

  /**
   * Removes what the process of a Pod no longer needs once it ended: its volumes (Secrets, whose
   * files hold credentials and browser state, included) and its home directory, as a kubelet tears
   * down the volumes of a terminated Pod. The container log and termination log stay while the Pod
   * exists.
   */
  void deleteVolumes() {
    deleteRecursively(path.resolve(PodLaunch.VOLUMES));
    deleteRecursively(path.resolve(PodLaunch.HOME));
  }

  /** Removes the directory and everything in it (read-only volume directories included). */
  void delete() {
    deleteRecursively(path);
  }

  static void deleteRecursively(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      List<Path> all = paths.sorted(Comparator.reverseOrder()).toList();
      for (Path entry : all) {
        try {
          if (Files.isDirectory(entry)) {
            setPermissions(entry, 0700);
          }
          Files.deleteIfExists(entry);
        } catch (DirectoryNotEmptyException | NoSuchFileException e) {
          // raced with a process still writing: left behind
        }
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.log(Level.FINE, "could not delete " + directory, e);
    }
  }

  private static void setPermissions(Path path, int mode) throws IOException {
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = {
      PosixFilePermission.OTHERS_EXECUTE,
      PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE,
      PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << i)) != 0) {
        permissions.add(bits[i]);
      }
    }
    try {
      Files.setPosixFilePermissions(path, permissions);
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    }
  }
}

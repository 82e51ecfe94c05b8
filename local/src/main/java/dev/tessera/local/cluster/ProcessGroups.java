package dev.tessera.local.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Process groups of this machine: starting a command as the leader of a group of its own, and
 * finding a group's members and the start time of a process, from {@code /proc} where there is one.
 *
 * <p>A Pod's process runs in a group of its own so that the processes it starts (the browser
 * driver, Chromium's processes) can be found, and stopped with it, even after their parent died and
 * they were handed to init. Playwright starts Chromium in a session of its own, so a group alone
 * does not reach it: {@link ProcessRecord} adds the descendants of the group's members.
 */
final class ProcessGroups {
  private static final Path PROC = Path.of("/proc");
  private static final Optional<Path> SETSID =
      Stream.of("/usr/bin/setsid", "/bin/setsid")
          .map(Path::of)
          .filter(Files::isExecutable)
          .findFirst();
  private static final String BOOT_ID = readBootId();

  private ProcessGroups() {}

  /** Whether {@link #inOwnGroup} starts processes in groups of their own here. */
  static boolean ownGroups() {
    return SETSID.isPresent();
  }

  /**
   * The command line that runs {@code command} as the leader of a new session and process group
   * (util-linux {@code setsid}, which keeps the process id when the caller is not a group leader,
   * as a JVM's child never is), or the command itself where there is no {@code setsid}.
   */
  static List<String> inOwnGroup(List<String> command) {
    if (SETSID.isEmpty()) {
      return command;
    }
    List<String> wrapped = new ArrayList<>();
    wrapped.add(SETSID.get().toString());
    wrapped.addAll(command);
    return wrapped;
  }

  /**
   * When a process started, as a string that is the same for every reader and differs for a later
   * process with the same id: {@code BOOT_ID:TICKS} from {@code /proc/PID/stat} (field 22, clock
   * ticks since boot), else the instant the JDK reports.
   */
  static Optional<String> startTime(long pid) {
    Optional<String[]> stat = stat(pid);
    if (stat.isPresent() && BOOT_ID != null) {
      return Optional.of(BOOT_ID + ":" + stat.get()[19]);
    }
    if (Files.isDirectory(PROC.resolve("self"))) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid)
        .flatMap(p -> p.info().startInstant())
        .map(instant -> "instant:" + instant);
  }

  /**
   * Whether a start time (of {@link #startTime}) is the same as or later than another: on the same
   * boot, no fewer ticks; across boots, never.
   */
  static boolean startedNoEarlier(String start, String than) {
    if (start.startsWith("instant:") && than.startsWith("instant:")) {
      return !Instant.parse(start.substring(8)).isBefore(Instant.parse(than.substring(8)));
    }
    int at = start.lastIndexOf(':');
    int thanAt = than.lastIndexOf(':');
    if (at < 0 || thanAt < 0 || !start.substring(0, at).equals(than.substring(0, thanAt))) {
      return false;
    }
    try {
      return Long.parseLong(start.substring(at + 1)) >= Long.parseLong(than.substring(thanAt + 1));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The process group of a process, or -1 when it is gone or cannot be read. */
  static long groupOf(long pid) {
    return stat(pid).map(fields -> Long.parseLong(fields[2])).orElse(-1L);
  }

  /** The processes of a group (empty where there is no {@code /proc}). */
  static List<ProcessHandle> members(long pgid) {
    if (pgid <= 1 || !Files.isDirectory(PROC)) {
      return List.of();
    }
    return ProcessHandle.allProcesses().filter(p -> groupOf(p.pid()) == pgid).toList();
  }

  /**
   * The fields of {@code /proc/PID/stat} after the command name (which may hold spaces): index 0 is
   * field 3 (state), index 2 field 5 (process group), index 19 field 22 (start time).
   */
  private static Optional<String[]> stat(long pid) {
    try {
      String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
      return fields.length > 19 ? Optional.of(fields) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String readBootId() {
    try {
      return Files.readString(PROC.resolve("sys/kernel/random/boot_id"), StandardCharsets.US_ASCII)
          .trim();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}

package dev.tessera.local.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What identifies the process of a Pod, in this JVM and in a later one: its id, its process group,
 * its start time (so that a process that got the same id later is never taken for it) and the Pod's
 * directory. It can be written to a file and read back, and it finds and stops the processes it
 * stands for: the process, the members of its group that started no earlier, and their descendants.
 *
 * @param pid the process id
 * @param pgid its process group (the pid when it leads a group of its own), or -1 when unknown
 * @param start its start time, as {@link ProcessGroups#startTime} gives it
 * @param directory the directory of the Pod it runs
 */
record ProcessRecord(long pid, long pgid, String start, Path directory) {

  /**
   * The record of a process just started, with {@link ProcessGroups#inOwnGroup}, for the Pod whose
   * directory is {@code directory}. Its group is recorded only when it leads one: a group it shares
   * (with this JVM, where there is no {@code setsid}) is not its own to stop.
   */
  static ProcessRecord of(Process process, Path directory) {
    long pid = process.pid();
    return new ProcessRecord(
        pid,
        ProcessGroups.ownGroups() ? pid : -1,
        ProcessGroups.startTime(pid).orElse(""),
        directory.toAbsolutePath());
  }

  /** Writes the record (owner-only file), replacing what was there. */
  void write(Path file) throws IOException {
    Properties properties = new Properties();
    properties.setProperty("pid", Long.toString(pid));
    properties.setProperty("pgid", Long.toString(pgid));
    properties.setProperty("start", start);
    properties.setProperty("directory", directory.toString());
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    try (var out = Files.newOutputStream(partial)) {
      properties.store(out, null);
    }
    Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The record in a file, if it holds one. */
  static Optional<ProcessRecord> read(Path file) {
    Properties properties = new Properties();
    try (var in = Files.newInputStream(file)) {
      properties.load(in);
      return Optional.of(
          new ProcessRecord(
              Long.parseLong(properties.getProperty("pid")),
              Long.parseLong(properties.getProperty("pgid", "-1")),
              properties.getProperty("start", ""),
              Path.of(properties.getProperty("directory"))));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The processes this record stands for that are alive: the process itself if it is the one
   * recorded (same start time), the members of its group that started no earlier than it, and the
   * descendants of both. Nothing when the id now belongs to another process that leads the group.
   */
  List<ProcessHandle> processes() {
    Map<Long, ProcessHandle> found = new LinkedHashMap<>();
    if (start.isEmpty()) {
      return List.of();
    }
    Optional<ProcessHandle> leader = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (leader.isPresent()) {
      if (!ProcessGroups.startTime(pid).map(start::equals).orElse(false)) {
        return List.of();
      }
      found.put(pid, leader.get());
    }
    for (ProcessHandle member : ProcessGroups.members(pgid)) {
      ProcessGroups.startTime(member.pid())
          .filter(memberStart -> ProcessGroups.startedNoEarlier(memberStart, start))
          .ifPresent(s -> found.put(member.pid(), member));
    }
    for (ProcessHandle process : List.copyOf(found.values())) {
      process.descendants().forEach(d -> found.putIfAbsent(d.pid(), d));
    }
    return List.copyOf(found.values());
  }

  /**
   * Sends every process of the record SIGTERM ({@code force} false) or SIGKILL ({@code force}
   * true), all found before any is signalled, so that none escapes by being handed to init.
   */
  List<ProcessHandle> signal(boolean force) {
    List<ProcessHandle> processes = processes();
    for (ProcessHandle process : processes) {
      if (force) {
        process.destroyForcibly();
      } else {
        process.destroy();
      }
    }
    return processes;
  }

  /**
   * Stops every process of the record: SIGTERM, so that they can remove what they keep in temporary
   * folders (a browser's profile), then SIGKILL to what is left after {@code grace}, and waits for
   * them, at most {@code grace} again.
   */
  void stop(Duration grace) {
    if (!waitFor(signal(false), grace)) {
      waitFor(signal(true), grace);
    }
  }

  /** Kills every process of the record and waits, at most {@code timeout}, for them to be gone. */
  void kill(Duration timeout) {
    waitFor(signal(true), timeout);
  }

  private static boolean waitFor(List<ProcessHandle> processes, Duration timeout) {
    List<CompletableFuture<ProcessHandle>> exits = new ArrayList<>();
    for (ProcessHandle process : processes) {
      exits.add(process.onExit());
    }
    try {
      CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }
}

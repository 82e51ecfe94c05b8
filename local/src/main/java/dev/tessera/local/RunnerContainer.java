package dev.tessera.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The runner image, run by a container engine (Podman or Docker) the way a runner Pod runs it: as
 * user 65532, with a read-only root filesystem and a writable {@code /tmp}, every capability
 * dropped, and the input mounted read-only where the Pod mounts its input Secret. The host's
 * network is shared, so that the container reaches sites on this machine's loopback address.
 *
 * @param engine the engine's command, e.g. {@code podman}
 * @param image the runner image; never pulled, it must be on this machine
 */
public record RunnerContainer(String engine, String image) {
  /** Where the input is mounted, as in a runner Pod. */
  public static final String INPUT = "/var/run/tessera/input/attempt.json";

  /** Where the result, the termination log and the log are written. */
  public static final String OUTPUT_DIR = "/var/run/tessera/output";

  /** The user of runner Pods. */
  public static final String USER = "65532:65532";

  /**
   * The command that runs one Attempt.
   *
   * @param name the container's name, to kill it when it outlives its time
   * @param input the input document on this machine
   * @param outputDir the directory on this machine the result is written to
   * @param result the result's file name in {@code outputDir}
   */
  public List<String> command(String name, Path input, Path outputDir, String result) {
    List<String> command = new ArrayList<>();
    command.addAll(List.of(engine, "run", "--rm", "--pull=never", "--name", name));
    command.addAll(List.of("--network=host", "--user", USER));
    command.addAll(List.of("--read-only", "--tmpfs", "/tmp:rw,mode=1777", "--shm-size=512m"));
    command.addAll(List.of("--cap-drop=ALL", "--security-opt=no-new-privileges"));
    command.addAll(List.of("-v", input.toAbsolutePath() + ":" + INPUT + ":ro"));
    command.addAll(List.of("-v", outputDir.toAbsolutePath() + ":" + OUTPUT_DIR + ":rw"));
    command.addAll(List.of("-e", "TESSERA_INPUT=" + INPUT));
    command.addAll(List.of("-e", "TESSERA_OUTPUT=" + OUTPUT_DIR + "/" + result));
    command.addAll(List.of("-e", "TESSERA_ARTIFACTS=/tmp/artifacts"));
    command.addAll(List.of("-e", "TESSERA_TERMINATION_LOG=" + OUTPUT_DIR + "/termination-log"));
    command.add(image);
    return command;
  }

  /** The command that kills the container, when it has outlived its time. */
  public List<String> killCommand(String name) {
    return List.of(engine, "kill", name);
  }
}

package dev.tessera.local.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What a container image stands for on this machine: the local command that replaces its
 * entrypoint, its default arguments, extra environment, and the working directory.
 *
 * @param entrypoint the command a container of the image runs (its ENTRYPOINT), e.g. {@code [java,
 *     -jar, /path/tessera-runner.jar]}
 * @param defaultArgs the image's default arguments (its CMD)
 * @param environment variables the image sets (its ENV); the Pod's own env wins
 * @param workingDirectory where the process starts; {@code null} for the Pod's directory
 */
public record LocalImage(
    List<String> entrypoint,
    List<String> defaultArgs,
    Map<String, String> environment,
    Path workingDirectory) {

  public LocalImage {
    entrypoint = List.copyOf(entrypoint);
    defaultArgs = List.copyOf(defaultArgs);
    environment = Map.copyOf(environment);
  }

  /** An image whose entrypoint is the given command, with no default arguments. */
  public static LocalImage of(String... entrypoint) {
    return new LocalImage(List.of(entrypoint), List.of(), Map.of(), null);
  }

  public LocalImage withDefaultArgs(String... args) {
    return new LocalImage(entrypoint, List.of(args), environment, workingDirectory);
  }

  public LocalImage withEnvironment(Map<String, String> env) {
    return new LocalImage(entrypoint, defaultArgs, env, workingDirectory);
  }

  public LocalImage withWorkingDirectory(Path directory) {
    return new LocalImage(entrypoint, defaultArgs, environment, directory);
  }

  /**
   * The command line of a container of this image, the way a container runtime builds it: the
   * container's {@code command} replaces the entrypoint (and drops the default arguments), its
   * {@code args} replace the default arguments.
   */
  public List<String> commandLine(List<String> command, List<String> args) {
    boolean hasCommand = command != null && !command.isEmpty();
    boolean hasArgs = args != null && !args.isEmpty();
    List<String> head = hasCommand ? command : entrypoint;
    List<String> tail = hasArgs ? args : hasCommand ? List.of() : defaultArgs;
    if (head.isEmpty() && tail.isEmpty()) {
      throw new IllegalArgumentException(
          "no command: the image has no entrypoint and the"
              + " container sets neither command nor args");
    }
    return Stream.concat(head.stream(), tail.stream()).map(Objects::requireNonNull).toList();
  }
}

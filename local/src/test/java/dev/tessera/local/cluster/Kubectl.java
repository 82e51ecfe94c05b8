package dev.tessera.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real kubectl binary, run with a kubeconfig, a home folder of its own and a namespace, the way
 * a user drives local mode.
 */
public final class Kubectl {
  private final Path binary;
  private final Path kubeconfig;
  private final Path home;
  private final String namespace;

  public Kubectl(Path kubeconfig, Path home, String namespace) {
    this.binary = find();
    this.kubeconfig = kubeconfig;
    this.home = home;
    this.namespace = namespace;
  }

  /** The same kubectl in another namespace. */
  public Kubectl inNamespace(String other) {
    return new Kubectl(kubeconfig, home, other);
  }

  /** What a kubectl command printed and how it exited. */
  public record Result(int exitCode, String out, String err) {
    public List<String> lines() {
      return out.lines().toList();
    }

    public String all() {
      return out + err;
    }
  }

  /** Runs kubectl and asserts that it succeeds. */
  public Result run(String... args) {
    return run(List.of(args), 0);
  }

  /** Runs kubectl and asserts its exit code. */
  public Result run(List<String> args, int expectedExitCode) {
    Result result = exec(args, 120);
    assertThat(result.exitCode())
        .as(
            "kubectl %s\nstdout: %s\nstderr: %s",
            String.join(" ", args), result.out(), result.err())
        .isEqualTo(expectedExitCode);
    return result;
  }

  /** Runs kubectl, allowing it {@code seconds}, whatever its exit code. */
  public Result exec(List<String> args, int seconds) {
    try {
      Path out = Files.createTempFile(home, "kubectl", ".out");
      Path err = Files.createTempFile(home, "kubectl", ".err");
      ProcessBuilder builder =
          environment(
              new ProcessBuilder(command(args))
                  .redirectOutput(out.toFile())
                  .redirectError(err.toFile())
                  .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))));
      Process process = builder.start();
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("kubectl " + String.join(" ", args) + " did not finish within " + seconds + " s");
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Starts kubectl in the background, its output (stdout and stderr) going to a file. */
  public Process start(Path output, String... args) throws IOException {
    return environment(
            new ProcessBuilder(command(List.of(args)))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile()))
        .start();
  }

  private List<String> command(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(args);
    command.addAll(
        List.of(
            "--kubeconfig",
            kubeconfig.toString(),
            "--cache-dir",
            home.resolve("kube-cache").toString(),
            "--namespace",
            namespace));
    return command;
  }

  private ProcessBuilder environment(ProcessBuilder builder) {
    builder.environment().remove("KUBECONFIG");
    builder.environment().put("HOME", home.toString());
    return builder;
  }

  /** kubectl on the PATH; a clear failure when it is not there. */
  public static Path find() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "kubectl");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return fail(
        "kubectl is not on the PATH: run scripts/prerequisites, which installs it (Debian's"
            + " kubernetes-client package)");
  }
}

package dev.tessera.demosite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DemoSiteMainTest {

  @Test
  void startsOnTheGivenPortPrintsTheAddressAndStopsOnSigterm() throws Exception {
    int port = freePort();
    Process process = launch("--port", Integer.toString(port), "--session-lifetime", "60");
    try {
      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      Thread reader = new Thread(() -> readLines(process, lines), "demo-site-stdout");
      reader.start();

      assertThat(lines.poll(30, TimeUnit.SECONDS))
          .isEqualTo("demo site listening on http://127.0.0.1:" + port);
      SiteClient browser = new SiteClient("http://127.0.0.1:" + port);
      assertThat(browser.get("/login").statusCode()).isEqualTo(200);
      assertThat(browser.submitLogin("alice", "wonderland").headers().allValues("Set-Cookie"))
          .anySatisfy(cookie -> assertThat(cookie).contains("Max-Age=60"));

      process.destroy();

      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
      assertThat(process.exitValue()).isEqualTo(143);
      reader.join(10_000);
      assertThat(lines).as("nothing more on stdout").isEmpty();
      assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
          .as("port released")
          .isInstanceOf(IOException.class);
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void helpPrintsUsage() throws Exception {
    Result result = run("--help");

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).startsWith("Usage: java -jar demo-site.jar --port N");
    assertThat(result.stdout())
        .contains("--host H", "--session-lifetime SECONDS", "--lockout-after N");
  }

  @Test
  void parsesTheLockoutThreshold() throws Exception {
    assertThat(DemoSiteMain.parse(new String[] {"--port", "0"}).lockoutAfter()).isEqualTo(3);
    assertThat(
            DemoSiteMain.parse(new String[] {"--port", "0", "--lockout-after", "5"}).lockoutAfter())
        .isEqualTo(5);
    assertThat(DemoSiteMain.parse(new String[] {"--lockout-after=0", "--port=0"}).lockoutAfter())
        .isZero();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''                                    | missing required option --port",
        "--port                                | --port needs a value",
        "--port abc                            | --port needs a whole number",
        "--port -5                             | --port needs a whole number",
        "--port 70000                          | --port must be between 0 and 65535",
        "--port 8088 --session-lifetime 0      | --session-lifetime must be at least 1 second",
        "--port 8088 --session-lifetime later  | --session-lifetime needs a whole number",
        "--port 8088 --lockout-after           | --lockout-after needs a value",
        "--port 8088 --lockout-after -1        | --lockout-after needs a whole number",
        "--port 8088 --verbose                 | unknown argument: --verbose",
      })
  void rejectsBadArguments(String args, String message) throws Exception {
    Result result = run(args.isBlank() ? new String[0] : args.trim().split("\\s+"));

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("demo-site: " + message);
    assertThat(result.stdout()).isEmpty();
  }

  @Test
  void reportsAPortThatIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Result result = run("--port", Integer.toString(taken.getLocalPort()));

      assertThat(result.exitCode()).isEqualTo(1);
      assertThat(result.stderr()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
    }
  }

  private record Result(int exitCode, String stdout, String stderr) {}

  private static Result run(String... args) throws Exception {
    Process process = launch(args);
    CompletableFuture<String> stdout = drain(process, true);
    CompletableFuture<String> stderr = drain(process, false);
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("demo site did not exit for " + List.of(args));
    }
    return new Result(process.exitValue(), stdout.get(), stderr.get());
  }

  private static Process launch(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    command.add(DemoSiteMain.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
  }

  private static CompletableFuture<String> drain(Process process, boolean stdout) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return new String(
                (stdout ? process.getInputStream() : process.getErrorStream()).readAllBytes(),
                StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private static void readLines(Process process, BlockingQueue<String> lines) {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines.add(line);
      }
    } catch (IOException e) {
      lines.add("read failed: " + e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}

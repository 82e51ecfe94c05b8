package dev.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/demo} as a new user sees it while Maven builds: it says first how long the build
 * takes, then shows each module as Maven starts it and a dot every few seconds, not Maven's own
 * output, and starts local mode with the options it was given. Maven and Java are stand-ins here:
 * Maven prints a real build's output and stops in the middle until the test has seen the progress.
 */
class DemoScriptTest {
  private static final String MAVEN_BEFORE =
      """
      [INFO] Scanning for projects...
      [INFO] ------------------------------------------------------------------------
      [INFO] Reactor Build Order:
      [INFO]
      [INFO] Tessera                                                            [pom]
      [INFO] Tessera API                                                        [jar]
      [INFO] ---------------------< dev.tessera:tessera-parent >---------------------
      [INFO] Building Tessera 0.1.0-SNAPSHOT                                    [1/7]
      [INFO]   from pom.xml
      [INFO] --------------------------------[ pom ]---------------------------------
      [INFO] ----------------------< dev.tessera:tessera-api >-----------------------
      [INFO] Building Tessera API 0.1.0-SNAPSHOT                                [2/7]
      [INFO]   from api/pom.xml
      [INFO] --- compiler:3.13.0:compile (default-compile) @ tessera-api ---
      [INFO] Compiling 83 source files with javac [debug release 17] to target/classes
      [WARNING] api/src/main/java/dev/tessera/api/protocol/AttemptInputs.java:[181,9] fields() \
      in com.fasterxml.jackson.databind.JsonNode has been deprecated
      """;

  private static final String MAVEN_AFTER =
      """
      [INFO] Building jar: api/target/tessera-api-0.1.0-SNAPSHOT.jar
      [INFO] -------------------< dev.tessera:tessera-demo-site >--------------------
      [INFO] Building Tessera demo site 0.1.0-SNAPSHOT                          [3/7]
      [INFO] Building Tessera runner 0.1.0-SNAPSHOT                             [4/7]
      [INFO] Building Tessera operator 0.1.0-SNAPSHOT                           [5/7]
      [INFO] Building Tessera local mode 0.1.0-SNAPSHOT                         [6/7]
      [INFO] Building Tessera Helm chart tests 0.1.0-SNAPSHOT                   [7/7]
      [INFO] BUILD SUCCESS
      [INFO] Total time:  23.061 s
      """;

  private static final String MAVEN_FAILED =
      """
      [INFO] BUILD FAILURE
      [ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.13.0:compile \
      (default-compile) on project tessera-api: Compilation failure
      [ERROR] api/src/main/java/dev/tessera/api/v1alpha1/Run.java:[12,1] class, interface, enum, \
      or record expected
      """;

  @TempDir Path checkout;
  private Path mavenGoesOn;

  @BeforeEach
  void fakeCheckout() throws IOException {
    Path scripts = Files.createDirectories(checkout.resolve("scripts"));
    Files.copy(LocalCluster.ROOT.resolve("scripts/demo"), scripts.resolve("demo"));
    executable(scripts.resolve("prerequisites"), "#!/usr/bin/env bash\n");
    Files.writeString(checkout.resolve("maven-before.txt"), MAVEN_BEFORE);
    Files.writeString(checkout.resolve("maven-after.txt"), MAVEN_AFTER);
    mavenGoesOn = checkout.resolve("maven-goes-on");
    executable(
        checkout.resolve("mvnw"),
        """
        #!/usr/bin/env bash
        cd "$(dirname "$0")"
        [[ " $* " == *" package "* ]] || { echo "not a package build: $*"; exit 3; }
        cat maven-before.txt
        while [ ! -e maven-goes-on ]; do sleep 0.1; done
        cat maven-after.txt
        exit "${MAVEN_STATUS:-0}"
        """);
    Path bin = Files.createDirectories(checkout.resolve("bin"));
    executable(bin.resolve("java"), "#!/usr/bin/env bash\necho \"java $*\"\n");
  }

  private static void executable(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private Process demo(String mavenStatus, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(List.of("bash", checkout.resolve("scripts/demo").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectError(checkout.resolve("stderr").toFile());
    builder
        .environment()
        .put("PATH", checkout.resolve("bin") + ":" + System.getenv().getOrDefault("PATH", ""));
    builder.environment().put("MAVEN_STATUS", mavenStatus);
    return builder.start();
  }

  /** What a process prints, as it prints it: progress lines end only when the next begins. */
  private static final class Output {
    private final StringBuffer seen = new StringBuffer();
    private final Thread reader;

    Output(InputStream stream) {
      reader =
          new Thread(
              () -> {
                try (Reader in = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
                  int c;
                  while ((c = in.read()) >= 0) {
                    seen.append((char) c);
                  }
                } catch (IOException e) {
                  seen.append("\n(reading failed: ").append(e).append(')');
                }
              });
      reader.setDaemon(true);
      reader.start();
    }

    /** What it printed so far. */
    String now() {
      return seen.toString();
    }

    /** All it printed, once it has ended. */
    String all() throws InterruptedException {
      reader.join(Duration.ofSeconds(10).toMillis());
      return seen.toString();
    }
  }

  @Test
  void showsEachModuleAndDotsWhileMavenBuildsThenStartsLocalMode() throws Exception {
    Process demo = demo("0", "--demo-port", "9090");
    Output out = new Output(demo.getInputStream());

    // Maven is still building: what it did so far is shown, then dots while it is silent
    await().atMost(Duration.ofSeconds(10)).until(() -> out.now().contains("[2/7] Tessera API"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> out.now().matches("(?s).*\\[2/7] Tessera API \\.+"));
    assertThat(demo.isAlive()).isTrue();
    Files.createFile(mavenGoesOn);
    assertThat(demo.waitFor(20, TimeUnit.SECONDS)).isTrue();

    String printed = out.all();
    assertThat(demo.exitValue()).as(printed).isZero();
    List<String> lines = printed.lines().toList();
    assertThat(lines.get(0)).startsWith("building Tessera for the first time: about ");
    assertThat(lines)
        .contains(
            "  [1/7] Tessera ",
            "  [3/7] Tessera demo site ",
            "  [6/7] Tessera local mode ",
            "  [7/7] Tessera Helm chart tests ")
        .anyMatch(line -> line.matches("built in \\d+ s; starting local mode"))
        .endsWith("java -jar local/target/tessera-local.jar --demo-port 9090");
    assertThat(printed).doesNotContain("[INFO]", "[WARNING]", "Compiling", "BUILD SUCCESS");
    assertThat(checkout.resolve(".tessera/build.log"))
        .content()
        .contains("[WARNING] api/src/main/java", "BUILD SUCCESS");
  }

  @Test
  void saysHowLongTheFirstBuildTakesAsTheReadmeDoes() throws Exception {
    Files.createFile(mavenGoesOn);
    Process demo = demo("0");
    Output out = new Output(demo.getInputStream());
    assertThat(demo.waitFor(20, TimeUnit.SECONDS)).isTrue();
    String printed = out.all();
    Matcher figure = Pattern.compile("for the first time: (about [^\\n]+)").matcher(printed);
    assertThat(figure.find()).as(printed).isTrue();

    String readme = Files.readString(LocalCluster.ROOT.resolve("README.md"));
    String commands =
        readme.substring(
            readme.indexOf("## The two commands"), readme.indexOf("## A five-minute tour"));
    assertThat(commands).contains("first run takes minutes").contains(figure.group(1));
  }

  @Test
  void aFailedBuildShowsMavensErrorsAndStartsNothing() throws Exception {
    Files.writeString(checkout.resolve("maven-after.txt"), MAVEN_FAILED);
    Files.createFile(mavenGoesOn);
    Process demo = demo("1");
    Output out = new Output(demo.getInputStream());
    assertThat(demo.waitFor(20, TimeUnit.SECONDS)).isTrue();

    assertThat(demo.exitValue()).isEqualTo(1);
    assertThat(out.all()).doesNotContain("java -jar");
    assertThat(checkout.resolve("stderr"))
        .content()
        .contains("the build failed")
        .contains("[ERROR] Failed to execute goal")
        .contains("Run.java:[12,1] class, interface, enum, or record expected")
        .contains(".tessera/build.log");
  }
}

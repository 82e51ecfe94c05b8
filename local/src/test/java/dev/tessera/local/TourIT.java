package dev.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.api.v1alpha1.Run;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's five-minute tour, run line by line as a new user runs it: local mode started with
 * the demo site on another port than 8088, and each command of the tour run with bash from a
 * checkout, in order, with the variables the lines before it set. What each comment says the
 * command shows is checked against what it printed; a command of the tour without a check here
 * fails the test, so that the README and this test change together.
 */
class TourIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a line of the tour printed. */
  private record Printed(String command, int exitCode, String out, String err) {}

  /** What a line of the tour must show, as its comment says. */
  private interface Check {
    void check(Printed printed) throws Exception;
  }

  private static LocalMode local;
  private static int demoPort;
  private static final ByteArrayOutputStream progress = new ByteArrayOutputStream();
  @TempDir static Path checkout;
  @TempDir static Path home;

  @BeforeAll
  static void start() throws IOException {
    // a checkout to run the tour from, with its own .tessera/: the real one may hold a user's
    try (Stream<Path> entries = Files.list(LocalCluster.ROOT)) {
      for (Path entry : entries.toList()) {
        String name = entry.getFileName().toString();
        if (!name.equals(".tessera") && !name.equals(".git")) {
          Files.createSymbolicLink(checkout.resolve(name), entry);
        }
      }
    }
    Files.createDirectories(checkout.resolve(".tessera"));
    demoPort = freePortOtherThan8088();
    PrintStream out =
        new PrintStream(new Tee(System.out, progress), true, StandardCharsets.UTF_8.name());
    local =
        LocalMode.start(
            new LocalMode.Options(
                LocalCluster.ROOT,
                checkout.resolve(".tessera/kubeconfig"),
                0,
                true,
                demoPort,
                out));
  }

  @AfterAll
  static void stop() throws IOException {
    if (local != null) {
      local.close();
    }
    // the links, not what they point to
    try (Stream<Path> entries = Files.list(checkout)) {
      for (Path entry : entries.toList()) {
        if (Files.isSymbolicLink(entry)) {
          Files.delete(entry);
        }
      }
    }
  }

  private static int freePortOtherThan8088() throws IOException {
    while (true) {
      try (ServerSocket socket = new ServerSocket(0)) {
        if (socket.getLocalPort() != 8088) {
          return socket.getLocalPort();
        }
      }
    }
  }

  /** Copies what local mode prints to two streams: the test's output and a buffer. */
  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    Tee(OutputStream first, OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public synchronized void write(int b) throws IOException {
      first.write(b);
      second.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      first.write(b, off, len);
      second.write(b, off, len);
    }
  }

  /** The tour's commands, in order: its sh blocks, lines continued with a backslash joined. */
  static List<String[]> tourLines() throws IOException {
    String readme = Files.readString(LocalCluster.ROOT.resolve("README.md"));
    int start = readme.indexOf("## A five-minute tour");
    assertThat(start).as("README has a five-minute tour").isNotNegative();
    int end = readme.indexOf("\n## ", start + 3);
    String tour = readme.substring(start, end < 0 ? readme.length() : end);
    List<String[]> lines = new ArrayList<>();
    Matcher block = Pattern.compile("```sh\n(.*?)```", Pattern.DOTALL).matcher(tour);
    while (block.find()) {
      String joined = block.group(1).replaceAll("\\\\\n\\s*", "");
      for (String line : joined.split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        String[] commandAndComment = line.split("\\s{2,}# ", 2);
        lines.add(
            new String[] {
              commandAndComment[0].strip(),
              commandAndComment.length > 1 ? commandAndComment[1].strip() : ""
            });
      }
    }
    return lines;
  }

  /**
   * Runs a line of the tour with bash from the checkout, after the lines before it that set
   * variables ({@code export KUBECONFIG=...}, {@code DEMO=...}), as a shell would remember them.
   */
  private static Printed run(String command, List<String> settings) throws Exception {
    List<String> script = new ArrayList<>(List.of("set -e"));
    script.addAll(settings);
    script.add(command);
    Path out = Files.createTempFile(home, "out", ".txt");
    Path err = Files.createTempFile(home, "err", ".txt");
    ProcessBuilder bash =
        new ProcessBuilder("bash", "-c", String.join("\n", script))
            .directory(checkout.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    bash.environment().remove("KUBECONFIG");
    bash.environment().put("HOME", home.toString());
    Process process = bash.start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      fail(command + " did not end within 5 minutes");
    }
    return new Printed(
        command,
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static Check shows(String... texts) {
    return printed -> assertThat(printed.out()).contains(texts);
  }

  private static Check matches(String... patterns) {
    return printed -> {
      for (String pattern : patterns) {
        assertThat(Pattern.compile(pattern, Pattern.MULTILINE).matcher(printed.out()).find())
            .as("%s\nshows %s", printed.out(), pattern)
            .isTrue();
      }
    };
  }

  private static Check nothingToSay() {
    return printed -> {};
  }

  private static Check aliceLogins(int logins) {
    return printed -> {
      JsonNode stats = JSON.readTree(printed.out());
      assertThat(stats.at("/logins/alice/succeeded").asInt()).as(printed.out()).isEqualTo(logins);
    };
  }

  private static Check conditionMet(String run) {
    return shows("run.tessera.dev/" + run + " condition met");
  }

  /** What local mode printed of a Run's progress. */
  private static Check progressed(String run, String... phases) {
    // local mode prints a Run's progress from its own watch, a moment after the API has it
    return printed ->
        await()
            .atMost(java.time.Duration.ofSeconds(15))
            .untilAsserted(
                () -> {
                  String seen = progress.toString(StandardCharsets.UTF_8);
                  for (String phase : phases) {
                    assertThat(seen).contains("run/" + run + " " + phase);
                  }
                });
  }

  private static Check all(Check... checks) {
    return printed -> {
      for (Check check : checks) {
        check.check(printed);
      }
    };
  }

  /** Each command of the tour, and what its comment says it shows. */
  private static Map<String, Check> checks() {
    Map<String, Check> checks = new LinkedHashMap<>();
    checks.put("export KUBECONFIG=$PWD/.tessera/kubeconfig", nothingToSay());
    checks.put(
        "kubectl wait --for=condition=Succeeded run/catalog-page-2 --timeout=3m",
        conditionMet("catalog-page-2"));
    checks.put(
        "kubectl get tessera",
        all(
            matches(
                "^NAME\\s+PROJECT\\s+API\\s+SESSION\\s+PHASE\\s+REASON\\s+ATTEMPTS\\s+AGE$",
                "^NAME\\s+PROJECT\\s+TYPE\\s+PHASE\\s+LAST VALIDATED\\s+AGE$"),
            shows(
                "project.tessera.dev/demo-catalog",
                "project.tessera.dev/demo-site",
                "authsession.tessera.dev/demo-alice",
                "run.tessera.dev/catalog-page-2")));
    checks.put(
        "kubectl describe run catalog-page-2",
        all(
            matches("^  Attempt Count:\\s+1$", "^\\s+Products:$", "^\\s+Sku:\\s+SKU-\\d+$"),
            shows("Events:", "Attempt 1 succeeded")));
    checks.put(
        "kubectl get pods", matches("^catalog-page-2-[a-z0-9]{5}-a1\\s+0/1\\s+Completed\\s"));
    checks.put(
        "kubectl logs -l tessera.dev/run=catalog-page-2 --tail=-1",
        all(
            shows("attempt start: run=default/catalog-page-2 attempt=1"),
            matches("api products step 1 \\(goto .*\\) of 3 ok", "step 3 .* of 3 ok"),
            shows("attempt end: outcome=SUCCEEDED")));
    checks.put(
        "kubectl apply -f examples/catalog/run-products-page-1.yaml",
        shows("run.tessera.dev/catalog-page-1 created"));
    checks.put(
        "kubectl wait --for=condition=Succeeded run/catalog-page-1 --timeout=2m",
        all(
            conditionMet("catalog-page-1"),
            progressed("catalog-page-1", "created", "Running (attempt 1)", "Succeeded")));
    checks.put(
        "kubectl apply -f examples/catalog/run-retries.yaml",
        shows("run.tessera.dev/catalog-retries created"));
    checks.put(
        "kubectl wait --for=condition=Succeeded=false run/catalog-retries --timeout=2m",
        all(
            conditionMet("catalog-retries"),
            progressed("catalog-retries", "Running (attempt 1)", "Running (attempt 2)")));
    checks.put(
        "kubectl describe run catalog-retries",
        all(
            matches(
                "^  Attempt Count:\\s+2$",
                "(?s)Code:\\s+SelectorNotFound.*Code:\\s+SelectorNotFound",
                "^  Reason:\\s+ApiAttemptsFailed$")));
    checks.put(
        "java -jar local/target/tessera-local.jar artifacts catalog-retries --to"
            + " ~/catalog-retries",
        all(
            matches(
                "catalog-retries/trace\\.zip  Trace, \\d+ bytes",
                "catalog-retries/screenshot\\.png  Screenshot, \\d+ bytes",
                "catalog-retries/page\\.html  Html, \\d+ bytes"),
            printed ->
                assertThat(
                        run(
                                "kubectl get run catalog-retries -o"
                                    + " jsonpath='{.status.attempts[1].artifacts[*].name}'",
                                List.of("export KUBECONFIG=$PWD/.tessera/kubeconfig"))
                            .out())
                    .contains("trace.zip", "screenshot.png", "page.html")));
    checks.put(
        "kubectl explain run.spec.authSession",
        printed -> {
          Matcher field =
              Pattern.compile("^  (\\w+)\\t<[^>]+>.*\\n(.*)$", Pattern.MULTILINE)
                  .matcher(printed.out());
          Set<String> fields = new HashSet<>();
          while (field.find()) {
            fields.add(field.group(1));
            assertThat(field.group(2)).as("the description of %s", field.group(1)).isNotBlank();
          }
          assertThat(fields).contains("name", "autoRecreate", "checkAttempts");
        });
    checks.put(
        "kubectl get authsessions",
        matches("^demo-alice\\s+demo-site\\s+Credentials\\s+(Creating|Ready)\\s"));
    checks.put(
        "kubectl get runs",
        matches("^demo-alice-create-1\\s+demo-site\\s+demo-alice\\s+Succeeded\\s"));
    checks.put(
        "kubectl apply -f examples/demo/run-invoices.yaml",
        shows("run.tessera.dev/alice-invoices-page-2 created"));
    checks.put(
        "kubectl wait --for=condition=Succeeded run/alice-invoices-page-2 --timeout=2m",
        conditionMet("alice-invoices-page-2"));
    checks.put(
        "kubectl describe run alice-invoices-page-2", null); // twice in the tour: see tourChecks()
    checks.put(
        "DEMO=$(kubectl get project demo-site -o jsonpath='{.spec.parameters.baseUrl}')",
        nothingToSay());
    checks.put("curl -s $DEMO/admin/stats", null); // twice too
    checks.put("curl -s -X POST $DEMO/admin/expire-sessions", shows("{\"expired\":1}"));
    checks.put(
        "kubectl delete run alice-invoices-page-2 && kubectl apply -f"
            + " examples/demo/run-invoices.yaml",
        shows(
            "run.tessera.dev \"alice-invoices-page-2\" deleted",
            "run.tessera.dev/alice-invoices-page-2 created"));
    checks.put(
        "kubectl wait --for=condition=Succeeded run/alice-invoices-page-2 --timeout=3m",
        conditionMet("alice-invoices-page-2"));
    checks.put(
        "kubectl get authsession demo-alice -o yaml",
        matches("^  recreations: 1$", "^  stateGeneration: 2$"));
    checks.put(
        "java -jar local/target/tessera-local.jar try --project examples/mfa/project.yaml --api me"
            + " --credentials examples/mfa/credentials-secret.yaml --demo-site --port 0 --repeat 3",
        all(
            matches(
                "^create\\s+SUCCEEDED .*creates 1: Created\\)$",
                "^me #1\\s+SUCCEEDED .*creates 0: Valid\\)$",
                "^me #3\\s+SUCCEEDED .*creates 0: Valid\\)$",
                "^logins the demo site saw: \\{\\s+\"bob\" : \\{\\s+\"succeeded\" : 1,")));
    return checks;
  }

  /**
   * The checks of the tour's lines in order: a line that appears twice (before and after the
   * sessions expire) shows something else each time.
   */
  private static List<Check> tourChecks(List<String[]> lines) {
    Map<String, Check> checks = checks();
    Map<String, List<Check>> repeated =
        Map.of(
            "kubectl describe run alice-invoices-page-2",
            List.of(
                matches(
                    "^\\s+Checks:\\s+1$",
                    "^\\s+Creates:\\s+0$",
                    "^\\s+Outcome:\\s+Valid$",
                    "^\\s+Invoices:$",
                    "^\\s+Number:\\s+INV-"),
                matches(
                    "^\\s+Checks:\\s+2$",
                    "^\\s+Operation:\\s+demo-alice-validate-1$",
                    "^\\s+Outcome:\\s+Recreated$")),
            "curl -s $DEMO/admin/stats",
            List.of(aliceLogins(1), aliceLogins(2)),
            "kubectl get runs",
            List.of(
                checks.get("kubectl get runs"),
                matches("^demo-alice-validate-1\\s+demo-site\\s+demo-alice\\s+Succeeded\\s")));
    Map<String, Integer> seen = new LinkedHashMap<>();
    List<Check> inOrder = new ArrayList<>();
    for (String[] line : lines) {
      String command = line[0];
      int time = seen.merge(command, 1, Integer::sum) - 1;
      Check check =
          repeated.containsKey(command)
              ? repeated.get(command).get(Math.min(time, repeated.get(command).size() - 1))
              : checks.get(command);
      assertThat(check)
          .as("a check of the tour's line %s (# %s): add it to TourIT.checks()", command, line[1])
          .isNotNull();
      inOrder.add(check);
    }
    assertThat(seen.keySet())
        .as("every command TourIT checks is still in the tour")
        .containsAll(checks.keySet());
    return inOrder;
  }

  @Test
  void theTourShowsWhatItsCommentsSayWithTheDemoSiteOnAnotherPort() throws Exception {
    List<String[]> lines = tourLines();
    List<Check> checks = tourChecks(lines);
    List<String> settings = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String command = lines.get(i)[0];
      Printed printed = run(command, settings);
      String output = printed.out() + printed.err();
      System.out.printf("$ %s%n%s%s", command, output, output.endsWith("\n") ? "" : "\n");
      try {
        assertThat(printed.exitCode()).as("exit code").isZero();
        checks.get(i).check(printed);
      } catch (AssertionError | Exception e) {
        printRuns();
        throw new AssertionError(
            "the tour's line `"
                + command
                + "` (# "
                + lines.get(i)[1]
                + ") printed:\n"
                + printed.out()
                + printed.err(),
            e);
      }
      if (command.matches("(export )?[A-Z_]+=.*")) {
        settings.add(command);
      }
    }
    // the tour reached the demo site where local mode started it, not on 8088
    assertThat(run("echo $DEMO", settings).out().strip())
        .isEqualTo(local.site().baseUrl())
        .isEqualTo("http://127.0.0.1:" + demoPort);
    assertThat(local.site().stats().loginsOf("alice").succeeded()).isEqualTo(2);
  }

  private static void printRuns() {
    for (Run run : local.client().resources(Run.class).inNamespace("default").list().getItems()) {
      System.out.printf(
          "run/%s %s %s: %s%n",
          run.getMetadata().getName(),
          run.getStatus() == null ? null : run.getStatus().getPhase(),
          run.getStatus() == null ? null : run.getStatus().getReason(),
          run.getStatus() == null ? null : run.getStatus().getMessage());
    }
  }
}

package dev.tessera.runner.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.api.protocol.Artifact;
import dev.tessera.api.protocol.ArtifactPlan;
import dev.tessera.api.protocol.AttemptInput;
import dev.tessera.api.protocol.Outcome;
import dev.tessera.api.protocol.ProtocolJson;
import dev.tessera.api.protocol.Timings;
import dev.tessera.api.v1alpha1.ApiDefinition;
import dev.tessera.api.v1alpha1.Project;
import dev.tessera.api.v1alpha1.step.Click;
import dev.tessera.api.v1alpha1.step.Goto;
import dev.tessera.api.v1alpha1.step.Step;
import dev.tessera.demosite.DemoSite;
import dev.tessera.demosite.DemoUsers;
import dev.tessera.runner.testing.Examples;
import dev.tessera.runner.testing.Inputs;
import dev.tessera.runner.testing.RunnerProcess;
import dev.tessera.runner.testing.UploadServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a runner process takes from its start to a ready browser, a checked session and an API
 * result, for a CHECK and for an API Attempt with check, with and without a pre-extracted
 * Playwright driver (and with the runner image's JVM options); then what keeping artifacts (a
 * trace, a screenshot and the HTML, uploaded) adds to a failing API Attempt. Not a test: run it
 * with {@code scripts/bench-runner [runs]}.
 */
public final class RunnerStartupBenchmark {
  private static final List<String> IMAGE_JVM_OPTIONS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private RunnerStartupBenchmark() {}

  /** One way of starting the runner. */
  private record Config(String name, boolean preExtracted, List<String> jvmOptions) {
    RunnerProcess runner() {
      RunnerProcess runner = RunnerProcess.runner().withJvmOptions(jvmOptions);
      return preExtracted ? runner.withPreExtractedDriver() : runner;
    }
  }

  /** The measurements of one configuration and operation. */
  private record Sample(List<Timings> timings, List<Long> wall) {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path archive = RunnerProcess.moduleDirectory().resolve("target/bench/runner.jsa");
    List<Config> configs =
        List.of(
            new Config("driver extracted by each run", false, List.of()),
            new Config("pre-extracted driver", true, List.of()),
            new Config(
                "pre-extracted driver + image JVM options",
                true,
                concat(IMAGE_JVM_OPTIONS, List.of("-XX:SharedArchiveFile=" + archive))));
    String loadBefore = loadAverage();
    try (DemoSite site = DemoSite.start()) {
      Project project = Examples.project("demo");
      RunnerProcess.Run created =
          RunnerProcess.runner()
              .withPreExtractedDriver()
              .run(
                  Inputs.of(project, site.baseUrl())
                      .create(
                          Map.of(
                              "username", DemoUsers.ALICE.username(),
                              "password", DemoUsers.ALICE.password()))
                      .build());
      require(created, Outcome.SUCCEEDED);
      String chromium = chromiumVersion(created.stderr());
      trainClassDataSharing(archive);

      Map<String, AttemptInput> operations = new LinkedHashMap<>();
      operations.put(
          "CHECK", Inputs.of(project, site.baseUrl()).check(created.storageState()).build());
      operations.put(
          "API invoices (with check)",
          Inputs.of(project, site.baseUrl())
              .api("invoices", created.storageState())
              .param("page", 2)
              .build());

      Map<String, Sample> samples = new LinkedHashMap<>();
      // One warm-up round (file caches), then the measured rounds, interleaved so that drift
      // of the machine affects every configuration alike.
      for (int round = 0; round <= runs; round++) {
        for (Config config : configs) {
          for (Map.Entry<String, AttemptInput> op : operations.entrySet()) {
            RunnerProcess.Run run = config.runner().run(op.getValue());
            require(run, Outcome.SUCCEEDED);
            if (round > 0) {
              Sample sample =
                  samples.computeIfAbsent(
                      config.name() + "|" + op.getKey(),
                      k -> new Sample(new ArrayList<>(), new ArrayList<>()));
              sample.timings().add(run.result().timings());
              sample.wall().add(run.wallMillis());
            }
          }
        }
      }
      print(runs, chromium, loadBefore, samples);
      checks(site, runs, configs.get(configs.size() - 1));
      artifacts(site, project, runs, configs.get(configs.size() - 1));
    }
  }

  /**
   * How long a check takes in the runner (session checked minus browser ready), for the patterns of
   * docs/authoring.md: a request with the token from localStorage on a valid and on an ended
   * session ({@code examples/spa}), and a page check that decides on the first outcome it sees on
   * an ended session ({@code examples/mfa}).
   */
  /** Alice's login with the project's create, which must succeed. */
  private static RunnerProcess.Run aliceLogsIn(DemoSite site, Project project, Config config) {
    RunnerProcess.Run created =
        config
            .runner()
            .run(
                Inputs.of(project, site.baseUrl())
                    .create(
                        Map.of(
                            "username", DemoUsers.ALICE.username(),
                            "password", DemoUsers.ALICE.password()))
                    .build());
    require(created, Outcome.SUCCEEDED);
    return created;
  }

  private static void checks(DemoSite site, int runs, Config config) {
    Project spa = Examples.project("spa");
    Project mfa = Examples.project("mfa");
    RunnerProcess.Run alice = aliceLogsIn(site, spa, config);
    RunnerProcess.Run bob =
        config
            .runner()
            .run(
                Inputs.of(mfa, site.baseUrl())
                    .create(
                        Map.of(
                            "username", DemoUsers.BOB.username(),
                            "password", DemoUsers.BOB.password(),
                            "totpSeed", DemoUsers.BOB.totpSeed().orElseThrow()))
                    .build());
    require(bob, Outcome.SUCCEEDED);
    Map<String, List<Long>> times = new LinkedHashMap<>();
    AttemptInput valid = Inputs.of(spa, site.baseUrl()).check(alice.storageState()).build();
    measure(
        times,
        "request with $(localStorage.demo_token), valid session",
        config,
        valid,
        runs,
        Outcome.SUCCEEDED);
    site.expireSessions();
    AttemptInput ended = Inputs.of(spa, site.baseUrl()).check(alice.storageState()).build();
    measure(
        times,
        "request with $(localStorage.demo_token), ended session",
        config,
        ended,
        runs,
        Outcome.DEPENDENCY_FAILED);
    AttemptInput page = Inputs.of(mfa, site.baseUrl()).check(bob.storageState()).build();
    measure(
        times,
        "goto + waitFor.anyOf, ended session",
        config,
        page,
        runs,
        Outcome.DEPENDENCY_FAILED);
    System.out.printf(
        Locale.ROOT,
        "%nChecks: runner time from browser ready to session checked, in ms (%s)%n%n",
        config.name());
    System.out.println("| check | median | best | worst |");
    System.out.println("|---|---:|---:|---:|");
    times.forEach(
        (name, values) ->
            System.out.printf(
                Locale.ROOT,
                "| %s | %d | %d | %d |%n",
                name,
                medianOf(values),
                values.stream().mapToLong(Long::longValue).min().orElse(0),
                values.stream().mapToLong(Long::longValue).max().orElse(0)));
  }

  /**
   * A failing API Attempt of the demo project (the invoices page, then a click on nothing with a 1
   * s limit) with a plan that keeps a trace, the screenshot and the HTML, uploaded to an in-process
   * server that takes PUTs, against the same Attempt without a plan.
   */
  private static void artifacts(DemoSite site, Project project, int runs, Config config) {
    // a session of its own: the checks above ended every session of the site
    JsonNode state = aliceLogsIn(site, project, config).storageState();
    ApiDefinition broken = new ApiDefinition();
    broken.setSteps(
        List.of(
            Step.of(new Goto("$(params.baseUrl)/invoices?page=1")),
            Step.of(new Click("#no-such-button")).withTimeoutSeconds(1)));
    List<String> variants = List.of("without a plan", "trace + screenshot + HTML, uploaded");
    Map<String, Sample> samples = new LinkedHashMap<>();
    Map<String, List<Long>> sizes = new LinkedHashMap<>();
    try (UploadServer store = UploadServer.start()) {
      for (int round = 0; round <= runs; round++) {
        for (String variant : variants) {
          Inputs inputs = Inputs.of(project, site.baseUrl()).api("broken", broken, state);
          boolean keeps = !variant.equals(variants.get(0));
          if (keeps) {
            Map<String, String> uploads = new LinkedHashMap<>();
            for (String name : ArtifactPlan.pageFiles()) {
              uploads.put(
                  name, store.url("/bench/" + round + "/" + name + "?X-Amz-Signature=benchmark"));
            }
            inputs.artifacts(new ArtifactPlan(null, uploads));
          }
          RunnerProcess.Run run = config.runner().run(inputs.build());
          require(run, Outcome.FAILED);
          List<Artifact> kept = run.result().artifacts();
          if (keeps && (kept == null || kept.size() != 3)) {
            throw new IllegalStateException("artifacts were not all kept:\n" + run.describe());
          }
          if (round > 0) {
            Sample sample =
                samples.computeIfAbsent(
                    variant, k -> new Sample(new ArrayList<>(), new ArrayList<>()));
            sample.timings().add(run.result().timings());
            sample.wall().add(run.wallMillis());
            if (keeps) {
              kept.forEach(
                  a -> sizes.computeIfAbsent(a.name(), k -> new ArrayList<>()).add(a.bytes()));
            }
          }
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%nArtifacts: a failing API Attempt (demo invoices page, then a click on nothing, 1 s),"
            + " %d runs, %s; result = ms from JVM start to the result (uploads included)%n%n",
        runs,
        config.name());
    System.out.println("| plan | median result | best result | median wall | best wall |");
    System.out.println("|---|---:|---:|---:|---:|");
    samples.forEach(
        (variant, sample) -> {
          List<Long> result = field(sample.timings(), Timings::finishedMs);
          System.out.printf(
              Locale.ROOT,
              "| %s | %d | %d | %d | %d |%n",
              variant,
              medianOf(result),
              result.stream().mapToLong(Long::longValue).min().orElse(0),
              medianOf(sample.wall()),
              sample.wall().stream().mapToLong(Long::longValue).min().orElse(0));
        });
    System.out.printf(Locale.ROOT, "%n| artifact | median bytes | largest |%n|---|---:|---:|%n");
    sizes.forEach(
        (name, values) ->
            System.out.printf(
                Locale.ROOT,
                "| %s | %d | %d |%n",
                name,
                medianOf(values),
                values.stream().mapToLong(Long::longValue).max().orElse(0)));
  }

  private static void measure(
      Map<String, List<Long>> times,
      String name,
      Config config,
      AttemptInput input,
      int runs,
      Outcome expected) {
    List<Long> values = new ArrayList<>();
    for (int i = 0; i <= runs; i++) {
      RunnerProcess.Run run = config.runner().run(input);
      require(run, expected);
      Timings t = run.result().timings();
      if (i > 0) {
        values.add(t.validatedMs() - t.browserReadyMs());
      }
    }
    times.put(name, values);
  }

  private static void trainClassDataSharing(Path archive) throws IOException {
    Files.createDirectories(archive.getParent());
    Files.deleteIfExists(archive);
    Path input = RunnerProcess.moduleDirectory().resolve("src/main/image/cds-training-input.json");
    AttemptInput training = ProtocolJson.readInput(Files.newInputStream(input));
    RunnerProcess.runner()
        .withPreExtractedDriver()
        .withJvmOptions(concat(IMAGE_JVM_OPTIONS, List.of("-XX:ArchiveClassesAtExit=" + archive)))
        .run(training);
    if (!Files.exists(archive)) {
      throw new IllegalStateException("no class-data archive was written to " + archive);
    }
  }

  private static void print(
      int runs, String chromium, String loadBefore, Map<String, Sample> samples) {
    System.out.printf(
        Locale.ROOT,
        "%nRunner start-up (ms since the runner's JVM started; wall = process start to exit, seen"
            + " by the parent)%n");
    System.out.printf(
        Locale.ROOT,
        "machine: %d cores, %s %s, Java %s, Chromium %s; load average before %s, after %s%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        System.getProperty("java.version"),
        chromium,
        loadBefore,
        loadAverage());
    table("median of " + runs + " runs", samples, RunnerStartupBenchmark::medianOf);
    table(
        "best of " + runs + " runs (the least disturbed by other load)",
        samples,
        values -> values.stream().mapToLong(Long::longValue).min().orElse(0));
  }

  private static void table(
      String title, Map<String, Sample> samples, ToLongFunction<List<Long>> statistic) {
    System.out.printf(Locale.ROOT, "%n%s%n%n", title);
    System.out.println(
        "| configuration | operation | browser ready | session checked | result | wall |");
    System.out.println("|---|---|---:|---:|---:|---:|");
    for (Map.Entry<String, Sample> entry : samples.entrySet()) {
      String[] key = entry.getKey().split("\\|");
      Sample sample = entry.getValue();
      System.out.printf(
          Locale.ROOT,
          "| %s | %s | %d | %d | %d | %d |%n",
          key[0],
          key[1],
          statistic.applyAsLong(field(sample.timings(), Timings::browserReadyMs)),
          statistic.applyAsLong(field(sample.timings(), Timings::validatedMs)),
          statistic.applyAsLong(field(sample.timings(), Timings::finishedMs)),
          statistic.applyAsLong(sample.wall()));
    }
  }

  private static List<Long> field(List<Timings> timings, Function<Timings, Long> field) {
    return timings.stream().map(field).toList();
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static long medianOf(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static void require(RunnerProcess.Run run, Outcome outcome) {
    if (run.result() == null || run.result().outcome() != outcome) {
      throw new IllegalStateException("unexpected run:\n" + run.describe());
    }
  }

  private static String chromiumVersion(String stderr) {
    Matcher m = Pattern.compile("Chromium (\\S+);").matcher(stderr);
    return m.find() ? m.group(1) : "unknown";
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}

package dev.tessera.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.api.protocol.Artifact;
import dev.tessera.api.protocol.AttemptInput;
import dev.tessera.api.protocol.AttemptInputs;
import dev.tessera.api.protocol.AttemptResult;
import dev.tessera.api.protocol.Outcome;
import dev.tessera.api.protocol.RunnerError;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.Project;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.RunAuthSessionSpec;
import dev.tessera.api.v1alpha1.RunSpec;
import dev.tessera.demosite.DemoSite;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Checks a runner image against the runner built here. The demo project's create, a check of the
 * state that create made, the invoices API of {@code examples/demo/run-invoices.yaml} and a check
 * of an empty state (which must fail) each run once as a local runner process and once in a
 * container of the image, against a demo site on this machine. The two must end the same way, with
 * the same validation, error codes and records; storage states are compared by what they hold
 * (cookie names, local storage keys), since their values differ from one login to the next, and
 * each side checks and uses the state its own create made.
 */
public final class ImageCheckCommand {
  private static final int MAX_DIFFERENCES = 20;
  private static final int LOG_TAIL_LINES = 40;

  /**
   * What to check.
   *
   * @param root the Tessera checkout (its examples/demo/ is used)
   * @param image the runner image
   * @param engine the container engine's command
   * @param runnerJar the local runner
   * @param chromium the local runner's Chromium, or null for its default
   * @param workDir where inputs, results and logs go; only its owner may enter it
   */
  public record Options(
      Path root, String image, String engine, Path runnerJar, String chromium, Path workDir) {}

  /** The two executions of one step. */
  record Pair(RunnerProcess.Execution local, RunnerProcess.Execution container) {
    JsonNode localState() {
      return local.result() == null ? null : local.result().storageState();
    }

    JsonNode containerState() {
      return container.result() == null ? null : container.result().storageState();
    }
  }

  private final Options options;
  private final PrintStream out;
  private final List<String> problems = new ArrayList<>();

  public ImageCheckCommand(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Runs the check; returns the process exit code (0 when the image answered as the runner). */
  public int call() throws IOException, InterruptedException {
    Path demo = options.root().resolve("examples/demo");
    ProjectSpec project =
        Manifests.read(demo.resolve("project.yaml"), "Project", Project.class).getSpec();
    Map<String, String> credentials =
        Manifests.secretValues(demo.resolve("credentials-secret.yaml"));
    RunSpec run = Manifests.read(demo.resolve("run-invoices.yaml"), "Run", Run.class).getSpec();
    RunAuthSessionSpec session = run.getAuthSession();
    int checkAttempts = attempts(session == null ? null : session.getCheckAttempts());
    // createAttempts is a session setting: the demo session's, its default when it sets none
    int createAttempts =
        attempts(
            Manifests.read(demo.resolve("authsession.yaml"), "AuthSession", AuthSession.class)
                .getSpec()
                .getCreateAttempts());
    Duration timeout = Duration.ofSeconds(project.getRunner().getTimeoutSeconds());
    RunnerProcess local = new RunnerProcess(options.runnerJar(), options.chromium());
    RunnerProcess container =
        RunnerProcess.inContainer(new RunnerContainer(options.engine(), options.image()));
    out.printf(
        "image check: %s (%s) against the local runner %s%n",
        options.image(), options.engine(), options.runnerJar());
    try (DemoSite site = DemoSite.start(DemoSite.Options.defaults())) {
      out.println("demo site listening on " + site.baseUrl());
      ObjectNode siteParameters = JsonNodeFactory.instance.objectNode();
      siteParameters.put("baseUrl", site.baseUrl());
      JsonNode runParameters = AttemptInputs.mergeParameters(run.getParameters(), siteParameters);
      Step steps = new Step(local, container, timeout);

      AttemptInput create =
          AttemptInputs.create(
              "image-check/create",
              1,
              project,
              siteParameters,
              credentials,
              createAttempts,
              checkAttempts,
              null);
      Pair created = steps.run("create", create, create, Outcome.SUCCEEDED);

      Function<JsonNode, AttemptInput> check =
          state ->
              AttemptInputs.check(
                  "image-check/check", 1, project, siteParameters, checkAttempts, state, null);
      steps.run(
          "check",
          check.apply(created.localState()),
          check.apply(created.containerState()),
          Outcome.SUCCEEDED);

      Function<JsonNode, AttemptInput> api =
          state ->
              AttemptInputs.api(
                  "image-check/" + run.getApi(),
                  1,
                  project,
                  run.getApi(),
                  runParameters,
                  true,
                  checkAttempts,
                  state,
                  null);
      Pair called =
          steps.run(
              run.getApi(),
              api.apply(created.localState()),
              api.apply(created.containerState()),
              Outcome.SUCCEEDED);
      if (called.local().result() != null && !holdsRecords(called.local().result().result())) {
        problems.add(run.getApi() + ": the local runner extracted no records: nothing to compare");
      }

      ObjectNode emptyState = JsonNodeFactory.instance.objectNode();
      emptyState.putArray("cookies");
      emptyState.putArray("origins");
      AttemptInput unknown =
          AttemptInputs.check(
              "image-check/check-empty-state", 1, project, siteParameters, 1, emptyState, null);
      steps.run("check, no login", unknown, unknown, Outcome.DEPENDENCY_FAILED);

      out.println(
          "logins the demo site saw: " + site.stats().loginsOf(credentials.get("username")));
    }
    if (problems.isEmpty()) {
      out.println(
          "the image answers as the local runner does: same outcomes, validation, error codes"
              + " and records");
      return 0;
    }
    out.println("IMAGE CHECK FAILED: " + problems.size() + " problem(s)");
    problems.forEach(p -> out.println("  " + p));
    return 1;
  }

  private static int attempts(Integer value) {
    return value == null ? 3 : value;
  }

  /** Whether a result holds at least one non-empty list of records. */
  static boolean holdsRecords(JsonNode result) {
    if (result == null || !result.isObject()) {
      return false;
    }
    return StreamSupport.stream(result.spliterator(), false)
        .anyMatch(value -> value.isArray() && !value.isEmpty());
  }

  /** Runs one step on both sides, prints what each did and records what differs. */
  private final class Step {
    private final RunnerProcess local;
    private final RunnerProcess container;
    private final Duration timeout;

    Step(RunnerProcess local, RunnerProcess container, Duration timeout) {
      this.local = local;
      this.container = container;
      this.timeout = timeout;
    }

    Pair run(String name, AttemptInput localInput, AttemptInput containerInput, Outcome expected)
        throws IOException, InterruptedException {
      String dir = name.replaceAll("[^A-Za-z0-9]+", "-");
      RunnerProcess.Execution onHost =
          local.run(localInput, options.workDir().resolve("local-" + dir), timeout);
      report(name, "local", onHost);
      RunnerProcess.Execution inImage =
          container.run(containerInput, options.workDir().resolve("container-" + dir), timeout);
      report("", "container", inImage);
      if (onHost.result() != null && onHost.result().outcome() != expected) {
        problems.add(
            name
                + ": the local runner ended "
                + onHost.result().outcome()
                + " where "
                + expected
                + " was expected: the comparison proves nothing");
      }
      List<String> differences = differences(name, onHost, inImage);
      problems.addAll(differences);
      if (inImage.result() == null || !differences.isEmpty()) {
        out.println("  the container's log (last " + LOG_TAIL_LINES + " lines):");
        out.println(indent(tail(inImage.log(), LOG_TAIL_LINES)));
      }
      if (onHost.result() == null) {
        out.println("  the local runner's log (last " + LOG_TAIL_LINES + " lines):");
        out.println(indent(tail(onHost.log(), LOG_TAIL_LINES)));
      }
      return new Pair(onHost, inImage);
    }
  }

  private void report(String step, String side, RunnerProcess.Execution execution) {
    AttemptResult result = execution.result();
    if (result == null) {
      out.printf("%-16s %-9s no result (exit code %d)%n", step, side, execution.exitCode());
      return;
    }
    String timing =
        result.timings() == null || result.timings().finishedMs() == null
            ? ""
            : " in " + result.timings().finishedMs() + " ms";
    String validation =
        result.validation() == null
            ? ""
            : " (checks %d, creates %d: %s)"
                .formatted(
                    result.validation().checks(),
                    result.validation().creates(),
                    result.validation().outcome());
    out.printf(
        "%-16s %-9s %s%s%s%s%n",
        step,
        side,
        result.outcome(),
        timing,
        validation,
        result.error() == null ? "" : " " + result.error().code());
  }

  /**
   * What differs, for a user, between the local runner's and the container's execution of the same
   * step: whether each delivered a result, the outcome, the validation, the error (its code,
   * retriability and step, not its wording), the result's JSON, what the storage state holds, and
   * the artifacts' names. Timings and log lines do not count.
   */
  static List<String> differences(
      String step, RunnerProcess.Execution local, RunnerProcess.Execution container) {
    List<String> out = new ArrayList<>();
    AttemptResult l = local.result();
    AttemptResult c = container.result();
    if (l == null || c == null) {
      if (l != null || c != null) {
        out.add(
            step
                + ": "
                + (l == null ? "the local runner" : "the container")
                + " delivered no result (exit code "
                + (l == null ? local.exitCode() : container.exitCode())
                + ")");
      } else {
        out.add(step + ": neither side delivered a result");
      }
      return out;
    }
    same(out, step, "outcome", l.outcome(), c.outcome());
    same(out, step, "validation", l.validation(), c.validation());
    RunnerError le = l.error();
    RunnerError ce = c.error();
    same(out, step, "error code", le == null ? null : le.code(), ce == null ? null : ce.code());
    if (le != null && ce != null) {
      same(out, step, "error retriable", le.retriable(), ce.retriable());
      same(out, step, "error step", le.step(), ce.step());
    }
    List<String> resultDifferences = new ArrayList<>();
    jsonDifferences("$", node(l.result()), node(c.result()), resultDifferences);
    resultDifferences.forEach(d -> out.add(step + ": result " + d));
    stateDifferences(step, l.storageState(), c.storageState(), out);
    same(out, step, "artifacts", artifactNames(l.artifacts()), artifactNames(c.artifacts()));
    if (out.size() > MAX_DIFFERENCES) {
      int more = out.size() - MAX_DIFFERENCES;
      out.subList(MAX_DIFFERENCES, out.size()).clear();
      out.add(step + ": and " + more + " more difference(s)");
    }
    return out;
  }

  private static void same(List<String> out, String step, String what, Object l, Object c) {
    if (!Objects.equals(l, c)) {
      out.add(step + ": " + what + ": local " + l + ", container " + c);
    }
  }

  private static JsonNode node(JsonNode value) {
    return value == null ? MissingNode.getInstance() : value;
  }

  /** Where two JSON documents differ, by JSON path, with both values. */
  static void jsonDifferences(String path, JsonNode local, JsonNode container, List<String> out) {
    if (local.equals(container)) {
      return;
    }
    if (local.isObject() && container.isObject()) {
      Set<String> names = new TreeSet<>();
      local.fieldNames().forEachRemaining(names::add);
      container.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        jsonDifferences(path + "." + name, local.path(name), container.path(name), out);
      }
    } else if (local.isArray() && container.isArray()) {
      if (local.size() != container.size()) {
        out.add(path + ": local has " + local.size() + " item(s), container " + container.size());
      }
      for (int i = 0; i < Math.min(local.size(), container.size()); i++) {
        jsonDifferences(path + "[" + i + "]", local.get(i), container.get(i), out);
      }
    } else {
      out.add(path + ": local " + shown(local) + ", container " + shown(container));
    }
  }

  private static String shown(JsonNode value) {
    if (value.isMissingNode()) {
      return "absent";
    }
    String text = value.toString();
    return text.length() > 80 ? text.substring(0, 77) + "..." : text;
  }

  /**
   * Storage states differ in their values (each login makes new cookies): they must both be there
   * or both be absent, and hold the same cookies (by name, domain and path) and the same local
   * storage keys (by origin).
   */
  private static void stateDifferences(
      String step, JsonNode local, JsonNode container, List<String> out) {
    boolean l = local != null && !local.isNull();
    boolean c = container != null && !container.isNull();
    if (l != c) {
      out.add(
          step
              + ": storage state: "
              + (l
                  ? "the local runner made one, the container none"
                  : "only the container made one"));
      return;
    }
    if (!l) {
      return;
    }
    keyDifferences(step, "cookies", cookies(local), cookies(container), out);
    keyDifferences(step, "local storage", localStorage(local), localStorage(container), out);
  }

  private static void keyDifferences(
      String step, String what, Set<String> local, Set<String> container, List<String> out) {
    if (local.equals(container)) {
      return;
    }
    Set<String> onlyLocal = new TreeSet<>(local);
    onlyLocal.removeAll(container);
    Set<String> onlyContainer = new TreeSet<>(container);
    onlyContainer.removeAll(local);
    out.add(
        step
            + ": storage state "
            + what
            + ": only local "
            + onlyLocal
            + ", only container "
            + onlyContainer);
  }

  private static Set<String> cookies(JsonNode state) {
    return StreamSupport.stream(state.path("cookies").spliterator(), false)
        .map(
            c ->
                c.path("name").asText()
                    + " ("
                    + c.path("domain").asText()
                    + c.path("path").asText()
                    + ")")
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> localStorage(JsonNode state) {
    Set<String> keys = new TreeSet<>();
    for (JsonNode origin : state.path("origins")) {
      for (JsonNode item : origin.path("localStorage")) {
        keys.add(origin.path("origin").asText() + " " + item.path("name").asText());
      }
    }
    return keys;
  }

  private static List<String> artifactNames(List<Artifact> artifacts) {
    return artifacts == null ? List.of() : artifacts.stream().map(Artifact::name).toList();
  }

  private static String tail(String log, int lines) {
    List<String> all = log == null ? List.of() : log.lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  private static String indent(String text) {
    return text.lines().map(line -> "    " + line).collect(Collectors.joining("\n"));
  }

  /** Deletes a work directory and everything in it. */
  static void delete(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}

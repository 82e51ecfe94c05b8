package dev.tessera.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.api.protocol.AttemptInput;
import dev.tessera.api.protocol.AttemptInputs;
import dev.tessera.api.protocol.AttemptResult;
import dev.tessera.api.protocol.Outcome;
import dev.tessera.api.v1alpha1.Project;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.demosite.DemoSite;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Runs one API of a project on this machine, the way the operator runs an Attempt: logs in once
 * with {@code create} when the project has authentication, then validates first and runs the API
 * with the captured state, as many times as asked, and reports how many logins the site saw.
 */
public final class TryCommand {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** What to run. */
  public record Options(
      Path project,
      String api,
      JsonNode parameters,
      Path credentials,
      boolean demoSite,
      int demoSitePort,
      int repeat,
      Path runnerJar,
      String chromium,
      Path workDir,
      Path artifacts) {}

  private final Options options;
  private final PrintStream out;

  public TryCommand(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Runs it; returns the process exit code (0 when every API Attempt succeeded). */
  public int call() throws IOException, InterruptedException {
    ProjectSpec project = Manifests.read(options.project(), "Project", Project.class).getSpec();
    JsonNode parameters = options.parameters();
    DemoSite site = null;
    try {
      if (options.demoSite()) {
        site = DemoSite.start(DemoSite.Options.defaults().withPort(options.demoSitePort()));
        out.println("demo site listening on " + site.baseUrl());
        ObjectNode withSite =
            parameters != null && parameters.isObject()
                ? (ObjectNode) parameters.deepCopy()
                : JSON.createObjectNode();
        withSite.put("baseUrl", site.baseUrl());
        parameters = withSite;
      }
      RunnerProcess runner = new RunnerProcess(options.runnerJar(), options.chromium());
      Duration timeout = Duration.ofSeconds(project.getRunner().getTimeoutSeconds());
      boolean authenticated =
          project.getAuthentication() != null
              && Boolean.TRUE.equals(project.getAuthentication().getEnabled());
      JsonNode state = null;
      if (authenticated) {
        if (options.credentials() == null) {
          out.println("the project has authentication enabled: pass --credentials SECRET.yaml");
          return 2;
        }
        Map<String, String> credentials = Manifests.secretValues(options.credentials());
        AttemptInput create =
            AttemptInputs.create("local/create", 1, project, parameters, credentials, 3, 3, null);
        AttemptResult created = report("create", runner.run(create, workDir("create"), timeout));
        if (created == null || created.outcome() != Outcome.SUCCEEDED) {
          return 1;
        }
        state = created.storageState();
      }
      int failures = 0;
      ArtifactFolder artifacts = ArtifactFolder.start(options.artifacts());
      try {
        for (int i = 1; i <= options.repeat(); i++) {
          String attempt = options.api() + "-" + i;
          AttemptInput.Api input =
              AttemptInputs.api(
                  "local/" + options.api(),
                  i,
                  project,
                  options.api(),
                  parameters,
                  authenticated,
                  3,
                  state,
                  null);
          input =
              input.withArtifacts(artifacts.plan(attempt, project.getApis().get(options.api())));
          AttemptResult result =
              report(options.api() + " #" + i, runner.run(input, workDir("api-" + i), timeout));
          if (result == null || result.outcome() != Outcome.SUCCEEDED) {
            failures++;
          } else if (i == 1) {
            out.println(JSON.writeValueAsString(result.result()));
          }
          if (result != null && result.artifacts() != null && !result.artifacts().isEmpty()) {
            out.println(
                "what the browser saw ("
                    + String.join(", ", result.artifacts().stream().map(a -> a.name()).toList())
                    + "): "
                    + artifacts.folder(attempt)
                    + "; open the trace with: npx playwright show-trace "
                    + artifacts.folder(attempt).resolve("trace.zip"));
          }
        }
      } finally {
        artifacts.close();
      }
      if (site != null) {
        out.println(
            "logins the demo site saw: "
                + JSON.writeValueAsString(site.stats().logins()).replace('\n', ' '));
      }
      return failures == 0 ? 0 : 1;
    } finally {
      if (site != null) {
        site.close();
      }
    }
  }

  private Path workDir(String name) throws IOException {
    return Files.createDirectories(options.workDir().resolve(name));
  }

  private AttemptResult report(String what, RunnerProcess.Execution execution) {
    AttemptResult result = execution.result();
    if (result == null) {
      out.printf(
          "%-14s runner exited with %d and no result; its log:%n%s%n",
          what, execution.exitCode(), execution.log());
      return null;
    }
    String timing =
        result.timings() == null || result.timings().finishedMs() == null
            ? ""
            : " in " + result.timings().finishedMs() + " ms";
    out.printf(
        "%-14s %s%s (checks %d, creates %d: %s)%s%n",
        what,
        result.outcome(),
        timing,
        result.validation().checks(),
        result.validation().creates(),
        result.validation().outcome(),
        result.error() == null ? "" : " - " + result.error().describe());
    return result;
  }
}

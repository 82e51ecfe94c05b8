package dev.tessera.runner.attempt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.api.protocol.Artifact;
import dev.tessera.api.protocol.ArtifactPlan;
import dev.tessera.runner.artifact.SecretScrubber;
import dev.tessera.runner.artifact.Uploader;
import dev.tessera.runner.log.RunnerLog;
import dev.tessera.runner.result.Artifacts;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps what the browser saw in an API Attempt, as its {@link ArtifactPlan} asks: a trace of the
 * check and the API, the page and its HTML at the end, the API's step screenshots. Each file is
 * masked of every secret the runner knows ({@link SecretScrubber}), then put to its presigned URL;
 * what could not be made or uploaded is logged and left out, and never changes the outcome.
 */
final class ArtifactKeeper {
  static final String ZIP = "application/zip";
  static final String PNG = "image/png";
  static final String HTML = "text/html; charset=utf-8";

  /** How long one upload may take. */
  static final Duration UPLOAD_TIMEOUT = Duration.ofSeconds(30);

  /**
   * How long all uploads of an Attempt may take together: a store that is slow cannot hold the
   * result back until the Attempt times out.
   */
  static final Duration UPLOADS_TIMEOUT = Duration.ofSeconds(60);

  /** Values of a JSON localStorage value at least this long are secrets too. */
  static final int JSON_LEAF_MIN_LENGTH = 8;

  private static final Pattern STEP_SCREENSHOT = Pattern.compile("step-([1-9][0-9]{0,4})\\.png");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ArtifactPlan plan;
  private final Session session;
  private final JsonNode inputState;
  private final String owner;
  private final Artifacts artifacts;
  private final Uploader uploader;
  private final RunnerLog log;
  private boolean tracing;

  private ArtifactKeeper(
      ArtifactPlan plan,
      Session session,
      JsonNode inputState,
      String owner,
      Artifacts artifacts,
      Uploader uploader,
      RunnerLog log) {
    this.plan = plan;
    this.session = session;
    this.inputState = inputState;
    this.owner = owner;
    this.artifacts = artifacts;
    this.uploader = uploader;
    this.log = log;
  }

  /**
   * Starts keeping for an API Attempt whose session was just opened: starts the trace, when the
   * plan has a URL for one, before anything runs in the session.
   *
   * @param apiName the API's name, as the session's calls are given it
   */
  static ArtifactKeeper begin(
      ArtifactPlan plan,
      Session session,
      JsonNode inputState,
      String apiName,
      Artifacts artifacts,
      Uploader uploader,
      RunnerLog log) {
    ArtifactKeeper keeper =
        new ArtifactKeeper(
            plan, session, inputState, Role.API.owner(apiName), artifacts, uploader, log);
    uploader.prepare();
    if (plan.wants(ArtifactPlan.TRACE)) {
      try {
        session.startTracing(keeper.owner);
        keeper.tracing = true;
      } catch (RuntimeException e) {
        log.info("the trace could not be started, none is kept: %s", firstLine(e));
      }
    }
    return keeper;
  }

  /** A file to upload. */
  private record Kept(String name, Path file, String contentType) {}

  /**
   * Ends the trace, makes the files the plan keeps for an Attempt that ended so, and uploads them;
   * returns what was uploaded, named as the plan names it.
   */
  List<Artifact> end(boolean succeeded) {
    boolean keep = plan.keeps(succeeded);
    Path raw = null;
    try {
      raw = stopTracing(keep);
      if (!keep) {
        log.info("artifacts: none kept, the Attempt succeeded and they are kept on failure only");
        return List.of();
      }
      return upload(make(raw));
    } catch (IOException | RuntimeException e) {
      log.info("artifacts: kept none, they could not be made: %s", firstLine(e));
      return List.of();
    } finally {
      deleteQuietly(raw);
      uploader.release();
    }
  }

  /** Stops the trace into a file (the unmasked trace) when it is kept, else drops it. */
  private Path stopTracing(boolean keep) throws IOException {
    if (!tracing) {
      return null;
    }
    tracing = false;
    Path raw = keep ? artifacts.newFile("trace-unmasked", "zip") : null;
    try {
      session.stopTracing(raw);
    } catch (RuntimeException e) {
      log.info("the trace could not be saved: %s", firstLine(e));
      deleteQuietly(raw);
      return null;
    }
    return raw != null && Files.isRegularFile(raw) ? raw : null;
  }

  private List<Kept> make(Path rawTrace) throws IOException {
    byte[] png =
        plan.wants(ArtifactPlan.SCREENSHOT) ? capture("screenshot", session::screenshot) : null;
    String html = plan.wants(ArtifactPlan.HTML) ? capture("HTML", session::html) : null;
    SecretScrubber scrubber = SecretScrubber.of(secrets(rawTrace));

    List<Kept> kept = new ArrayList<>();
    if (rawTrace != null) {
      long start = System.nanoTime();
      Path trace = artifacts.newFile("trace", "zip");
      scrubber.zip(rawTrace, trace);
      log.info(
          "artifacts: trace masked in %d ms (%d bytes -> %d bytes)",
          (System.nanoTime() - start) / 1_000_000, Files.size(rawTrace), Files.size(trace));
      kept.add(new Kept(ArtifactPlan.TRACE, trace, ZIP));
    }
    if (png != null) {
      Path file = artifacts.newFile("screenshot", "png");
      Files.write(file, png);
      kept.add(new Kept(ArtifactPlan.SCREENSHOT, file, PNG));
    }
    if (html != null) {
      Path file = artifacts.newFile("page", "html");
      Files.writeString(file, scrubber.text(html), StandardCharsets.UTF_8);
      kept.add(new Kept(ArtifactPlan.HTML, file, HTML));
    }
    Map<Integer, String> steps = new TreeMap<>();
    for (String name : plan.uploads().keySet()) {
      Matcher step = STEP_SCREENSHOT.matcher(name);
      if (step.matches()) {
        steps.put(Integer.parseInt(step.group(1)), name);
      } else if (!ArtifactPlan.pageFiles().contains(name)) {
        log.info("artifacts: %s is no file the runner makes, not uploaded", name);
      }
    }
    steps.forEach(
        (position, name) -> {
          Optional<Path> file = artifacts.fileOf(new Artifacts.StepKey(owner, position));
          if (file.isPresent()) {
            kept.add(new Kept(name, file.get(), PNG));
          } else {
            log.info("artifacts: no %s, step %d of the API took no screenshot", name, position);
          }
        });
    return kept;
  }

  /** A picture or the HTML of the page at the end, or null when there is none. */
  private <T> T capture(String what, java.util.function.Supplier<T> capture) {
    try {
      T value = capture.get();
      if (value == null) {
        log.info("artifacts: no %s, the Attempt opened no page", what);
      }
      return value;
    } catch (RuntimeException e) {
      log.info("artifacts: no %s, the page could not give it: %s", what, firstLine(e));
      return null;
    }
  }

  /**
   * What no artifact may show: what the log masks (credentials, the proxy password), every cookie
   * and localStorage value of the state the Attempt was given and of the context's at the end, and
   * every cookie value the trace saw go by.
   */
  private Set<String> secrets(Path rawTrace) throws IOException {
    Set<String> secrets = new LinkedHashSet<>(log.redactor().values());
    stateValues(inputState, secrets);
    try {
      stateValues(session.storageStateSoFar(), secrets);
    } catch (RuntimeException e) {
      log.info(
          "artifacts: the context's state at the end cannot be read, its new values are masked"
              + " only as the trace saw them: %s",
          firstLine(e));
    }
    if (rawTrace != null) {
      secrets.addAll(SecretScrubber.cookieValues(rawTrace));
    }
    return secrets;
  }

  /** The cookie and localStorage values of a Playwright storage state. */
  static void stateValues(JsonNode state, Set<String> into) {
    if (state == null) {
      return;
    }
    for (JsonNode cookie : state.path("cookies")) {
      add(cookie.path("value"), into);
    }
    for (JsonNode origin : state.path("origins")) {
      for (JsonNode item : origin.path("localStorage")) {
        JsonNode value = item.path("value");
        add(value, into);
        if (value.isTextual()) {
          jsonLeaves(value.textValue(), into);
        }
      }
    }
  }

  /** A localStorage value that holds JSON (a token in an object): its longer strings too. */
  private static void jsonLeaves(String value, Set<String> into) {
    String trimmed = value.trim();
    if (!(trimmed.startsWith("{") || trimmed.startsWith("["))) {
      return;
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(trimmed);
    } catch (IOException e) {
      return;
    }
    List<JsonNode> pending = new ArrayList<>(List.of(tree));
    while (!pending.isEmpty()) {
      JsonNode node = pending.remove(pending.size() - 1);
      if (node.isTextual() && node.textValue().length() >= JSON_LEAF_MIN_LENGTH) {
        into.add(node.textValue());
      }
      node.forEach(pending::add);
    }
  }

  private static void add(JsonNode value, Set<String> into) {
    if (value.isTextual() && !value.textValue().isEmpty()) {
      into.add(value.textValue());
    }
  }

  private List<Artifact> upload(List<Kept> kept) throws IOException {
    List<Artifact> uploaded = new ArrayList<>();
    long deadline = System.nanoTime() + UPLOADS_TIMEOUT.toNanos();
    String unreachable = null;
    for (Kept file : kept) {
      long bytes = Files.size(file.file());
      String shown;
      URI url;
      try {
        url = URI.create(plan.uploads().get(file.name()));
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
          throw new IllegalArgumentException("not an HTTP URL");
        }
        shown = Uploader.shown(url);
      } catch (IllegalArgumentException e) {
        log.info("artifact %s (%d bytes) not uploaded: its URL is invalid", file.name(), bytes);
        continue;
      }
      Duration left = Duration.ofNanos(deadline - System.nanoTime());
      if (left.compareTo(Duration.ofSeconds(1)) < 0) {
        log.info(
            "artifact %s (%d bytes) not uploaded: the uploads took their %d s",
            file.name(), bytes, UPLOADS_TIMEOUT.toSeconds());
        continue;
      }
      if (url.getRawAuthority().equals(unreachable)) {
        log.info(
            "artifact %s (%d bytes) not uploaded: the store cannot be reached", file.name(), bytes);
        continue;
      }
      long start = System.nanoTime();
      try {
        uploader.put(
            url,
            file.file(),
            file.contentType(),
            left.compareTo(UPLOAD_TIMEOUT) < 0 ? left : UPLOAD_TIMEOUT);
      } catch (Uploader.Unreachable e) {
        unreachable = url.getRawAuthority();
        log.info(
            "artifact %s (%d bytes) not uploaded to %s: %s",
            file.name(), bytes, shown, firstLine(e));
        continue;
      } catch (IOException e) {
        log.info(
            "artifact %s (%d bytes) not uploaded to %s: %s",
            file.name(), bytes, shown, firstLine(e));
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        log.info("artifact %s not uploaded: interrupted", file.name());
        break;
      }
      log.info(
          "artifact %s (%d bytes, %s) uploaded to %s in %d ms",
          file.name(), bytes, file.contentType(), shown, (System.nanoTime() - start) / 1_000_000);
      uploaded.add(
          new Artifact(
              file.name(),
              artifacts.dir().relativize(file.file().toAbsolutePath()).toString(),
              file.contentType(),
              bytes));
    }
    return uploaded;
  }

  private void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.info("the unmasked trace %s could not be deleted: %s", file, e.getMessage());
    }
  }

  private static String firstLine(Throwable e) {
    String message = e.getMessage();
    String first = message == null ? "" : message.strip().lines().findFirst().orElse("");
    return e.getClass().getSimpleName() + (first.isEmpty() ? "" : ": " + first);
  }
}

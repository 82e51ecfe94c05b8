package dev.tessera.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.operator.CommonPool;
import dev.tessera.operator.LogFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.CountDownLatch;

/** The {@code tessera-local} command line. */
public final class LocalMain {
  static final String USAGE =
      """
      usage: tessera-local [--kubeconfig FILE] [--port N] [--no-demo] [--demo-port N]
                           [--log-format json|text]
             tessera-local try --project FILE --api NAME [options]
             tessera-local image-check --image IMAGE [--engine podman]
             tessera-local artifacts RUN [--attempt N] [--to DIR] [options]

      Without a command, starts local mode: an embedded Kubernetes API with Tessera's CRDs,
      the operator, a local executor that runs attempt Pods as local runner processes, and
      (unless --no-demo) the demo site with the examples applied. It prints a line with
      "ready" once kubectl can be used, and stops on Ctrl-C or SIGTERM.

        --kubeconfig FILE      where to write the kubeconfig (default .tessera/kubeconfig)
        --port N               the Kubernetes API's port (default 0: any free port)
        --no-demo              start neither the demo site nor the examples
        --demo-port N          the demo site's port (default 8088)
        --root DIR             the Tessera checkout (default: found from the current folder)
        --log-format json|text logs as JSON lines, as the operator's in a cluster (default text)

      TESSERA_LOCAL_MAX_PODS=N sets how many runner processes run at once (default: twice the
      cores); the other Pods stay Pending until one ends.

      try: runs one API of a project on this machine, without the operator.

      Runs one API of a project on this machine with the real runner and Chromium, the way
      the operator runs an Attempt: logs in once (create + check) when the project has
      authentication, then validates first and runs the API with the captured state.

      options:
        --params JSON          the Run's parameters, e.g. '{"page":2}'
        --credentials FILE     a Secret manifest with the credentials (authenticated projects)
        --demo-site            start the demo site and point the baseUrl parameter at it
        --port N               the demo site's port (default 8088; 0 = any free port)
        --repeat N             run the API N times with the same state (default 1)
        --artifacts DIR        where a failing API Attempt's trace, screenshot and HTML go
                               (default tessera-try-artifacts/, a folder per Attempt)
        --runner-jar FILE      the runner (default: $TESSERA_RUNNER_JAR or %s)
        --chromium PATH        Chromium executable (default: the runner's)

      image-check: checks a runner image against the runner built here.

      Starts the demo site, then runs the demo project's create, a check of the state it made,
      the invoices API of examples/demo/run-invoices.yaml and a check of an empty state, once
      with the local runner and once in a container of the image (as a runner Pod runs it:
      user 65532, read-only root filesystem, the host's network). Prints what differs and exits
      with 1 when the outcomes, validation, error codes, records or storage states differ.

      options:
        --image IMAGE          the runner image (required; never pulled)
        --engine CMD           the container engine (default podman)
        --runner-jar FILE      the local runner (default: $TESSERA_RUNNER_JAR or %s)
        --chromium PATH        the local runner's Chromium (default: the runner's)
        --root DIR             the Tessera checkout (default: found from the current folder)

      artifacts: downloads what an Attempt of a Run kept (a Playwright trace, a screenshot,
      the page's HTML, the screenshot steps' pictures) from the artifact store.

      Reads the Run's status for the objects, then gets them from local mode's store, or from
      a cluster's with --kubeconfig and --store (or TESSERA_ARTIFACTS_* variables).

      options:
        --attempt N            the Attempt (default: the last one that kept artifacts)
        --to DIR               where to write the files (default RUN-attempt-N/)
        --namespace NS         the Run's namespace (default default)
        --kubeconfig FILE      the cluster (default .tessera/kubeconfig: local mode)
        --store FILE           the store's settings, TESSERA_ARTIFACTS_* keys in a JSON object
                               (default .tessera/artifact-store.json when local mode wrote it)
        --root DIR             the Tessera checkout (default: found from the current folder)
      """
          .formatted(RunnerProcess.DEFAULT_JAR, RunnerProcess.DEFAULT_JAR);

  /** The part of {@link #USAGE} about {@code try}: what {@code try --help} prints. */
  static final String TRY_USAGE =
      "usage: tessera-local try --project FILE --api NAME [options]\n\n"
          + USAGE
              .substring(USAGE.indexOf("try: runs one API"), USAGE.indexOf("image-check: checks"))
              .stripTrailing()
          + "\n";

  /** Local mode's logback configuration for {@code --log-format json}. */
  static final String JSON_LOGS = "tessera-local-logback-json.xml";

  /** The name of {@code try}'s temporary folders: the prefix, the pid, a random part. */
  static final String TRY_FOLDER_PREFIX = "tessera-try-";

  private LocalMain() {}

  public static void main(String[] args) throws Exception {
    CommonPool.size(); // as the operator's main does
    System.exit(run(args));
  }

  static int run(String[] args) throws Exception {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.print(USAGE);
      return 0;
    }
    if (args.length == 0 || args[0].startsWith("--")) {
      return localMode(args);
    }
    if (args[0].equals("image-check")) {
      return imageCheck(args);
    }
    if (args[0].equals("artifacts")) {
      return artifacts(args);
    }
    if (!args[0].equals("try")) {
      System.err.println("unknown command: " + args[0] + "\n" + USAGE);
      return 2;
    }
    Path project = null;
    String api = null;
    JsonNode params = null;
    Path credentials = null;
    boolean demoSite = false;
    int port = 8088;
    int repeat = 1;
    Path runnerJar = RunnerProcess.defaultJar();
    String chromium = null;
    Path artifacts = Path.of("tessera-try-artifacts");
    Iterator<String> it = Arrays.asList(args).subList(1, args.length).iterator();
    try {
      while (it.hasNext()) {
        String arg = it.next();
        switch (arg) {
          case "--project" -> project = Path.of(value(it, arg));
          case "--api" -> api = value(it, arg);
          case "--params" -> params = new ObjectMapper().readTree(value(it, arg));
          case "--credentials" -> credentials = Path.of(value(it, arg));
          case "--demo-site" -> demoSite = true;
          case "--port" -> port = Integer.parseInt(value(it, arg));
          case "--repeat" -> repeat = Integer.parseInt(value(it, arg));
          case "--artifacts" -> artifacts = Path.of(value(it, arg));
          case "--runner-jar" -> runnerJar = Path.of(value(it, arg));
          case "--chromium" -> chromium = value(it, arg);
          case "--help", "-h" -> {
            System.out.print(TRY_USAGE);
            return 0;
          }
          default -> throw new IllegalArgumentException("unknown option " + arg);
        }
      }
      if (project == null || api == null) {
        throw new IllegalArgumentException("--project and --api are required");
      }
      if (repeat < 1) {
        throw new IllegalArgumentException("--repeat must be at least 1");
      }
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage() + "\n" + USAGE);
      return 2;
    }
    // the states and reports of the runs: owner-only, removed at the end, and by the next try
    // when this one is killed before it can
    Path workDir =
        TemporaryFolders.create(Path.of(System.getProperty("java.io.tmpdir")), TRY_FOLDER_PREFIX);
    Thread removal = new Thread(() -> TemporaryFolders.delete(workDir), "tessera-try-cleanup");
    Runtime.getRuntime().addShutdownHook(removal);
    var options =
        new TryCommand.Options(
            project,
            api,
            params,
            credentials,
            demoSite,
            port,
            repeat,
            runnerJar,
            chromium,
            workDir,
            artifacts);
    try {
      return new TryCommand(options, System.out).call();
    } finally {
      TemporaryFolders.delete(workDir);
      try {
        Runtime.getRuntime().removeShutdownHook(removal);
      } catch (IllegalStateException e) {
        // the JVM is stopping: the hook removes the folder, again
      }
    }
  }

  private static int artifacts(String[] args) throws Exception {
    String run = null;
    Integer attempt = null;
    Path to = null;
    String namespace = "default";
    Path kubeconfig = null;
    Path store = null;
    Path root = null;
    Iterator<String> it = Arrays.asList(args).subList(1, args.length).iterator();
    try {
      while (it.hasNext()) {
        String arg = it.next();
        switch (arg) {
          case "--attempt" -> attempt = Integer.parseInt(value(it, arg));
          case "--to" -> to = Path.of(value(it, arg));
          case "--namespace", "-n" -> namespace = value(it, arg);
          case "--kubeconfig" -> kubeconfig = Path.of(value(it, arg));
          case "--store" -> store = Path.of(value(it, arg));
          case "--root" -> root = Path.of(value(it, arg));
          default -> {
            if (arg.startsWith("-") || run != null) {
              throw new IllegalArgumentException("unknown option " + arg);
            }
            run = arg;
          }
        }
      }
      if (run == null) {
        throw new IllegalArgumentException("artifacts needs the Run's name");
      }
      if (kubeconfig == null || store == null) {
        Path local =
            (root == null ? findRoot(Path.of("").toAbsolutePath()) : root.toAbsolutePath())
                .resolve(".tessera");
        if (kubeconfig == null) {
          kubeconfig = local.resolve("kubeconfig");
          if (store == null
              && Files.isRegularFile(local.resolve(LocalArtifactStore.SETTINGS_FILE))) {
            store = local.resolve(LocalArtifactStore.SETTINGS_FILE);
          }
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage() + "\n" + USAGE);
      return 2;
    }
    return new ArtifactsCommand(
            new ArtifactsCommand.Options(run, namespace, attempt, to, kubeconfig, store),
            System.out)
        .call();
  }

  private static int imageCheck(String[] args) throws Exception {
    String image = null;
    String engine = "podman";
    Path runnerJar = RunnerProcess.defaultJar();
    boolean defaultJar = true;
    String chromium = null;
    Path root = null;
    Iterator<String> it = Arrays.asList(args).subList(1, args.length).iterator();
    try {
      while (it.hasNext()) {
        String arg = it.next();
        switch (arg) {
          case "--image" -> image = value(it, arg);
          case "--engine" -> engine = value(it, arg);
          case "--runner-jar" -> {
            runnerJar = Path.of(value(it, arg));
            defaultJar = false;
          }
          case "--chromium" -> chromium = value(it, arg);
          case "--root" -> root = Path.of(value(it, arg));
          default -> throw new IllegalArgumentException("unknown option " + arg);
        }
      }
      if (image == null) {
        throw new IllegalArgumentException("--image is required");
      }
      root = root == null ? findRoot(Path.of("").toAbsolutePath()) : root.toAbsolutePath();
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage() + "\n" + USAGE);
      return 2;
    }
    if (defaultJar && !runnerJar.isAbsolute()) {
      runnerJar = root.resolve(runnerJar);
    }
    Path workDir = Files.createTempDirectory("tessera-image-check-");
    var options = new ImageCheckCommand.Options(root, image, engine, runnerJar, chromium, workDir);
    int status = new ImageCheckCommand(options, System.out).call();
    if (status == 0) {
      ImageCheckCommand.delete(workDir);
    } else {
      System.out.println("results and logs of both runners are in " + workDir);
    }
    return status;
  }

  private static int localMode(String[] args) throws Exception {
    Path root = null;
    Path kubeconfig = null;
    int port = 0;
    boolean demo = true;
    int demoPort = 8088;
    LogFormat logFormat = LogFormat.TEXT;
    Iterator<String> it = Arrays.asList(args).iterator();
    try {
      while (it.hasNext()) {
        String arg = it.next();
        switch (arg) {
          case "--kubeconfig" -> kubeconfig = Path.of(value(it, arg));
          case "--port" -> port = Integer.parseInt(value(it, arg));
          case "--no-demo" -> demo = false;
          case "--demo-port" -> demoPort = Integer.parseInt(value(it, arg));
          case "--root" -> root = Path.of(value(it, arg));
          case "--log-format" -> logFormat = LogFormat.parse(value(it, arg));
          default -> throw new IllegalArgumentException("unknown option " + arg);
        }
      }
      root = root == null ? findRoot(Path.of("").toAbsolutePath()) : root.toAbsolutePath();
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage() + "\n" + USAGE);
      return 2;
    }
    if (logFormat == LogFormat.JSON) {
      LogFormat.configure(JSON_LOGS);
    }
    if (kubeconfig == null) {
      kubeconfig = root.resolve(".tessera/kubeconfig");
    }
    Files.createDirectories(kubeconfig.toAbsolutePath().getParent());
    LocalMode local =
        LocalMode.start(
            new LocalMode.Options(
                root, kubeconfig.toAbsolutePath(), port, demo, demoPort, System.out));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("stopping local mode");
                  local.close();
                  System.out.println("stopped");
                  stopped.countDown();
                },
                "tessera-local-shutdown"));
    System.out.println("Kubernetes API: " + local.cluster().url());
    System.out.println("kubeconfig:     " + kubeconfig.toAbsolutePath());
    System.out.println(
        "ready: export KUBECONFIG="
            + kubeconfig.toAbsolutePath()
            + " and try: kubectl get tessera; kubectl describe run catalog-page-2");
    stopped.await();
    return 0;
  }

  /**
   * The Tessera checkout: the nearest folder up from {@code start} that holds crds/ and examples/.
   */
  static Path findRoot(Path start) {
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("crds")) && Files.isDirectory(dir.resolve("examples"))) {
        return dir;
      }
    }
    throw new IllegalArgumentException(
        "run tessera-local from a Tessera checkout (no crds/ and examples/ above "
            + start
            + "), or pass --root");
  }

  private static String value(Iterator<String> it, String option) {
    if (!it.hasNext()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return it.next();
  }
}

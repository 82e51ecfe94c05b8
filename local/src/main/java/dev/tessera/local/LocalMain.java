package dev.tessera.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;

/** The {@code tessera-local} command line. */
public final class LocalMain {
  static final String USAGE =
      """
      usage: tessera-local try --project FILE --api NAME [options]

      Runs one API of a project on this machine with the real runner and Chromium, the way
      the operator runs an Attempt: logs in once (create + check) when the project has
      authentication, then validates first and runs the API with the captured state.

      options:
        --params JSON          the Run's parameters, e.g. '{"page":2}'
        --credentials FILE     a Secret manifest with the credentials (authenticated projects)
        --demo-site            start the demo site and point the baseUrl parameter at it
        --port N               the demo site's port (default 8088; 0 = any free port)
        --repeat N             run the API N times with the same state (default 1)
        --runner-jar FILE      the runner (default: $TESSERA_RUNNER_JAR or %s)
        --chromium PATH        Chromium executable (default: the runner's)
      """
          .formatted(RunnerProcess.DEFAULT_JAR);

  private LocalMain() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args));
  }

  static int run(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.print(USAGE);
      return args.length == 0 ? 2 : 0;
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
          case "--runner-jar" -> runnerJar = Path.of(value(it, arg));
          case "--chromium" -> chromium = value(it, arg);
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
    Path workDir = Files.createTempDirectory("tessera-try-");
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
            workDir);
    return new TryCommand(options, System.out).call();
  }

  private static String value(Iterator<String> it, String option) {
    if (!it.hasNext()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return it.next();
  }
}

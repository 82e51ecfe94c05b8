package dev.tessera.local.cluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Plays the kubelet for local mode: it watches Pods and runs each as a local process, the image
 * standing for a local command ({@link ImageResolver}), and reports the Pod's status as a kubelet
 * would: {@code Pending}, {@code Running}, then {@code Succeeded} or {@code Failed} with the
 * container's exit code and termination message.
 *
 * <p>Each Pod gets a directory with its Secret, ConfigMap and emptyDir volumes, its termination log
 * and its container log; environment variables and arguments that name a mount path are rewritten
 * to that directory (see {@link PodLaunch}). {@code activeDeadlineSeconds} is enforced, deleting a
 * Pod kills its process tree, at most {@code maxConcurrentPods} processes run at once (the other
 * Pods stay Pending), and a Pod found Running without a process (its executor stopped) fails with
 * reason {@code NodeLost}.
 *
 * <p>Each process runs in a process group of its own, which is stopped with it, and its volumes are
 * removed when it ends. With a {@linkplain Builder#stateDirectory state directory}, what runs is
 * recorded there ({@link ExecutorRecord}), and an executor started later with the same state
 * directory stops and removes what one that was killed left.
 *
 * <p>All decisions run on one thread, so Pod state needs no locking; processes are started and
 * killed from that thread, and their exits are handed back to it. Pod statuses are written off that
 * thread, in order for each Pod.
 *
 * <p>With an {@linkplain Builder#instantRunner instant runner}, for orchestration benchmarks only,
 * a Pod is prepared exactly as for a process (image, volumes, environment), but instead of a
 * process the {@link InstantRunner} answers its Attempt at once on a small worker pool, and its
 * exit status ends the Pod as a process's would.
 */
public final class LocalExecutor implements PodLogs, AutoCloseable {
  /** The node name Pods are reported on ({@code spec.nodeName} for the downward API). */
  public static final String NODE_NAME = "tessera-local";

  /** Environment variables a local process inherits from this JVM, when they are set. */
  public static final Set<String> DEFAULT_INHERITED_ENVIRONMENT =
      Set.of(
          "PATH",
          "USER",
          "LANG",
          "LC_ALL",
          "TZ",
          "JAVA_HOME",
          "TMPDIR",
          "PLAYWRIGHT_BROWSERS_PATH",
          "PLAYWRIGHT_DRIVER_DIR",
          "PLAYWRIGHT_NODEJS_PATH",
          "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD");

  private static final Logger LOG = Logger.getLogger(LocalExecutor.class.getName());
  private static final int MAX_LOG_READ_BYTES = 4 * 1024 * 1024;

  /** Threads that write Pod statuses (each Pod's in one of them, in order). */
  private static final int STATUS_LANES = 4;

  /** Threads of the instant runner's pool, at most. */
  private static final int INSTANT_THREADS = 8;

  /** The exit status of an instant answer stopped before it ended (as SIGTERM's 128 + 15). */
  private static final int INSTANT_STOPPED = 143;

  private final KubernetesClient client;
  private final ImageResolver images;
  private final Path workDirectory;
  private final boolean ownsWorkDirectory;
  private final int maxConcurrentPods;
  private final Map<String, String> labelSelector;
  private final String namespace;
  private final Map<String, String> baseEnvironment;
  private final Duration maxGracePeriod;
  private final Duration retryInterval;
  private final Clock clock;
  private final ScheduledExecutorService loop;

  /** Answers Pods instead of processes (benchmarks of orchestration only); or null. */
  private final InstantRunner instantRunner;

  /** Where the instant runner answers, off the loop thread; null without one. */
  private final ExecutorService instantPool;

  /**
   * Where Pod statuses are written, off the loop thread: a few lanes, each a thread of its own, and
   * every write about one Pod in the same lane, so that a Pod's statuses reach the API in the order
   * the loop decided them.
   */
  private final ExecutorService[] statusLanes;

  /** What this executor started, for the next one if it dies without closing; or null. */
  private final ExecutorRecord record;

  /** Pods this executor has taken, by uid. Touched on the loop thread only. */
  private final Map<String, PodRun> runs = new HashMap<>();

  /** Pods told they wait for a free slot, by uid. Loop thread only. */
  private final Set<String> waitingForSlot = new HashSet<>();

  /** Pods found Running without a process and marked lost, by uid. Loop thread only. */
  private final Set<String> lost = new HashSet<>();

  private SharedIndexInformer<Pod> informer;
  private volatile boolean closed;

  private LocalExecutor(Builder builder) {
    this.client = builder.client;
    this.images = Objects.requireNonNull(builder.images, "an image resolver is required");
    this.maxConcurrentPods = builder.maxConcurrentPods;
    this.labelSelector = Map.copyOf(builder.labelSelector);
    this.namespace = builder.namespace;
    this.maxGracePeriod = builder.maxGracePeriod;
    this.retryInterval = builder.retryInterval;
    this.clock = builder.clock;
    this.instantRunner = builder.instantRunner;
    try {
      this.record =
          builder.stateDirectory == null ? null : ExecutorRecord.open(builder.stateDirectory);
      if (builder.workDirectory != null) {
        this.workDirectory = Files.createDirectories(builder.workDirectory);
        this.ownsWorkDirectory = false;
      } else {
        this.workDirectory =
            Files.createTempDirectory(ExecutorRecord.WORK_DIRECTORY_PREFIX).toAbsolutePath();
        this.ownsWorkDirectory = true;
        if (record != null) {
          record.recordWorkDirectory(workDirectory);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> environment = new LinkedHashMap<>();
    for (String name : builder.inheritedEnvironment) {
      String value = System.getenv(name);
      if (value != null) {
        environment.put(name, value);
      }
    }
    // As a kubelet does for every container: where the API is. Runners refuse to connect there.
    java.net.URL api = client.getMasterUrl();
    environment.put("KUBERNETES_SERVICE_HOST", api.getHost());
    environment.put(
        "KUBERNETES_SERVICE_PORT",
        Integer.toString(api.getPort() > 0 ? api.getPort() : api.getDefaultPort()));
    this.baseEnvironment = Map.copyOf(environment);
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "tessera-local-executor");
              thread.setDaemon(true);
              return thread;
            });
    this.statusLanes = new ExecutorService[STATUS_LANES];
    for (int i = 0; i < STATUS_LANES; i++) {
      String name = "tessera-local-executor-status-" + (i + 1);
      statusLanes[i] =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread thread = new Thread(r, name);
                thread.setDaemon(true);
                return thread;
              });
    }
    if (instantRunner == null) {
      this.instantPool = null;
    } else {
      AtomicInteger threads = new AtomicInteger();
      this.instantPool =
          Executors.newFixedThreadPool(
              Math.min(maxConcurrentPods, INSTANT_THREADS),
              r -> {
                Thread thread = new Thread(r, "tessera-local-instant-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
              });
    }
  }

  /** A builder for an executor of the Pods visible to a client. */
  public static Builder builder(KubernetesClient client) {
    return new Builder(client);
  }

  /** Starts watching Pods; returns once the current Pods are known. */
  public LocalExecutor start() {
    var pods =
        namespace == null ? client.pods().inAnyNamespace() : client.pods().inNamespace(namespace);
    var selected = labelSelector.isEmpty() ? pods : pods.withLabels(labelSelector);
    // The informer is assigned before it starts: its first events already read its store.
    informer = selected.runnableInformer(0);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            submit(() -> reconcile(key(pod)));
          }

          @Override
          public void onUpdate(Pod oldPod, Pod newPod) {
            submit(() -> reconcile(key(newPod)));
          }

          @Override
          public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
            submit(() -> deleted(pod));
          }
        });
    try {
      informer.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the local executor", e);
    } catch (ExecutionException | TimeoutException e) {
      informer.close();
      throw new IllegalStateException("the local executor could not list Pods", e);
    }
    return this;
  }

  /** The log of a Pod this executor ran, while the Pod exists. */
  public Optional<String> logs(String namespace, String name) {
    PodDirectory directory = null;
    synchronized (runs) {
      for (PodRun run : runs.values()) {
        if (run.namespace.equals(namespace) && run.name.equals(name)) {
          directory = run.directory;
        }
      }
    }
    if (directory == null || !directory.hasLog()) {
      return Optional.empty();
    }
    return Optional.of(directory.log(MAX_LOG_READ_BYTES));
  }

  @Override
  public Optional<String> read(String namespace, String pod) {
    return logs(namespace, pod);
  }

  /** How many Pod processes run now. */
  public int runningPods() {
    synchronized (runs) {
      return (int) runs.values().stream().filter(PodRun::alive).count();
    }
  }

  /** Where Pod directories are: {@code NAMESPACE/NAME-UID}. */
  public Path workDirectory() {
    return workDirectory;
  }

  // ---- the loop ----

  private void submit(Runnable task) {
    if (closed) {
      return;
    }
    try {
      loop.execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              LOG.log(Level.WARNING, "local executor step failed", e);
            }
          });
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  private void schedule(Runnable task, Duration delay) {
    if (closed) {
      return;
    }
    try {
      loop.schedule(() -> submit(task), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  private void reconcile(String key) {
    if (closed || informer == null) {
      return;
    }
    Pod pod = informer.getStore().getByKey(key);
    if (pod == null) {
      return;
    }
    String uid = pod.getMetadata().getUid();
    PodRun run = runs.get(uid);
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      if (run != null && run.alive()) {
        kill(run, "the Pod is being deleted", gracePeriod(pod));
      }
      return;
    }
    if (run != null) {
      if (!run.started() && !run.finished && !run.retryScheduled) {
        prepareAndStart(run);
      }
      return;
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Running".equals(phase)) {
      if (lost.add(uid)) {
        markLost(pod);
      }
      return;
    }
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return;
    }
    if (runningPods() >= maxConcurrentPods) {
      if (waitingForSlot.add(uid)) {
        writeStatus(
            pod,
            PodStatuses.unscheduled(
                "waiting for a free slot: the local executor runs at most "
                    + maxConcurrentPods
                    + " Pods at once",
                clock.instant()));
      }
      return;
    }
    waitingForSlot.remove(uid);
    Instant startTime =
        pod.getStatus() != null && pod.getStatus().getStartTime() != null
            ? Instant.parse(pod.getStatus().getStartTime())
            : clock.instant();
    PodRun created = new PodRun(pod, PodDirectory.of(workDirectory, pod), startTime);
    synchronized (runs) {
      runs.put(uid, created);
    }
    Long deadline = pod.getSpec().getActiveDeadlineSeconds();
    if (deadline != null) {
      Duration remaining = Duration.between(clock.instant(), startTime.plusSeconds(deadline));
      created.deadline = loopSchedule(() -> deadlinePassed(created), remaining);
    }
    prepareAndStart(created);
  }

  private ScheduledFuture<?> loopSchedule(Runnable task, Duration delay) {
    return loop.schedule(() -> submit(task), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
  }

  private void prepareAndStart(PodRun run) {
    run.retryScheduled = false;
    if (run.finished || run.deleted || closed) {
      return;
    }
    Pod pod = run.pod;
    String image = pod.getSpec().getContainers().isEmpty() ? null : container(pod).getImage();
    Optional<LocalImage> local = image == null ? Optional.empty() : images.resolve(image);
    if (local.isEmpty()) {
      run.finished = true;
      writeStatus(
          pod,
          PodStatuses.failedToStart(
              pod,
              run.startTime,
              PodStatuses.ERR_IMAGE_PULL,
              "image \""
                  + image
                  + "\" has no local stand-in: the local executor maps images to local commands,"
                  + " and none matches this one",
              clock.instant()));
      cancelDeadline(run);
      return;
    }
    PodLaunch.Plan plan;
    try {
      plan =
          PodLaunch.plan(
              pod, local.get(), run.directory.path(), references(), baseEnvironment, NODE_NAME);
    } catch (PodLaunch.LaunchException e) {
      if (e.retriable()) {
        if (!e.getMessage().equals(run.waitingMessage)) {
          run.waitingMessage = e.getMessage();
          writeStatus(
              pod,
              PodStatuses.waiting(pod, run.startTime, e.reason(), e.getMessage(), clock.instant()));
        }
        run.retryScheduled = true;
        schedule(() -> prepareAndStart(run), retryInterval);
      } else {
        run.finished = true;
        writeStatus(
            pod,
            PodStatuses.failedToStart(
                pod, run.startTime, e.reason(), e.getMessage(), clock.instant()));
        cancelDeadline(run);
      }
      return;
    }
    if (runningPods() >= maxConcurrentPods) {
      run.retryScheduled = true;
      schedule(() -> prepareAndStart(run), retryInterval);
      return;
    }
    if (instantRunner != null) {
      startInstant(run, plan);
      return;
    }
    try {
      run.directory.prepare(plan);
      requireExecutable(plan);
      ProcessBuilder builder =
          new ProcessBuilder(ProcessGroups.inOwnGroup(plan.command()))
              .directory(plan.workingDirectory().toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(plan.log().toFile()));
      builder.environment().clear();
      builder.environment().putAll(plan.environment());
      Map<String, Integer> ports = localPorts(pod);
      ports.forEach(
          (name, port) ->
              builder
                  .environment()
                  .put(
                      "TESSERA_" + name.toUpperCase(Locale.ROOT).replace('-', '_') + "_PORT",
                      Integer.toString(port)));
      if (!ports.isEmpty()) {
        annotatePorts(pod, ports);
      }
      Process process = builder.start();
      run.process = process;
      run.startedAt = clock.instant();
      run.record = ProcessRecord.of(process, run.directory.path());
      run.directory.recordProcess(run.record);
      if (record != null) {
        record.recordPod(run.uid, run.record);
      }
    } catch (IOException | RuntimeException e) {
      run.finished = true;
      run.directory.appendToLog(
          "the local executor could not start the process: " + e.getMessage());
      writeStatus(
          pod,
          PodStatuses.failedToStart(
              pod,
              run.startTime,
              "StartError",
              "could not start " + plan.command().get(0) + ": " + e.getMessage(),
              clock.instant()));
      cancelDeadline(run);
      return;
    }
    writeStatus(pod, PodStatuses.running(pod, run.startTime, run.startedAt, run.process.pid()));
    run.process.onExit().thenRun(() -> submit(() -> exited(run)));
  }

  /**
   * Starts a Pod with the instant runner: the directory is prepared as for a process, the Pod
   * written Running, and the runner answers on the pool; its exit status comes back to the loop as
   * a process's does.
   */
  private void startInstant(PodRun run, PodLaunch.Plan plan) {
    Pod pod = run.pod;
    try {
      run.directory.prepare(plan);
    } catch (IOException | RuntimeException e) {
      run.finished = true;
      run.directory.appendToLog("the local executor could not prepare the Pod: " + e.getMessage());
      writeStatus(
          pod,
          PodStatuses.failedToStart(
              pod,
              run.startTime,
              "StartError",
              "could not prepare the Pod: " + e.getMessage(),
              clock.instant()));
      cancelDeadline(run);
      return;
    }
    run.instant = true;
    run.instantAnswering = true;
    run.startedAt = clock.instant();
    writeStatus(pod, PodStatuses.running(pod, run.startTime, run.startedAt, 0));
    try {
      run.instantTask =
          instantPool.submit(
              () -> {
                int exitCode = InstantRunner.EXIT_UNDELIVERED;
                try {
                  exitCode = instantRunner.answer(plan);
                } catch (RuntimeException e) {
                  LOG.log(Level.WARNING, "the instant runner failed for Pod " + run.name, e);
                } finally {
                  run.instantAnswering = false;
                }
                int exit = exitCode;
                submit(() -> instantExited(run, exit));
              });
    } catch (RejectedExecutionException e) {
      // closing
      run.instantAnswering = false;
    }
  }

  /** The instant runner answered (or was stopped) with this exit status. */
  private void instantExited(PodRun run, int exitCode) {
    if (run.finished) {
      return;
    }
    run.instantAnswering = false;
    // stopped while it answered: ended as the stop ends it, whichever of the two came back first
    run.instantExitCode =
        run.killing && exitCode != InstantRunner.EXIT_DELIVERED ? INSTANT_STOPPED : exitCode;
    exited(run);
  }

  private void exited(PodRun run) {
    if (run.finished) {
      return;
    }
    run.finished = true;
    cancelDeadline(run);
    if (run.forceKill != null) {
      run.forceKill.cancel(false);
    }
    Instant finishedAt = clock.instant();
    int exitCode = run.exitCode();
    stopLeftovers(run);
    if (!run.deleted) {
      String message =
          run.directory.terminationMessage(
              exitCode, container(run.pod).getTerminationMessagePolicy());
      run.directory.deleteVolumes();
      writeStatus(
          run.pod,
          PodStatuses.terminated(
              run.pod,
              run.startTime,
              run.startedAt,
              finishedAt,
              run.pid(),
              exitCode,
              message,
              run.deadlineExceeded));
    } else {
      forget(run);
    }
    startWaitingPods();
  }

  private void deadlinePassed(PodRun run) {
    if (run.finished) {
      return;
    }
    run.deadlineExceeded = true;
    if (run.alive()) {
      kill(run, "its deadline passed", gracePeriod(run.pod));
    } else {
      run.finished = true;
      writeStatus(
          run.pod,
          PodStatuses.deadlineExceededBeforeStart(run.pod, run.startTime, clock.instant()));
    }
  }

  private void deleted(Pod pod) {
    PodRun run;
    synchronized (runs) {
      run = runs.get(pod.getMetadata().getUid());
    }
    waitingForSlot.remove(pod.getMetadata().getUid());
    lost.remove(pod.getMetadata().getUid());
    if (run == null) {
      return;
    }
    run.deleted = true;
    cancelDeadline(run);
    if (run.alive()) {
      kill(run, "the Pod was deleted", gracePeriod(pod));
    } else {
      run.finished = true;
      forget(run);
      startWaitingPods();
    }
  }

  /** Asks the process tree to stop (SIGTERM), and kills it after the grace period. */
  private void kill(PodRun run, String why, Duration grace) {
    if (run.killing) {
      return;
    }
    run.killing = true;
    if (run.process == null) {
      // an instant answer: stopped at once, as a process that ends on SIGTERM
      run.directory.appendToLog("the local executor stops the instant runner: " + why);
      if (run.instantTask != null) {
        run.instantTask.cancel(true);
      }
      submit(() -> instantExited(run, INSTANT_STOPPED));
      return;
    }
    run.directory.appendToLog("the local executor stops the process: " + why);
    List<ProcessHandle> stopped = run.record.signal(false);
    run.forceKill =
        loopSchedule(
            () -> {
              run.record.signal(true);
              stopped.forEach(ProcessHandle::destroyForcibly);
            },
            grace);
  }

  /**
   * Kills what is left of a Pod whose process ended (the processes of its group and their
   * children), as a container's processes end with its main process, and forgets its record.
   */
  private void stopLeftovers(PodRun run) {
    if (run.record == null) {
      return; // an instant answer: no process, nothing recorded
    }
    run.record.kill(Duration.ofSeconds(2));
    if (record != null) {
      record.forgetPod(run.uid);
    }
  }

  /**
   * Fails as starting a missing program would without {@code setsid}, which itself starts and then
   * fails to run the program.
   */
  private static void requireExecutable(PodLaunch.Plan plan) throws IOException {
    String program = plan.command().get(0);
    if (!ProcessGroups.ownGroups()) {
      return;
    }
    List<Path> candidates = new ArrayList<>();
    if (program.contains("/")) {
      candidates.add(plan.workingDirectory().resolve(program));
    } else {
      String searchPath = plan.environment().getOrDefault("PATH", "/bin:/usr/bin");
      for (String dir : searchPath.split(":")) {
        candidates.add(Path.of(dir.isEmpty() ? "." : dir).resolve(program));
      }
    }
    if (candidates.stream().noneMatch(p -> Files.isExecutable(p) && !Files.isDirectory(p))) {
      throw new IOException("Cannot run program \"" + program + "\": no such executable");
    }
  }

  private void markLost(Pod pod) {
    PodDirectory.of(workDirectory, pod).killRecordedProcess();
    writeStatus(pod, PodStatuses.nodeLost(pod, clock.instant()));
  }

  private void startWaitingPods() {
    if (informer == null) {
      return;
    }
    informer.getStore().list().stream()
        .filter(p -> !runs.containsKey(p.getMetadata().getUid()))
        .sorted(
            Comparator.comparing(
                (Pod p) -> Objects.requireNonNullElse(p.getMetadata().getCreationTimestamp(), "")))
        .map(LocalExecutor::key)
        .forEach(this::reconcile);
  }

  private void forget(PodRun run) {
    synchronized (runs) {
      runs.remove(run.uid);
    }
    run.directory.delete();
  }

  private void cancelDeadline(PodRun run) {
    if (run.deadline != null) {
      run.deadline.cancel(false);
    }
  }

  // ---- API access ----

  private PodLaunch.References references() {
    return new PodLaunch.References() {
      @Override
      public Secret secret(String namespace, String name) {
        return client.secrets().inNamespace(namespace).withName(name).get();
      }

      @Override
      public ConfigMap configMap(String namespace, String name) {
        return client.configMaps().inNamespace(namespace).withName(name).get();
      }
    };
  }

  /**
   * Replaces the Pod's status, on the condition that the Pod is still the one this status is about
   * (same uid): a Pod deleted and created again under the same name keeps its own status.
   */
  /** Annotation of a Pod whose named ports the executor gave local ports: {@code name=port,...}. */
  public static final String PORTS_ANNOTATION = "local.tessera.dev/ports";

  /**
   * A free local port for each named container port: local Pods share the host's network, so a port
   * the Pod declares is given one that is free, passed as {@code TESSERA_<NAME>_PORT}.
   */
  private static Map<String, Integer> localPorts(Pod pod) throws IOException {
    Map<String, Integer> ports = new java.util.TreeMap<>();
    for (var container : pod.getSpec().getContainers()) {
      if (container.getPorts() == null) {
        continue;
      }
      for (var port : container.getPorts()) {
        if (port.getName() != null) {
          try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            ports.put(port.getName(), socket.getLocalPort());
          }
        }
      }
    }
    return ports;
  }

  /** Tells where the Pod's named ports listen, since kubectl port-forward has no local stand-in. */
  private void annotatePorts(Pod pod, Map<String, Integer> ports) {
    StringBuilder value = new StringBuilder();
    ports.forEach(
        (name, port) ->
            value.append(value.isEmpty() ? "" : ",").append(name).append('=').append(port));
    try {
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"metadata\":{\"annotations\":{"
                  + Serialization.asJson(PORTS_ANNOTATION)
                  + ":"
                  + Serialization.asJson(value.toString())
                  + "}}}");
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404 && !closed) {
        throw e;
      }
    }
  }

  /**
   * Writes a Pod's status in its lane, after the statuses decided before it: the loop goes on at
   * once, as a kubelet's status manager reports apart from its Pod workers.
   */
  private void writeStatus(Pod pod, PodStatus status) {
    ExecutorService lane =
        statusLanes[Math.floorMod(pod.getMetadata().getUid().hashCode(), statusLanes.length)];
    try {
      lane.execute(() -> writeStatusNow(pod, status));
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  private void writeStatusNow(Pod pod, PodStatus status) {
    String patch =
        "[{\"op\":\"test\",\"path\":\"/metadata/uid\",\"value\":"
            + Serialization.asJson(pod.getMetadata().getUid())
            + "},{\"op\":\"add\",\"path\":\"/status\",\"value\":"
            + Serialization.asJson(status)
            + "}]";
    try {
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .subresource("status")
          .patch(PatchContext.of(PatchType.JSON), patch);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404 && e.getCode() != 422 && !closed) {
        LOG.log(
            Level.WARNING,
            "could not update the status of Pod "
                + pod.getMetadata().getNamespace()
                + "/"
                + pod.getMetadata().getName(),
            e);
      }
    }
  }

  // ---- helpers ----

  private Duration gracePeriod(Pod pod) {
    Long seconds = pod.getSpec().getTerminationGracePeriodSeconds();
    Duration grace = Duration.ofSeconds(seconds == null ? 30 : seconds);
    return grace.compareTo(maxGracePeriod) > 0 ? maxGracePeriod : grace;
  }

  private static Container container(Pod pod) {
    return pod.getSpec().getContainers().get(0);
  }

  private static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  /**
   * Stops watching, kills every process this executor started (they do not outlive it) and reports
   * their Pods failed, then removes the work directory if the executor created it.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    try {
      loop.submit(this::shutDownPods).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.log(Level.FINE, "local executor shutdown", e);
    }
    // the statuses decided so far, the shutdown's included, reach the API before close returns
    for (ExecutorService lane : statusLanes) {
      lane.shutdown();
    }
    for (ExecutorService lane : statusLanes) {
      try {
        if (!lane.awaitTermination(10, TimeUnit.SECONDS)) {
          lane.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        lane.shutdownNow();
      }
    }
    closed = true;
    if (informer != null) {
      informer.close();
    }
    loop.shutdownNow();
    if (instantPool != null) {
      instantPool.shutdownNow();
    }
    if (ownsWorkDirectory) {
      PodDirectory.deleteRecursively(workDirectory);
    }
    if (record != null) {
      record.close();
    }
  }

  private void shutDownPods() {
    List<PodRun> active;
    synchronized (runs) {
      active = runs.values().stream().filter(PodRun::alive).toList();
    }
    for (PodRun run : active) {
      if (run.process == null) {
        if (run.instantTask != null) {
          run.instantTask.cancel(true);
        }
        run.instantExitCode = INSTANT_STOPPED;
      } else {
        run.record.signal(false);
      }
    }
    for (PodRun run : active) {
      try {
        if (run.process != null
            && !run.process.waitFor(maxGracePeriod.toMillis(), TimeUnit.MILLISECONDS)) {
          run.record.signal(true);
          run.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      stopLeftovers(run);
      run.finished = true;
      if (!run.deleted) {
        Instant now = clock.instant();
        PodStatus status =
            PodStatuses.terminated(
                run.pod,
                run.startTime,
                run.startedAt,
                now,
                run.pid(),
                run.exitCode(),
                "the local executor stopped",
                false);
        status.setReason("Terminated");
        status.setMessage("The local executor that ran this Pod stopped");
        status.setPhase("Failed");
        writeStatus(run.pod, status);
      }
    }
  }

  /** One Pod taken by this executor. Loop thread only, apart from reads of the log path. */
  private static final class PodRun {
    final Pod pod;
    final String uid;
    final String namespace;
    final String name;
    final PodDirectory directory;
    final Instant startTime;
    Process process;
    ProcessRecord record;

    /** Whether the instant runner answers for this Pod instead of a process. */
    boolean instant;

    /** Whether the instant runner is still answering (the Pod's "process" is alive). */
    volatile boolean instantAnswering;

    Future<?> instantTask;
    int instantExitCode;
    Instant startedAt;
    ScheduledFuture<?> deadline;
    ScheduledFuture<?> forceKill;
    String waitingMessage;
    boolean retryScheduled;
    boolean deadlineExceeded;
    boolean killing;
    boolean finished;
    boolean deleted;

    PodRun(Pod pod, PodDirectory directory, Instant startTime) {
      this.pod = pod;
      this.uid = pod.getMetadata().getUid();
      this.namespace = pod.getMetadata().getNamespace();
      this.name = pod.getMetadata().getName();
      this.directory = directory;
      this.startTime = startTime;
    }

    boolean alive() {
      return process != null ? process.isAlive() : instant && instantAnswering;
    }

    /** Whether a process or an instant answer was started for the Pod. */
    boolean started() {
      return process != null || instant;
    }

    int exitCode() {
      return process != null ? process.exitValue() : instantExitCode;
    }

    /** The process id, or 0 for an instant answer. */
    long pid() {
      return process != null ? process.pid() : 0;
    }
  }

  /** Options of a {@link LocalExecutor}. */
  public static final class Builder {
    private final KubernetesClient client;
    private ImageResolver images;
    private Path workDirectory;
    private Path stateDirectory;
    private int maxConcurrentPods = 4;
    private final Map<String, String> labelSelector = new LinkedHashMap<>();
    private String namespace;
    private Set<String> inheritedEnvironment = DEFAULT_INHERITED_ENVIRONMENT;
    private Duration maxGracePeriod = Duration.ofSeconds(10);
    private Duration retryInterval = Duration.ofSeconds(1);
    private Clock clock = Clock.systemUTC();
    private InstantRunner instantRunner;

    private Builder(KubernetesClient client) {
      this.client = Objects.requireNonNull(client);
    }

    /** How images become local commands (required). */
    public Builder imageResolver(ImageResolver resolver) {
      this.images = resolver;
      return this;
    }

    /** Where Pod directories go; by default a temporary directory removed on close. */
    public Builder workDirectory(Path directory) {
      this.workDirectory = directory;
      return this;
    }

    /**
     * Where the executor records the processes it runs and the work directory it creates, so that
     * an executor started later with the same state directory kills and removes what this one left
     * if it died without closing. Two executors that are alive cannot share one: the second fails
     * to start. By default nothing is recorded.
     */
    public Builder stateDirectory(Path directory) {
      this.stateDirectory = directory;
      return this;
    }

    /** How many processes run at once (default 4); other Pods stay Pending meanwhile. */
    public Builder maxConcurrentPods(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxConcurrentPods must be at least 1");
      }
      this.maxConcurrentPods = max;
      return this;
    }

    /** Runs only the Pods that have this label (may be called several times). */
    public Builder label(String key, String value) {
      labelSelector.put(key, value);
      return this;
    }

    /** Runs only the Pods of one namespace (default: all namespaces). */
    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    /** The variables of this JVM's environment that local processes inherit. */
    public Builder inheritedEnvironment(Set<String> names) {
      this.inheritedEnvironment = Set.copyOf(names);
      return this;
    }

    /** The longest a process is given to stop before it is killed (default 10 seconds). */
    public Builder maxGracePeriod(Duration grace) {
      this.maxGracePeriod = grace;
      return this;
    }

    /** How often a Pod waiting for a Secret or a slot is tried again (default 1 second). */
    public Builder retryInterval(Duration interval) {
      this.retryInterval = interval;
      return this;
    }

    /**
     * Answers every Pod whose image resolves with this runner instead of starting its process: for
     * benchmarks of orchestration only (no browser, no site; see {@link InstantRunner}), never for
     * correctness tests. The Pod is prepared (volumes, environment) as for a process, written
     * Running, answered on a small pool of threads and ended with the answer's exit status. Null
     * (the default) runs processes.
     */
    public Builder instantRunner(InstantRunner runner) {
      this.instantRunner = runner;
      return this;
    }

    Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public LocalExecutor build() {
      return new LocalExecutor(this);
    }

    /** Builds and starts the executor. */
    public LocalExecutor start() {
      return build().start();
    }
  }
}

package dev.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.api.v1alpha1.AttemptError;
import dev.tessera.api.v1alpha1.AttemptStatus;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.ValidationStatus;
import dev.tessera.demosite.DemoSiteStats.LoginCounts;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Who may change a session's state, and what a session survives, in local mode with the demo site's
 * counters as the witness: a Run made by hand that names a session operation is refused before it
 * touches anything (it would otherwise log in as whoever its Secret names and store that identity's
 * state in Alice's session), a recreation whose runner dies mid-login is retried without failing
 * the session, a state Secret that cannot be read is recreated with one login, and any number of
 * Runs that find the session expired cause one login, counted once.
 *
 * <p>Each test starts from a Ready {@code demo-alice} holding Alice's state. The hand-made
 * operations run last, since on a version that lets them through they replace Alice's state.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SessionOwnershipIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SESSION = "demo-alice";
  private static final String STATE_SECRET = "demo-alice-state";
  private static final String STATE_KEY = "storageState.json";
  private static final String GENERATION = "tessera.dev/state-generation";
  private static final String OTHER_USER = "carol";
  private static final String OTHER_PASSWORD = "carol-secret-42";
  private static final Duration FINISH = Duration.ofSeconds(180);
  private static ListAppender<ILoggingEvent> logs;
  private static LocalMode local;
  private static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    logs = LocalCluster.captureLogs();
    local = LocalCluster.startDemo();
    client = local.client();
    LocalCluster.awaitSession(client, SESSION, "Ready");
  }

  @AfterAll
  static void stop() {
    if (local != null) {
      local.close();
    }
  }

  /**
   * Every test starts from a Ready session. A test that failed on a version without the behaviour
   * may have left it Failed; an update (the documented way out) logs Alice in again, so that the
   * next test shows its own failure rather than this one's.
   */
  @BeforeEach
  void startFromAReadySession() {
    local.site().delayLogins(Duration.ZERO);
    await()
        .atMost(Duration.ofSeconds(150))
        .until(
            () -> {
              AuthSession s = session();
              return s != null
                  && s.getStatus() != null
                  && s.getStatus().getLockHolder() == null
                  && List.of("Ready", "Failed", "Expired").contains(s.getStatus().getPhase());
            });
    if (!"Ready".equals(session().getStatus().getPhase())) {
      System.out.println(
          "SessionOwnershipIT: " + SESSION + " is not Ready, updating it: " + json(session()));
      updateSession();
    }
    LocalCluster.awaitSession(client, SESSION, "Ready");
  }

  @AfterEach
  void releaseHeldLogins() {
    local.site().delayLogins(Duration.ZERO);
    local.site().dropHeldLogins();
  }

  // ---- 1. a recreation whose runner dies mid-login ----

  @Test
  @Order(1)
  void aRecreationWhoseRunnerIsKilledMidLoginIsRetriedAndNoSessionFails() throws Exception {
    Set<String> eventsBefore = eventNames();
    Set<String> runsBefore = runUids();
    long loginsBefore = logins("alice").succeeded();
    List<String> phases = new CopyOnWriteArrayList<>();
    try (Watch ignored = watchPhases(phases)) {
      local.site().delayLogins(Duration.ofSeconds(60));
      local.site().expireSessions();
      create(meRun("killed-mid-login"), Run.class);

      Run operation = awaitNewOperation(runsBefore, "killed-mid-login");
      String operationName = operation.getMetadata().getName();
      assertThat(operation.getSpec().getOperation().value())
          .as(json(operation))
          .isEqualTo("AuthSession:Validate");
      AtomicReference<Pod> pod = new AtomicReference<>();
      await("the site holds the login of " + operationName + " while its Pod runs")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                pod.set(runningPod(operationName).orElse(null));
                return pod.get() != null && local.site().heldLogins() == 1;
              });
      long killed = killProcessTree(pod.get());
      System.out.println(
          "SessionOwnershipIT: killed pid "
              + killed
              + " of Pod "
              + pod.get().getMetadata().getName()
              + " mid-login");
      local.site().delayLogins(Duration.ZERO);
      assertThat(local.site().dropHeldLogins()).isEqualTo(1);

      Run finishedOperation = awaitFinished(operationName);
      Run run = awaitFinished("killed-mid-login");
      AuthSession session = awaitSettled();
      SoftAssertions soft = new SoftAssertions();
      soft.assertThat(finishedOperation.getStatus().getPhase())
          .as("phase of %s: %s", operationName, json(finishedOperation))
          .isEqualTo("Succeeded");
      List<AttemptStatus> attempts =
          Objects.requireNonNullElse(finishedOperation.getStatus().getAttempts(), List.of());
      soft.assertThat(attempts).as("Attempts of %s", operationName).hasSize(2);
      AttemptStatus killedAttempt = attempts.isEmpty() ? new AttemptStatus() : attempts.get(0);
      AttemptError error = killedAttempt.getError();
      soft.assertThat(killedAttempt.getPhase())
          .as("phase of the killed Attempt of %s", operationName)
          .isEqualTo("Failed");
      soft.assertThat(error == null ? null : error.getCode())
          .as("error code of the killed Attempt of %s", operationName)
          .isEqualTo("RunnerCrashed");
      assertSucceededAsAlice(soft, run);
      soft.assertThat(session.getStatus().getPhase())
          .as("phase of %s: %s", SESSION, json(session))
          .isEqualTo("Ready");
      soft.assertThat(phases)
          .as("phases of %s seen during the test", SESSION)
          .doesNotContain("Failed");
      soft.assertThat(newEventsOn("AuthSession", SESSION, eventsBefore))
          .as("reasons of the new Events on %s", SESSION)
          .extracting(Event::getReason)
          .doesNotContain("RecreateFailed", "CreateFailed");
      soft.assertThat(logins("alice").succeeded())
          .as("alice's successful logins (before: %s)", loginsBefore)
          .isEqualTo(loginsBefore + 1);
      soft.assertAll();
    }
  }

  // ---- 2. an unreadable state ----

  @Test
  @Order(2)
  void anUnreadableStateSecretIsRecreatedWithOneLogin() throws Exception {
    Set<String> eventsBefore = eventNames();
    long loginsBefore = logins("alice").succeeded();
    Secret state = stateSecret();
    int generationBefore = generation(state);
    String validState = state.getData().get(STATE_KEY);
    byte[] garbage = new byte[64];
    new SecureRandom().nextBytes(garbage);
    String unreadable = Base64.getEncoder().encodeToString(garbage);
    state.getData().put(STATE_KEY, unreadable);
    client.resource(state).update();
    try {
      create(meRun("unreadable-state"), Run.class);
      Run run = awaitFinished("unreadable-state");

      SoftAssertions soft = new SoftAssertions();
      assertSucceededAsAlice(soft, run);
      soft.assertThat(logins("alice").succeeded())
          .as("alice's successful logins (before: %s)", loginsBefore)
          .isEqualTo(loginsBefore + 1);
      List<Event> events = awaitEvent("AuthSession", SESSION, "StateUnreadable", eventsBefore);
      soft.assertThat(events)
          .as("new Events on %s: %s", SESSION, json(events))
          .anySatisfy(
              e -> {
                assertThat(e.getReason()).isEqualTo("StateUnreadable");
                assertThat(e.getType()).isEqualTo("Warning");
              });
      soft.assertThat(generation(stateSecret()))
          .as("%s of %s; %s", GENERATION, STATE_SECRET, json(session()))
          .isEqualTo(generationBefore + 1);
      AuthSession session = awaitSettled();
      soft.assertThat(session.getStatus().getPhase())
          .as("phase of %s once the state was recreated: %s", SESSION, json(session))
          .isEqualTo("Ready");
      soft.assertAll();
    } finally {
      // a version that cannot read it leaves it unreadable: put Alice's (still valid) state back
      Secret after = stateSecret();
      if (after != null && unreadable.equals(after.getData().get(STATE_KEY))) {
        after.getData().put(STATE_KEY, validState);
        client.resource(after).update();
      }
    }
  }

  // ---- 3. many Runs on an expired session ----

  @Test
  @Order(3)
  void eightRunsOnAnExpiredSessionCauseOneLoginAndOneCountedCreate() throws Exception {
    int runs = 8;
    Set<String> runsBefore = runUids();
    long loginsBefore = logins("alice").succeeded();
    local.site().expireSessions();
    for (int i = 1; i <= runs; i++) {
      create(meRun("expired-" + i), Run.class);
    }
    List<Run> finished = new ArrayList<>();
    for (int i = 1; i <= runs; i++) {
      finished.add(awaitFinished("expired-" + i));
    }

    SoftAssertions soft = new SoftAssertions();
    finished.forEach(r -> assertSucceededAsAlice(soft, r));
    soft.assertThat(logins("alice").succeeded())
        .as("alice's successful logins (before: %s)", loginsBefore)
        .isEqualTo(loginsBefore + 1);
    List<Run> operations =
        operationRuns().stream().filter(r -> !runsBefore.contains(uid(r))).toList();
    List<Run> counted = new ArrayList<>(finished);
    counted.addAll(operations);
    Map<String, Integer> creates = new TreeMap<>();
    counted.forEach(r -> creates.put(r.getMetadata().getName(), creates(r)));
    soft.assertThat(creates.values().stream().mapToInt(Integer::intValue).sum())
        .as(
            "sum of status.attempts[].validation.creates over the Runs of this test %s;"
                + " operation Runs: %s",
            creates, json(operations))
        .isEqualTo(1);
    Set<String> operationNames =
        operations.stream().map(r -> r.getMetadata().getName()).collect(Collectors.toSet());
    for (Run run : finished) {
      List<AttemptStatus> attempts = run.getStatus().getAttempts();
      soft.assertThat(attempts)
          .as("Attempts of %s: %s", run.getMetadata().getName(), json(run))
          .isNotEmpty();
      ValidationStatus validation =
          attempts == null || attempts.isEmpty() ? null : attempts.get(0).getValidation();
      soft.assertThat(validation == null ? null : validation.getOutcome())
          .as("attempts[0].validation.outcome of %s: %s", run.getMetadata().getName(), json(run))
          .isEqualTo("Recreated");
      soft.assertThat(validation == null ? null : validation.getOperation())
          .as(
              "attempts[0].validation.operation of %s (operation Runs of this test: %s)",
              run.getMetadata().getName(), operationNames)
          .isIn(operationNames);
    }
    for (Run operation : operations) {
      soft.assertThat(operation.getSpec().getOperation().value())
          .as(json(operation))
          .isEqualTo("AuthSession:Validate");
      soft.assertThat(operation.getStatus().getPhase()).as(json(operation)).isEqualTo("Succeeded");
    }
    soft.assertAll();
  }

  // ---- 4. hand-made operation Runs ----

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"AuthSession:Create", "AuthSession:Update", "AuthSession:Validate"})
  @Order(4)
  void handMadeOperationRunsAreRejectedAndTouchNothing(String operation) throws Exception {
    String suffix = operation.substring(operation.indexOf(':') + 1).toLowerCase(Locale.ROOT);
    String name = "hand-made-" + suffix;
    String secret = "stolen-" + OTHER_USER + "-" + suffix;
    LoginCounts aliceBefore = logins("alice");
    LoginCounts otherBefore = logins(OTHER_USER);
    int generationBefore = generation(stateSecret());
    Set<String> eventsBefore = eventNames();
    create(
        "{apiVersion: v1, kind: Secret, metadata: {name: "
            + secret
            + ", namespace: default}, stringData: {username: "
            + OTHER_USER
            + ", password: "
            + OTHER_PASSWORD
            + "}}",
        Secret.class);
    Set<String> podsSeen = ConcurrentHashMap.newKeySet();
    try (Watch ignored = watchPods(name, podsSeen)) {
      create(
          "{apiVersion: tessera.dev/v1alpha1, kind: Run, metadata: {name: "
              + name
              + ", namespace: default}, spec: {project: demo-site, operation: \""
              + operation
              + "\", retry: {maxAttempts: 1}, authSession: {name: "
              + SESSION
              + ", runtimeCredentialsSecretRef: {name: "
              + secret
              + "}}}}",
          Run.class);
      Run run = awaitFinished(name);
      podsOf(name).forEach(p -> podsSeen.add(p.getMetadata().getName()));

      SoftAssertions soft = new SoftAssertions();
      soft.assertThat(run.getStatus().getPhase())
          .as("phase of %s: %s", name, json(run))
          .isEqualTo("Rejected");
      soft.assertThat(run.getStatus().getReason())
          .as("status.reason of %s", name)
          .isEqualTo("OperationNotAllowed");
      soft.assertThat(awaitEvent("Run", name, "OperationNotAllowed", eventsBefore))
          .as("reasons of the Events on Run %s", name)
          .extracting(Event::getReason)
          .contains("OperationNotAllowed");
      soft.assertThat(podsSeen).as("Pods labelled tessera.dev/run=%s", name).isEmpty();
      soft.assertThat(logins("alice")).as("alice's logins at the site").isEqualTo(aliceBefore);
      soft.assertThat(logins(OTHER_USER))
          .as("%s's logins at the site", OTHER_USER)
          .isEqualTo(otherBefore);
      soft.assertThat(generation(stateSecret()))
          .as("%s of %s; %s", GENERATION, STATE_SECRET, json(session()))
          .isEqualTo(generationBefore);

      create(meRun("after-" + name), Run.class);
      assertSucceededAsAlice(soft, awaitFinished("after-" + name));
      soft.assertAll();
    } finally {
      if (generation(stateSecret()) != generationBefore) {
        // the hand-made Run replaced the state (with another identity's, maybe): log Alice in
        // again, so that the next case starts from her state
        updateSession();
        LocalCluster.awaitSession(client, SESSION, "Ready");
      }
    }
  }

  // ---- last: nothing secret leaked ----

  @Test
  @Order(5)
  void noPasswordReachesARunSessionEventOrPod() throws Exception {
    List<String> texts = new ArrayList<>();
    client.resources(Run.class).inNamespace("default").list().getItems().stream()
        .map(SessionOwnershipIT::json)
        .forEach(texts::add);
    client.resources(AuthSession.class).inNamespace("default").list().getItems().stream()
        .map(SessionOwnershipIT::json)
        .forEach(texts::add);
    client.v1().events().inNamespace("default").list().getItems().stream()
        .map(SessionOwnershipIT::json)
        .forEach(texts::add);
    client.pods().inNamespace("default").list().getItems().stream()
        .map(SessionOwnershipIT::json)
        .forEach(texts::add);
    assertThat(texts).isNotEmpty();
    for (String text : texts) {
      assertThat(text).doesNotContain("wonderland").doesNotContain(OTHER_PASSWORD);
    }
  }

  // ---- helpers ----

  private static AuthSession session() {
    return LocalCluster.session(client, SESSION);
  }

  private static Run run(String name) {
    return LocalCluster.run(client, name);
  }

  private static <T extends HasMetadata> void create(String yaml, Class<T> type) throws Exception {
    LocalCluster.create(client, yaml, type);
  }

  private static String meRun(String name) {
    return "{apiVersion: tessera.dev/v1alpha1, kind: Run, metadata: {name: "
        + name
        + ", namespace: default}, spec: {project: demo-site, api: me, parameters: {page: 1},"
        + " authSession: {name: "
        + SESSION
        + "}}}";
  }

  /** Waits for a Run to end; on a timeout, fails with the Run as it stands. */
  private static Run awaitFinished(String name) {
    try {
      await()
          .atMost(FINISH)
          .until(
              () -> {
                Run run = run(name);
                return run != null
                    && run.getStatus() != null
                    && List.of("Succeeded", "Failed", "Canceled", "Rejected")
                        .contains(run.getStatus().getPhase());
              });
    } catch (ConditionTimeoutException e) {
      fail(
          "Run "
              + name
              + " did not finish within "
              + FINISH
              + ": "
              + json(run(name))
              + "; session: "
              + json(session())
              + "; the operator's last errors about it: "
              + logsAbout(name));
    }
    return run(name);
  }

  private static void assertSucceededAsAlice(SoftAssertions soft, Run run) {
    String name = run.getMetadata().getName();
    soft.assertThat(run.getStatus().getPhase())
        .as("phase of %s: %s", name, json(run))
        .isEqualTo("Succeeded");
    soft.assertThat(
            run.getStatus().getResult() == null
                ? null
                : run.getStatus().getResult().at("/me/username").asText())
        .as("status.result.me.username of %s", name)
        .isEqualTo("alice");
  }

  /** Waits for the session to be Ready, Failed or Expired with its lock free, and returns it. */
  private static AuthSession awaitSettled() {
    await()
        .atMost(Duration.ofSeconds(150))
        .until(
            () ->
                session().getStatus() != null
                    && session().getStatus().getLockHolder() == null
                    && List.of("Ready", "Failed", "Expired")
                        .contains(session().getStatus().getPhase()));
    return session();
  }

  /** The new Events on an object, once one has the reason or 10 seconds have passed. */
  private static List<Event> awaitEvent(
      String kind, String name, String reason, Set<String> before) {
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  newEventsOn(kind, name, before).stream()
                      .anyMatch(e -> reason.equals(e.getReason())));
    } catch (ConditionTimeoutException e) {
      // the caller's assertion says what is missing
    }
    return newEventsOn(kind, name, before);
  }

  /** The operator's last errors and warnings that name an object, with their causes. */
  private static String logsAbout(String name) {
    List<String> lines = new ArrayList<>();
    for (ILoggingEvent event : List.copyOf(logs.list)) {
      String text = event.getFormattedMessage();
      if (event.getLevel().isGreaterOrEqual(Level.WARN)
          && text != null
          && text.contains("'" + name + "'")) {
        StringBuilder line = new StringBuilder(event.getLevel() + " " + text);
        for (IThrowableProxy cause = event.getThrowableProxy();
            cause != null;
            cause = cause.getCause()) {
          line.append("\n  caused by ")
              .append(cause.getClassName())
              .append(": ")
              .append(cause.getMessage());
        }
        lines.add(line.toString());
      }
    }
    return lines.isEmpty()
        ? "none"
        : String.join("\n", lines.subList(Math.max(0, lines.size() - 2), lines.size()));
  }

  private static LoginCounts logins(String user) {
    return local.site().stats().loginsOf(user);
  }

  private static Secret stateSecret() {
    return client.secrets().inNamespace("default").withName(STATE_SECRET).get();
  }

  private static int generation(Secret state) {
    assertThat(state).as(STATE_SECRET).isNotNull();
    String value = state.getMetadata().getAnnotations().get(GENERATION);
    assertThat(value).as(json(state.getMetadata())).isNotNull();
    return Integer.parseInt(value);
  }

  private static String uid(HasMetadata object) {
    return object.getMetadata().getUid();
  }

  private static Set<String> runUids() {
    return client.resources(Run.class).inNamespace("default").list().getItems().stream()
        .map(SessionOwnershipIT::uid)
        .collect(Collectors.toSet());
  }

  /**
   * The operation Runs of the session: labelled as session operations, naming the session (by its
   * spec rather than by the session label, whose key may change).
   */
  private static List<Run> operationRuns() {
    return client
        .resources(Run.class)
        .inNamespace("default")
        .withLabel("tessera.dev/component", "session-operation")
        .list()
        .getItems()
        .stream()
        .filter(r -> r.getSpec().getAuthSession() != null)
        .filter(r -> SESSION.equals(r.getSpec().getAuthSession().getName()))
        .toList();
  }

  private static Run awaitNewOperation(Set<String> runsBefore, String asker) {
    AtomicReference<Run> found = new AtomicReference<>();
    try {
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                found.set(
                    operationRuns().stream()
                        .filter(r -> !runsBefore.contains(uid(r)))
                        .findFirst()
                        .orElse(null));
                return found.get() != null;
              });
    } catch (ConditionTimeoutException e) {
      fail(
          "no operation Run started on "
              + SESSION
              + (asker == null ? "" : " for " + json(run(asker)))
              + "; session: "
              + json(session()));
    }
    return found.get();
  }

  private static int creates(Run run) {
    if (run.getStatus() == null || run.getStatus().getAttempts() == null) {
      return 0;
    }
    return run.getStatus().getAttempts().stream()
        .map(AttemptStatus::getValidation)
        .filter(Objects::nonNull)
        .map(v -> v.getCreates() == null ? 0 : v.getCreates())
        .mapToInt(Integer::intValue)
        .sum();
  }

  private static List<Pod> podsOf(String run) {
    return client.pods().inNamespace("default").withLabel("tessera.dev/run", run).list().getItems();
  }

  /** The Pod of a Run whose process runs, with its pid ({@code containerID: local://<pid>}). */
  private static Optional<Pod> runningPod(String run) {
    return podsOf(run).stream().filter(p -> pid(p).isPresent()).findFirst();
  }

  private static Optional<Long> pid(Pod pod) {
    if (pod.getStatus() == null
        || !"Running".equals(pod.getStatus().getPhase())
        || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getContainerStatuses().stream()
        .map(ContainerStatus::getContainerID)
        .filter(id -> id != null && id.startsWith("local://"))
        .map(id -> Long.parseLong(id.substring("local://".length())))
        .findFirst();
  }

  /**
   * Kills a local Pod's process and everything it started (the Playwright driver, Chromium) with
   * SIGKILL, as the kernel kills a container: no shutdown hook runs, no report is sent.
   */
  private static long killProcessTree(Pod pod) {
    long pid = pid(pod).orElseThrow();
    ProcessHandle runner =
        ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid));
    List<ProcessHandle> tree = new ArrayList<>(runner.descendants().toList());
    tree.add(0, runner);
    tree.forEach(ProcessHandle::destroyForcibly);
    await().atMost(Duration.ofSeconds(10)).until(() -> !runner.isAlive());
    return pid;
  }

  private static Set<String> eventNames() {
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .map(e -> e.getMetadata().getName())
        .collect(Collectors.toSet());
  }

  private static List<Event> newEventsOn(String kind, String name, Set<String> before) {
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> !before.contains(e.getMetadata().getName()))
        .filter(e -> kind.equals(e.getInvolvedObject().getKind()))
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  /** Records every phase the session shows while the watch is open. */
  private static Watch watchPhases(List<String> phases) {
    return client
        .resources(AuthSession.class)
        .inNamespace("default")
        .withName(SESSION)
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, AuthSession session) {
                if (session.getStatus() != null) {
                  phases.add(session.getStatus().getPhase());
                }
              }

              @Override
              public void onClose(WatcherException cause) {}
            });
  }

  /** Records every Pod labelled with the Run that exists while the watch is open. */
  private static Watch watchPods(String run, Set<String> seen) {
    return client
        .pods()
        .inNamespace("default")
        .withLabel("tessera.dev/run", run)
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, Pod pod) {
                synchronized (seen) {
                  seen.add(pod.getMetadata().getName());
                }
              }

              @Override
              public void onClose(WatcherException cause) {}
            });
  }

  /**
   * Asks for an update of the session ({@code tessera.dev/update}), which logs in again with its
   * own credentials, and waits for the operation Run it starts to end and the lock to be free (the
   * session stays Ready while an update runs, so its phase says nothing).
   */
  private static void updateSession() {
    Set<String> runsBefore = runUids();
    String request = Long.toString(System.nanoTime());
    client
        .resources(AuthSession.class)
        .inNamespace("default")
        .withName(SESSION)
        .edit(
            s -> {
              Map<String, String> annotations = new HashMap<>();
              if (s.getMetadata().getAnnotations() != null) {
                annotations.putAll(s.getMetadata().getAnnotations());
              }
              annotations.put("tessera.dev/update", request);
              s.getMetadata().setAnnotations(annotations);
              return s;
            });
    Run update = awaitNewOperation(runsBefore, null);
    awaitFinished(update.getMetadata().getName());
    awaitSettled();
  }

  private static String json(Object object) {
    try {
      return JSON.writeValueAsString(object);
    } catch (JsonProcessingException e) {
      return String.valueOf(object);
    }
  }
}

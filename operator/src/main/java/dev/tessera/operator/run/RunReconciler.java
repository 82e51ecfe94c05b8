package dev.tessera.operator.run;

import dev.tessera.api.protocol.AttemptInput;
import dev.tessera.api.protocol.AttemptInputs;
import dev.tessera.api.protocol.AttemptResult;
import dev.tessera.api.protocol.ProtocolJson;
import dev.tessera.api.protocol.ProxyOptions;
import dev.tessera.api.protocol.RecordingOptions;
import dev.tessera.api.protocol.ValidationOutcome;
import dev.tessera.api.v1alpha1.AttemptStatus;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.Project;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.api.v1alpha1.Reason;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.RunAuthSessionSpec;
import dev.tessera.api.v1alpha1.RunStatus;
import dev.tessera.api.v1alpha1.SecretReference;
import dev.tessera.api.v1alpha1.SessionOperation;
import dev.tessera.api.v1alpha1.WhenLocked;
import dev.tessera.operator.OperatorConfig;
import dev.tessera.operator.artifacts.ArtifactPlans;
import dev.tessera.operator.artifacts.ArtifactStore;
import dev.tessera.operator.naming.Labels;
import dev.tessera.operator.naming.Names;
import dev.tessera.operator.naming.Owners;
import dev.tessera.operator.ops.OperatorMetrics;
import dev.tessera.operator.pod.AttemptPods;
import dev.tessera.operator.results.AttemptTokens;
import dev.tessera.operator.results.ResultSecrets;
import dev.tessera.operator.session.SessionLock;
import dev.tessera.operator.session.SessionSecrets;
import dev.tessera.operator.session.SessionSettings;
import dev.tessera.operator.status.EventRecorder;
import dev.tessera.operator.status.ReconcileErrors;
import dev.tessera.operator.status.StatusWriter;
import dev.tessera.operator.status.UnreadableObjects;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Reconciles Runs: reads the Run, its project, the current Attempt's Pod and reported result, asks
 * {@link RunProgress} what comes next, carries out its effects and writes the status.
 */
@ControllerConfiguration(name = RunReconciler.NAME)
public class RunReconciler implements Reconciler<Run> {
  public static final String NAME = "run";
  private static final Logger LOG = LoggerFactory.getLogger(RunReconciler.class);
  private static final String PODS = "attempt-pods";
  private static final String RESULTS = "attempt-results";
  private static final String PROJECTS = "projects";
  private static final String SESSIONS = "sessions";
  private static final String LOCKS = "session-locks";
  private static final String STATES = "session-states";

  private final OperatorConfig config;
  private final ArtifactStore artifacts;
  private final AttemptTokens tokens;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final Clock clock;

  public RunReconciler(
      OperatorConfig config,
      AttemptTokens tokens,
      EventRecorder events,
      OperatorMetrics metrics,
      Clock clock) {
    this(config, tokens, events, metrics, clock, null);
  }

  /**
   * @param artifacts where API Attempts keep what the browser saw; null keeps nothing
   */
  public RunReconciler(
      OperatorConfig config,
      AttemptTokens tokens,
      EventRecorder events,
      OperatorMetrics metrics,
      Clock clock,
      ArtifactStore artifacts) {
    this.artifacts = artifacts;
    this.config = config;
    this.tokens = tokens;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, Run>> prepareEventSources(EventSourceContext<Run> context) {
    var pods =
        InformerEventSourceConfiguration.from(Pod.class, Run.class)
            .withName(PODS)
            .withLabelSelector(Labels.ATTEMPT_PODS_SELECTOR)
            // what an Attempt's end is judged by (PodOutcome), not the spec the Pod was made with:
            // a finished Run's Pod stays until the Run goes, and its spec is most of its size
            .withItemStore(
                new ReducedStateItemStore<>(
                    ReducedStateItemStore.NAME_KEY_STATE,
                    Pod.class,
                    context.getClient().getKubernetesSerialization(),
                    "metadata.labels",
                    "metadata.ownerReferences",
                    "metadata.uid",
                    "spec.activeDeadlineSeconds",
                    "status"))
            .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(Run.class))
            .build();
    var results =
        InformerEventSourceConfiguration.from(Secret.class, Run.class)
            .withName(RESULTS)
            .withLabelSelector(Labels.managed(Labels.ATTEMPT_RESULT))
            .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(Run.class))
            .build();
    // a Run that waits to be admitted starts when its project or session comes or changes
    context.getPrimaryCache().addIndexer(WAITING_FOR, RunReconciler::waitingFor);
    var projects =
        InformerEventSourceConfiguration.from(Project.class, Run.class)
            .withName(PROJECTS)
            .withSecondaryToPrimaryMapper(project -> waiting(context, PROJECTS, project))
            .build();
    var sessions =
        InformerEventSourceConfiguration.from(AuthSession.class, Run.class)
            .withName(SESSIONS)
            .withSecondaryToPrimaryMapper(session -> waiting(context, SESSIONS, session))
            .build();
    // a session's lock and the metadata of its state, cached: a Run reads them at every look, and
    // a Run that waits for them wakes when they change instead of polling
    var locks =
        InformerEventSourceConfiguration.from(Lease.class, Run.class)
            .withName(LOCKS)
            .withLabelSelector(Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE)
            .withSecondaryToPrimaryMapper(lease -> waitingOnSessionOf(context, lease))
            .build();
    var states =
        InformerEventSourceConfiguration.from(Secret.class, Run.class)
            .withName(STATES)
            .withLabelSelector(SessionSecrets.STATE_SELECTOR)
            // the browser state itself is never cached: it is read to build a Pod's input
            .withItemStore(
                SessionSecrets.stateMetadataStore(context.getClient().getKubernetesSerialization()))
            .withSecondaryToPrimaryMapper(secret -> waitingOnSessionOf(context, secret))
            .build();
    return List.of(
        new InformerEventSource<>(pods, context),
        new InformerEventSource<>(results, context),
        new InformerEventSource<>(projects, context),
        new InformerEventSource<>(sessions, context),
        new InformerEventSource<>(locks, context),
        new InformerEventSource<>(states, context));
  }

  /** The Runs that wait for the session an object (its lock, its state) belongs to. */
  private static Set<ResourceID> waitingOnSessionOf(
      EventSourceContext<Run> context, HasMetadata object) {
    String session =
        object.getMetadata().getLabels() == null
            ? null
            : object.getMetadata().getLabels().get(Labels.SESSION);
    if (session == null) {
      return Set.of();
    }
    return context
        .getPrimaryCache()
        .byIndex(WAITING_FOR, waitingKey(SESSIONS, object.getMetadata().getNamespace(), session))
        .stream()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  private static final String WAITING_FOR = "waiting-for";

  /**
   * What a Run waits for, as index keys: its project and its session while it is not admitted, its
   * session while its Attempt waits for it (a lock, a recreation). Other Runs are not indexed, so
   * that a session that changes wakes only the Runs that wait for it.
   */
  private static List<String> waitingFor(Run run) {
    String phase = run.getStatus() == null ? null : run.getStatus().getPhase();
    if (phase != null && !RunProgress.PENDING.equals(phase)) {
      AttemptStatus current = RunProgress.current(run.getStatus());
      boolean attemptWaits =
          RunProgress.RUNNING.equals(phase)
              && current != null
              && current.getWaitingFor() != null
              && run.getSpec() != null
              && run.getSpec().getAuthSession() != null;
      return attemptWaits
          ? List.of(
              waitingKey(
                  SESSIONS,
                  run.getMetadata().getNamespace(),
                  run.getSpec().getAuthSession().getName()))
          : List.of();
    }
    String namespace = run.getMetadata().getNamespace();
    List<String> keys = new ArrayList<>();
    if (run.getSpec() != null && run.getSpec().getProject() != null) {
      keys.add(waitingKey(PROJECTS, namespace, run.getSpec().getProject()));
    }
    if (run.getSpec() != null && run.getSpec().getAuthSession() != null) {
      keys.add(waitingKey(SESSIONS, namespace, run.getSpec().getAuthSession().getName()));
    }
    return keys;
  }

  private static String waitingKey(String kind, String namespace, String name) {
    return kind + "/" + namespace + "/" + name;
  }

  private static Set<ResourceID> waiting(
      EventSourceContext<Run> context, String kind, HasMetadata object) {
    return context
        .getPrimaryCache()
        .byIndex(
            WAITING_FOR,
            waitingKey(kind, object.getMetadata().getNamespace(), object.getMetadata().getName()))
        .stream()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  @Override
  public UpdateControl<Run> reconcile(Run run, Context<Run> context) {
    metrics.watchRuns(() -> context.getPrimaryCache().list().toList());
    UnreadableObjects.check(run);
    MDC.put("run", Names.ref(run));
    try {
      return reconcileRun(run, context);
    } finally {
      MDC.remove("run");
    }
  }

  /**
   * The Lease that locks a Run's session. The cached copy serves a Run that waits for a locked
   * session (a lock seen a moment late only lets it start as if it had come a moment earlier); a
   * Run that asks to be rejected while the session is locked is answered on the Lease itself, read
   * at each look until it is admitted (once, for a Run admitted at its first look), since a cache
   * may not have seen a lock taken just before the Run was made.
   */
  private Lease lockOf(Context<Run> context, AuthSession session, Run run, boolean admitting) {
    if (admitting
        && WhenLocked.orDefault(run.getSpec().getAuthSession().getWhenLocked())
            == WhenLocked.Reject) {
      return SessionLock.read(context.getClient(), session);
    }
    return this.<Lease>cache(context, LOCKS)
        .get(
            new ResourceID(
                Names.sessionLock(session.getMetadata().getName()),
                session.getMetadata().getNamespace()))
        .orElse(null);
  }

  private UpdateControl<Run> reconcileRun(Run run, Context<Run> context) {
    String namespace = run.getMetadata().getNamespace();
    Project projectObject =
        this.<Project>cache(context, PROJECTS)
            .get(new ResourceID(run.getSpec().getProject(), namespace))
            .orElse(null);
    String projectProblem =
        projectObject == null
            ? null
            : UnreadableObjects.problem(projectObject)
                .orElse(projectObject.getSpec() == null ? "spec: Required value" : null);
    ProjectSpec project =
        projectProblem == null && projectObject != null ? projectObject.getSpec() : null;
    AuthSession session =
        run.getSpec().getAuthSession() == null
            ? null
            : this.<AuthSession>cache(context, SESSIONS)
                .get(new ResourceID(run.getSpec().getAuthSession().getName(), namespace))
                .orElse(null);
    boolean admitting =
        run.getStatus() == null
            || run.getStatus().getPhase() == null
            || RunProgress.PENDING.equals(run.getStatus().getPhase());
    if (run.getSpec().getOperation() != null && admitting) {
      // an operation Run is admitted on its session's record of it, written just before the Run
      // was created: read the session itself, since its cached copy may not have the record yet
      session =
          context
              .getClient()
              .resources(AuthSession.class)
              .inNamespace(namespace)
              .withName(run.getSpec().getAuthSession().getName())
              .get();
    }
    AttemptStatus current = RunProgress.current(run.getStatus());
    boolean finished =
        run.getStatus() != null && RunProgress.isFinished(run.getStatus().getPhase());
    SessionSecrets.State state = SessionSecrets.State.NONE;
    RunProgress.SessionView view = RunProgress.SessionView.NONE;
    Optional<SessionLock.Holder> lockHolder = Optional.empty();
    if (session != null && !finished) {
      SecretReference runtime = run.getSpec().getAuthSession().getRuntimeCredentialsSecretRef();
      boolean runtimeCredentialsFound =
          runtime != null
              && run.getSpec().getOperation() == null
              && admitting
              && SessionSecrets.hasKeys(context.getClient(), namespace, runtime.getName());
      // a session operation runs under the lock its session holds for it
      lockHolder =
          run.getSpec().getOperation() != null
              ? Optional.empty()
              : SessionLock.holderOf(lockOf(context, session, run, admitting), clock.instant());
      state = cachedState(context, session);
      view =
          new RunProgress.SessionView(
              lockHolder.map(SessionLock.Holder::identity).orElse(null),
              state,
              runtimeCredentialsFound);
    }
    Pod pod = null;
    boolean podGone = false;
    AttemptResult reported = null;
    if (current != null
        && RunProgress.RUNNING.equals(current.getPhase())
        && current.getWaitingFor() == null
        && !finished) {
      KubernetesClient client = context.getClient();
      pod =
          this.<Pod>cache(context, PODS)
              .get(new ResourceID(current.getPod(), namespace))
              .orElse(null);
      if (pod == null) {
        pod = client.pods().inNamespace(namespace).withName(current.getPod()).get();
        podGone = pod == null;
      }
      Secret resultSecret =
          this.<Secret>cache(context, RESULTS)
              .get(new ResourceID(Names.attemptInput(current.getPod()), namespace))
              .orElse(null);
      if (resultSecret == null && (podGone || (pod != null && isTerminal(pod)))) {
        resultSecret =
            client
                .secrets()
                .inNamespace(namespace)
                .withName(Names.attemptInput(current.getPod()))
                .get();
      }
      reported = resultSecret == null ? null : ResultSecrets.read(resultSecret);
    }

    RunProgress.Observation observation =
        new RunProgress.Observation(
            run, project, session, pod, podGone, reported, clock.instant(), view, projectProblem);
    RunProgress.Decision decision = RunProgress.decide(observation);
    if (session != null
        && decision.effects().stream().anyMatch(e -> e instanceof RunProgress.CreateAttempt)) {
      // a Pod's input carries the state itself: read it, and decide again on it when the cache was
      // behind it or it cannot be read
      SessionSecrets.State stored = SessionSecrets.state(context.getClient(), session);
      if (stored.generation() != state.generation() || stored.unreadable()) {
        view =
            new RunProgress.SessionView(view.lockHolder(), stored, view.runtimeCredentialsFound());
        decision =
            RunProgress.decide(
                new RunProgress.Observation(
                    run,
                    project,
                    session,
                    pod,
                    podGone,
                    reported,
                    observation.now(),
                    view,
                    projectProblem));
      }
      state = stored;
    }
    List<RunProgress.Effect> afterStatus = new ArrayList<>();
    for (RunProgress.Effect effect : decision.effects()) {
      if (effect instanceof RunProgress.DeleteResult) {
        afterStatus.add(effect);
      } else {
        apply(effect, run, project, session, state, context.getClient());
      }
    }
    decision.notes().forEach(note -> events.record(run, note.reason(), note.message()));
    decision.ended().forEach(a -> metrics.attemptEnded(a.phase(), a.duration()));
    countValidation(run, reported, decision);
    boolean finishedNow =
        RunProgress.isFinished(decision.status().getPhase())
            && (run.getStatus() == null || !RunProgress.isFinished(run.getStatus().getPhase()));
    if (finishedNow) {
      metrics.runFinished(decision.status().getPhase(), decision.status().getReason());
      LOG.info(
          "run finished: phase={} reason={}",
          decision.status().getPhase(),
          decision.status().getReason());
    }

    if (decision.effects().stream().anyMatch(e -> e instanceof RunProgress.DeleteRun)) {
      return UpdateControl.noUpdate();
    }
    if (!StatusWriter.unchanged(run.getStatus(), decision.status())) {
      run.setStatus(decision.status());
      StatusWriter.replaceStatus(run, context);
    }
    for (RunProgress.Effect effect : afterStatus) {
      apply(effect, run, project, session, state, context.getClient());
    }
    UpdateControl<Run> control = UpdateControl.noUpdate();
    Duration requeue = decision.requeueAfter();
    if (requeue != null
        && lockHolder.isPresent()
        && !RunProgress.isFinished(decision.status().getPhase())) {
      // a holder that stops renewing loses the lock without any event: look again then
      Duration expiry =
          Duration.between(clock.instant(), lockHolder.get().expiresAt()).plusMillis(100);
      requeue = expiry.compareTo(requeue) < 0 ? expiry : requeue;
    }
    if (requeue != null) {
      control.rescheduleAfter(requeue.isNegative() ? Duration.ZERO : requeue);
    }
    return control;
  }

  /** Counts the checks and creates a runner reported, recreations, and Attempts that wait. */
  private void countValidation(Run run, AttemptResult reported, RunProgress.Decision decision) {
    if (reported != null && reported.validation() != null) {
      metrics.sessionChecks(reported.validation().checks());
      metrics.sessionCreates(reported.validation().creates());
      if (run.getSpec().getOperation() == SessionOperation.VALIDATE
          && reported.validation().outcome() == ValidationOutcome.Created) {
        metrics.sessionRecreated();
      }
    }
    decision.notes().stream()
        .filter(note -> note.reason() == Reason.WaitingForSession)
        .forEach(note -> metrics.sessionLockWait());
  }

  private void apply(
      RunProgress.Effect effect,
      Run run,
      ProjectSpec project,
      AuthSession session,
      SessionSecrets.State state,
      KubernetesClient client) {
    String namespace = run.getMetadata().getNamespace();
    if (effect instanceof RunProgress.CreateAttempt create) {
      createAttempt(run, project, session, create.attempt(), create.pod(), state, client);
    } else if (effect instanceof RunProgress.DeletePod delete) {
      ignoreMissing(() -> client.pods().inNamespace(namespace).withName(delete.name()).delete());
    } else if (effect instanceof RunProgress.DeleteSecret delete) {
      ignoreMissing(() -> client.secrets().inNamespace(namespace).withName(delete.name()).delete());
    } else if (effect instanceof RunProgress.DeleteResult delete) {
      ignoreMissing(() -> client.secrets().inNamespace(namespace).withName(delete.name()).delete());
    } else if (effect instanceof RunProgress.DeleteRun) {
      LOG.info("deleting run: its ttlSecondsAfterFinished passed");
      ignoreMissing(() -> client.resource(run).delete());
    }
  }

  private void createAttempt(
      Run run,
      ProjectSpec project,
      AuthSession session,
      int attempt,
      String podName,
      SessionSecrets.State state,
      KubernetesClient client) {
    String namespace = run.getMetadata().getNamespace();
    // no read first: a create that finds the Secret made by an earlier try is answered 409
    AttemptInput input =
        attemptInput(run, project, session, attempt, state, client)
            .withResultLimitBytes(config.maxResultBytes());
    if (input instanceof AttemptInput.Api api && artifacts != null) {
      input =
          api.withArtifacts(
              ArtifactPlans.plan(
                  artifacts, run, project, attempt, RunProgress.timeoutSeconds(run, project)));
    }
    Secret secret =
        AttemptPods.inputSecret(
            run,
            attempt,
            podName,
            ProtocolJson.write(input),
            tokens.forAttempt(namespace, podName));
    createIfAbsent(() -> client.secrets().inNamespace(namespace).resource(secret).create());
    Pod pod =
        AttemptPods.pod(
            run,
            attempt,
            podName,
            project.getRunner(),
            isRecording(run, session)
                ? recordingTimeout(project)
                : RunProgress.timeoutSeconds(run, project),
            config);
    Pod toCreate =
        isRecording(run, session)
            ? AttemptPods.withRecorderPort(pod, RecordingOptions.DEFAULT_PORT)
            : pod;
    createIfAbsent(() -> client.pods().inNamespace(namespace).resource(toCreate).create());
    LOG.info("attempt {} started in pod {}", attempt, podName);
  }

  /**
   * What the Attempt's Pod gets: credentials for a create (and the current state for a recreating
   * validation, which checks it first), the state for an API, nothing more.
   */
  private static AttemptInput attemptInput(
      Run run,
      ProjectSpec project,
      AuthSession session,
      int attempt,
      SessionSecrets.State state,
      KubernetesClient client) {
    RunAuthSessionSpec auth = run.getSpec().getAuthSession();
    ProxyOptions proxy = session == null ? null : SessionSecrets.proxy(client, session);
    int checkAttempts =
        auth == null ? 0 : SessionSettings.checkAttempts(session, auth.getCheckAttempts());
    if (RunProgress.isValidation(run)) {
      return AttemptInputs.check(
          Names.ref(run),
          attempt,
          project,
          run.getSpec().getParameters(),
          checkAttempts,
          state.storageState(),
          proxy);
    }
    if (isRecording(run, session)) {
      return AttemptInputs.record(
          Names.ref(run),
          attempt,
          project,
          run.getSpec().getParameters(),
          checkAttempts,
          proxy,
          recorderToken(run, client));
    }
    if (run.getSpec().getOperation() != null) {
      AttemptInput.Create create =
          AttemptInputs.create(
              Names.ref(run),
              attempt,
              project,
              run.getSpec().getParameters(),
              SessionSecrets.credentials(client, session, run),
              SessionSettings.createAttempts(session),
              checkAttempts,
              proxy);
      // a recreation checks the current state once more before it logs in
      return run.getSpec().getOperation() == SessionOperation.VALIDATE
          ? create.withStorageState(state.storageState())
          : create;
    }
    if (auth == null) {
      return AttemptInputs.api(
          Names.ref(run),
          attempt,
          project,
          run.getSpec().getApi(),
          run.getSpec().getParameters(),
          false,
          0,
          null,
          null);
    }
    return AttemptInputs.api(
        Names.ref(run),
        attempt,
        project,
        run.getSpec().getApi(),
        run.getSpec().getParameters(),
        true,
        checkAttempts,
        state.storageState(),
        proxy);
  }

  /** A recording's Pod lives as long as the human may take, and a little more to save and check. */
  private static int recordingTimeout(ProjectSpec project) {
    Integer seconds = project.getAuthentication().getRecorder().getTimeoutSeconds();
    return (seconds == null ? 900 : seconds) + 120;
  }

  /** Whether the Run records a Recorder session: a human logs in through its hosted browser. */
  private static boolean isRecording(Run run, AuthSession session) {
    return run.getSpec().getOperation() == SessionOperation.CREATE
        && session != null
        && "Recorder".equals(session.getSpec().getType());
  }

  /**
   * The one-time token of a recording's hosted browser, kept in a Secret the recording's Run owns,
   * where the human reads it (the session's status says how).
   */
  private static String recorderToken(Run run, KubernetesClient client) {
    String name = Names.recorderToken(run.getMetadata().getName());
    String namespace = run.getMetadata().getNamespace();
    Secret existing = client.secrets().inNamespace(namespace).withName(name).get();
    if (existing != null && !Owners.isOwnedBy(existing, run)) {
      // left by an earlier Run of the same name, which garbage collection is deleting
      throw new IllegalStateException(
          "Secret " + name + " belongs to another object; the recording starts once it is gone");
    }
    if (existing != null && existing.getData() != null && existing.getData().get("token") != null) {
      return new String(
          java.util.Base64.getDecoder().decode(existing.getData().get("token")),
          java.nio.charset.StandardCharsets.UTF_8);
    }
    String token = AttemptTokens.newToken();
    Secret secret =
        new io.fabric8.kubernetes.api.model.SecretBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .addToLabels(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
            .addToLabels(Labels.COMPONENT, Labels.RECORDER_TOKEN)
            .withOwnerReferences(Owners.controller(run))
            .endMetadata()
            .withType("Opaque")
            .addToStringData("token", token)
            .build();
    client.secrets().inNamespace(namespace).resource(secret).create();
    return token;
  }

  private static boolean isTerminal(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  @SuppressWarnings("unchecked")
  private <R extends HasMetadata> InformerEventSource<R, Run> cache(
      Context<Run> context, String name) {
    return (InformerEventSource<R, Run>)
        context.eventSourceRetriever().getEventSourceFor(classOf(name), name);
  }

  /**
   * The session's state as its cached Secret's metadata says (generation, maker), or as the API
   * says when the cache has no Secret for a session whose status names a state.
   */
  private SessionSecrets.State cachedState(Context<Run> context, AuthSession session) {
    Secret cached =
        this.<Secret>cache(context, STATES)
            .get(
                new ResourceID(
                    Names.sessionState(session.getMetadata().getName()),
                    session.getMetadata().getNamespace()))
            .orElse(null);
    if (cached == null
        && session.getStatus() != null
        && session.getStatus().getStateGeneration() != null) {
      return SessionSecrets.state(context.getClient(), session);
    }
    return SessionSecrets.metadataOf(cached);
  }

  private static Class<?> classOf(String name) {
    return switch (name) {
      case PODS -> Pod.class;
      case RESULTS, STATES -> Secret.class;
      case LOCKS -> Lease.class;
      case SESSIONS -> AuthSession.class;
      default -> Project.class;
    };
  }

  private static void createIfAbsent(Runnable create) {
    try {
      create.run();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  private static void ignoreMissing(Runnable delete) {
    try {
      delete.run();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /**
   * An object this reconciler could not reconcile says why (condition and Warning Event); JOSDK
   * retries it with backoff, and the other objects go on.
   */
  @Override
  public ErrorStatusUpdateControl<Run> updateErrorStatus(
      Run run, Context<Run> context, Exception error) {
    return ReconcileErrors.update(
        run,
        context,
        error,
        RunStatus::new,
        (s, reason, m) -> {
          s.setReason(reason.name());
          s.setMessage(m);
        },
        events,
        clock);
  }
}

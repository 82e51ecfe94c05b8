package dev.tessera.operator.session;

import dev.tessera.api.protocol.AttemptResult;
import dev.tessera.api.v1alpha1.AttemptStatus;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.AuthSessionStatus;
import dev.tessera.api.v1alpha1.Project;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.SessionOperation;
import dev.tessera.api.v1alpha1.SessionOperationStatus;
import dev.tessera.operator.OperatorConfig;
import dev.tessera.operator.naming.Labels;
import dev.tessera.operator.naming.Names;
import dev.tessera.operator.results.ResultSecrets;
import dev.tessera.operator.status.EventRecorder;
import dev.tessera.operator.status.ReconcileErrors;
import dev.tessera.operator.status.StatusWriter;
import dev.tessera.operator.status.UnreadableObjects;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles AuthSessions, the only writer of a session's status, state Secret and lock: reads the
 * session, its state, its lock and every Run that names it, asks {@link SessionProgress} what comes
 * next, and carries it out: takes and renews the lock for an operation, records the operation in
 * the status before creating its Run (and the Run's UID after), stores the state an operation
 * reported, starts health checks, and keeps a bounded history.
 */
@ControllerConfiguration(name = AuthSessionReconciler.NAME)
public class AuthSessionReconciler implements Reconciler<AuthSession> {
  public static final String NAME = "authsession";
  private static final String RUNS = "session-runs";
  private static final String PROJECTS = "session-projects";
  private static final String LEASES = "session-locks";
  private static final String STATES = "session-states";

  private static final Logger LOG = LoggerFactory.getLogger(AuthSessionReconciler.class);

  private final EventRecorder events;
  private final Clock clock;
  private final Duration lockDuration;
  private final Duration lockRenewal;
  private final Duration secretRecheck;

  /** The sessions' locks and states as last read, read again when their caches show a change. */
  private final ReadSinceVersion<Lease> lockReads = new ReadSinceVersion<>();

  private final ReadSinceVersion<SessionSecrets.State> stateReads = new ReadSinceVersion<>();

  /** When the reads of sessions that are gone were last forgotten. */
  private final AtomicReference<Instant> lastForgotten = new AtomicReference<>(Instant.EPOCH);

  /** How often the reads of sessions that are gone are forgotten. */
  private static final Duration FORGET_GONE_EVERY = Duration.ofMinutes(10);

  public AuthSessionReconciler(EventRecorder events, Clock clock, OperatorConfig config) {
    this.events = events;
    this.clock = clock;
    this.lockDuration = config.sessionLockDuration();
    this.lockRenewal = config.sessionLockRenewal();
    this.secretRecheck = config.secretRecheck();
  }

  @Override
  public List<EventSource<?, AuthSession>> prepareEventSources(
      EventSourceContext<AuthSession> context) {
    // every Run that names a session: its operations and health checks, and the facts users' Runs
    // report (an Attempt that found the state invalid, or asks for a recreation)
    var runs =
        InformerEventSourceConfiguration.from(Run.class, AuthSession.class)
            .withName(RUNS)
            .withSecondaryToPrimaryMapper(
                run ->
                    run.getSpec() == null || run.getSpec().getAuthSession() == null
                        ? Set.of()
                        : Set.of(
                            new ResourceID(
                                run.getSpec().getAuthSession().getName(),
                                run.getMetadata().getNamespace())))
            // of a users' Run, only what it reports to the session wakes the session
            .withOnAddFilter(
                run ->
                    run.getSpec() == null
                        || SessionProgress.isOwn(run)
                        || !SessionProgress.reportedFacts(run).isEmpty())
            .withOnUpdateFilter(
                (updated, old) ->
                    updated.getSpec() == null
                        || SessionProgress.isOwn(updated)
                        || !SessionProgress.reportedFacts(updated)
                            .equals(SessionProgress.reportedFacts(old)))
            .build();
    var projects =
        InformerEventSourceConfiguration.from(Project.class, AuthSession.class)
            .withName(PROJECTS)
            .withSecondaryToPrimaryMapper(project -> Set.of())
            .build();
    var leases =
        InformerEventSourceConfiguration.from(Lease.class, AuthSession.class)
            .withName(LEASES)
            .withLabelSelector(Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE)
            .withSecondaryToPrimaryMapper(
                lease -> {
                  String session = lease.getMetadata().getLabels().get(Labels.SESSION);
                  return session == null
                      ? Set.of()
                      : Set.of(new ResourceID(session, lease.getMetadata().getNamespace()));
                })
            .build();
    // the metadata of the sessions' states: a change of a state is a change of its session
    var states =
        InformerEventSourceConfiguration.from(Secret.class, AuthSession.class)
            .withName(STATES)
            .withLabelSelector(SessionSecrets.STATE_SELECTOR)
            .withItemStore(
                SessionSecrets.stateMetadataStore(context.getClient().getKubernetesSerialization()))
            .withSecondaryToPrimaryMapper(
                secret -> {
                  String session = secret.getMetadata().getLabels().get(Labels.SESSION);
                  return session == null
                      ? Set.of()
                      : Set.of(new ResourceID(session, secret.getMetadata().getNamespace()));
                })
            .build();
    return List.of(
        new InformerEventSource<>(runs, context),
        new InformerEventSource<>(projects, context),
        new InformerEventSource<>(leases, context),
        new InformerEventSource<>(states, context));
  }

  @Override
  @SuppressWarnings("unchecked")
  public UpdateControl<AuthSession> reconcile(AuthSession session, Context<AuthSession> context) {
    UnreadableObjects.check(session);
    KubernetesClient client = context.getClient();
    String namespace = session.getMetadata().getNamespace();
    var projectCache =
        (InformerEventSource<Project, AuthSession>)
            context.eventSourceRetriever().getEventSourceFor(Project.class, PROJECTS);
    ProjectSpec project =
        projectCache
            .get(new ResourceID(session.getSpec().getProject(), namespace))
            .map(Project::getSpec)
            .orElse(null);
    List<Run> runs =
        withOperationRun(
            session,
            context
                .getSecondaryResourcesAsStream(Run.class)
                .sorted(
                    Comparator.comparing((Run r) -> r.getMetadata().getCreationTimestamp())
                        .thenComparing(r -> r.getMetadata().getName()))
                .toList(),
            client);
    SessionSecrets.CredentialsShape credentials =
        "Credentials".equals(session.getSpec().getType())
            ? SessionSecrets.credentialsShape(client, session)
            : null;
    SessionLock lock = new SessionLock(client, clock, lockDuration);
    String key = namespace + "/" + session.getMetadata().getName();
    forgetGoneSessions(context);
    // the lock and the state as read last, unless their caches show they changed since
    Lease lease =
        lockReads.get(
            key,
            cachedVersion(
                context, Lease.class, LEASES, Names.sessionLock(session.getMetadata().getName())),
            () -> {
              Lease read = SessionLock.read(client, session);
              return new ReadSinceVersion.Read<>(
                  read, read == null ? null : read.getMetadata().getResourceVersion());
            });
    Optional<SessionLock.Holder> holder = SessionLock.holderOf(lease, clock.instant());
    SessionOperationStatus op =
        session.getStatus() == null ? null : session.getStatus().getOperation();
    String ownIdentity =
        op == null ? null : SessionProgress.lockIdentity(op.getKind(), op.getName());
    // the lock held for this session's own operation does not stand in its way
    String lockHolder =
        holder
            .map(SessionLock.Holder::identity)
            .filter(
                identity ->
                    !(op != null
                        && SessionOperationStatus.RUNNING.equals(op.getOutcome())
                        && identity.equals(ownIdentity)))
            .orElse(null);
    SessionSecrets.ProxyShape proxy = SessionSecrets.proxyShape(client, session);
    SessionSecrets.State state =
        stateReads.get(
            key,
            cachedVersion(
                context, Secret.class, STATES, Names.sessionState(session.getMetadata().getName())),
            () -> SessionSecrets.versionedState(client, session));
    AttemptResult report = finishedReport(client, op, runs);
    SessionProgress.Decision decision =
        SessionProgress.decide(
            new SessionProgress.Observation(
                session,
                project,
                credentials == null ? null : credentials.version(),
                credentials == null ? null : credentials.keys(),
                proxy.fingerprint(),
                proxy.problem(),
                runs,
                state,
                lockHolder,
                report,
                clock.instant(),
                recording(client, session, op)));

    if (decision.store() != null) {
      stateReads.forget(key);
      int generation =
          SessionSecrets.storeState(client, session, report.storageState(), decision.store());
      decision.status().setStateGeneration(generation);
      LOG.info("stored the state {} reported (generation {})", decision.store(), generation);
    }
    SessionOperationStatus after = decision.status().getOperation();
    if (op != null
        && SessionOperationStatus.RUNNING.equals(op.getOutcome())
        && after != null
        && !SessionOperationStatus.RUNNING.equals(after.getOutcome())) {
      LOG.info(
          "{} {} ended {}{}",
          after.getKind().value(),
          after.getName(),
          after.getOutcome(),
          after.getCode() == null ? "" : " (" + after.getCode() + ")");
    }
    if (decision.renewLock() != null || decision.releaseLock() || decision.start() != null) {
      // written below: the next look reads the lock from the API
      lockReads.forget(key);
    }
    if (decision.renewLock() != null && !lock.tryAcquire(session, decision.renewLock())) {
      LOG.warn("could not renew the lock for {}", decision.renewLock());
    }
    if (decision.releaseLock() && op != null) {
      lock.release(session, ownIdentity);
      deleteReport(client, op, runs);
    }
    for (String name : decision.prune()) {
      LOG.info("deleting run {}: beyond the history kept", name);
      client.resources(Run.class).inNamespace(namespace).withName(name).delete();
    }
    if (decision.healthCheck() != null) {
      createIgnoringConflict(
          client, SessionOperations.healthCheck(session, decision.healthCheck()));
      LOG.info("started health check {}", decision.healthCheck());
    }
    Duration requeue = decision.requeueAfter();
    SessionProgress.Start start = decision.start();
    if (start != null
        && !lock.tryAcquire(session, SessionProgress.lockIdentity(start.kind(), start.name()))) {
      // someone else took it meanwhile: look again soon, start nothing
      return reschedule(UpdateControl.noUpdate(), SessionProgress.LOCK_POLL);
    }
    decision.notes().forEach(note -> events.record(session, note.reason(), note.message()));
    if (!StatusWriter.unchanged(session.getStatus(), decision.status())) {
      session.setStatus(decision.status());
      StatusWriter.replaceStatus(session, context);
    }
    String toCreate = start != null ? start.name() : decision.adopt();
    if (toCreate != null) {
      recordOperationRun(session, decision.status(), start, context);
    }
    if (decision.renewLock() != null || start != null) {
      requeue = min(requeue, lockRenewal);
    }
    if (session.getSpec().getCredentialsSecretRef() != null
        || (session.getSpec().getProxy() != null
            && session.getSpec().getProxy().getCredentialsSecretRef() != null)) {
      // users' Secrets are not watched (nor cached): read them again from time to time
      requeue = min(requeue, secretRecheck);
    }
    if (holder.isPresent() && lockHolder != null) {
      // a holder that stops renewing loses the lock without any event: look again then
      requeue =
          min(requeue, Duration.between(clock.instant(), holder.get().expiresAt()).plusMillis(100));
    }
    return reschedule(UpdateControl.noUpdate(), requeue);
  }

  /**
   * Forgets, at most every {@link #FORGET_GONE_EVERY}, what was read of the locks and states of
   * sessions that are gone (a deleted session is never looked at again to forget them itself).
   */
  private void forgetGoneSessions(Context<AuthSession> context) {
    Instant last = lastForgotten.get();
    Instant now = clock.instant();
    if (now.isBefore(last.plus(FORGET_GONE_EVERY)) || !lastForgotten.compareAndSet(last, now)) {
      return;
    }
    Set<String> live =
        context
            .getPrimaryCache()
            .list()
            .map(s -> s.getMetadata().getNamespace() + "/" + s.getMetadata().getName())
            .collect(Collectors.toSet());
    lockReads.retain(live::contains);
    stateReads.retain(live::contains);
  }

  /** The resourceVersion of an object a cache of this controller shows, or null without one. */
  @SuppressWarnings("unchecked")
  private static <T extends HasMetadata> String cachedVersion(
      Context<AuthSession> context, Class<T> type, String cache, String name) {
    var source =
        (InformerEventSource<T, AuthSession>)
            context.eventSourceRetriever().getEventSourceFor(type, cache);
    return source
        .get(new ResourceID(name, context.getPrimaryResource().getMetadata().getNamespace()))
        .map(o -> o.getMetadata().getResourceVersion())
        .orElse(null);
  }

  /**
   * The Pod of a Recorder session's recording in flight, whose address a human opens, or null. Not
   * cached: the session watches Runs, not Pods, and only a recording waiting for its human reads
   * it.
   */
  private static RecorderAccess.PodView recording(
      KubernetesClient client, AuthSession session, SessionOperationStatus op) {
    if (!"Recorder".equals(session.getSpec().getType())
        || op == null
        || op.getKind() != SessionOperation.CREATE
        || !SessionOperationStatus.RUNNING.equals(op.getOutcome())
        || op.getUid() == null) {
      return null;
    }
    Pod pod =
        client
            .pods()
            .inNamespace(session.getMetadata().getNamespace())
            .withName(Names.attemptPod(op.getName(), op.getUid(), 1))
            .get();
    return pod == null ? null : RecorderAccess.PodView.of(pod);
  }

  /**
   * Creates the operation Run the status records (after the record is written, so that an operation
   * Run exists only once it is recorded), and records its UID: the proof that admits it.
   */
  private void recordOperationRun(
      AuthSession session,
      AuthSessionStatus status,
      SessionProgress.Start start,
      Context<AuthSession> context) {
    SessionOperationStatus op = status.getOperation();
    SessionProgress.Start toStart =
        start != null
            ? start
            : new SessionProgress.Start(
                op.getKind(), op.getName(), op.getReplacesGeneration(), null);
    Run run = SessionOperations.operation(session, toStart);
    if (start == null) {
      Run existing = context.getClient().resource(run).get();
      if (existing != null) {
        run.getSpec()
            .getAuthSession()
            .setRuntimeCredentialsSecretRef(
                existing.getSpec().getAuthSession() == null
                    ? null
                    : existing.getSpec().getAuthSession().getRuntimeCredentialsSecretRef());
      }
    }
    Run created = SessionOperations.createOrFind(context.getClient(), session, run);
    if (created == null) {
      LOG.warn(
          "a Run named {} existed that this session did not start; it was deleted", op.getName());
      return;
    }
    op.setUid(created.getMetadata().getUid());
    session.setStatus(status);
    StatusWriter.replaceStatus(session, context);
    LOG.info("started {} {}", op.getKind().value(), op.getName());
  }

  /**
   * The session's Runs, with the operation in flight among them even when the cache does not have
   * it yet: a Run created a moment ago may reach the informer after the session's next look, which
   * would otherwise take it for deleted (and its operation for interrupted) while it runs.
   */
  private static List<Run> withOperationRun(
      AuthSession session, List<Run> cached, KubernetesClient client) {
    SessionOperationStatus op =
        session.getStatus() == null ? null : session.getStatus().getOperation();
    if (op == null
        || op.getUid() == null
        || !SessionOperationStatus.RUNNING.equals(op.getOutcome())
        || cached.stream().anyMatch(r -> op.getUid().equals(r.getMetadata().getUid()))) {
      return cached;
    }
    Run run =
        client
            .resources(Run.class)
            .inNamespace(session.getMetadata().getNamespace())
            .withName(op.getName())
            .get();
    if (run == null || !op.getUid().equals(run.getMetadata().getUid())) {
      return cached;
    }
    List<Run> all = new ArrayList<>(cached);
    all.add(run);
    return all;
  }

  /** What the finished operation in flight reported (its result Secret), or null. */
  private static AttemptResult finishedReport(
      KubernetesClient client, SessionOperationStatus op, List<Run> runs) {
    Run run = operationRun(op, runs);
    if (run == null
        || op.getUid() == null
        || !SessionOperationStatus.RUNNING.equals(op.getOutcome())
        || run.getStatus() == null
        || !dev.tessera.api.v1alpha1.RunPhase.Succeeded.is(run.getStatus().getPhase())) {
      return null;
    }
    Secret secret = reportSecret(client, run);
    return secret == null ? null : ResultSecrets.read(secret);
  }

  private static void deleteReport(
      KubernetesClient client, SessionOperationStatus op, List<Run> runs) {
    Run run = operationRun(op, runs);
    AttemptStatus attempt = run == null ? null : current(run);
    if (attempt != null && attempt.getPod() != null) {
      client
          .secrets()
          .inNamespace(run.getMetadata().getNamespace())
          .withName(Names.attemptInput(attempt.getPod()))
          .delete();
    }
  }

  private static Secret reportSecret(KubernetesClient client, Run run) {
    AttemptStatus attempt = current(run);
    if (attempt == null || attempt.getPod() == null) {
      return null;
    }
    return client
        .secrets()
        .inNamespace(run.getMetadata().getNamespace())
        .withName(Names.attemptInput(attempt.getPod()))
        .get();
  }

  private static Run operationRun(SessionOperationStatus op, List<Run> runs) {
    if (op == null) {
      return null;
    }
    return runs.stream()
        .filter(r -> r.getMetadata().getName().equals(op.getName()))
        .filter(r -> op.getUid() == null || op.getUid().equals(r.getMetadata().getUid()))
        .findFirst()
        .orElse(null);
  }

  private static AttemptStatus current(Run run) {
    List<AttemptStatus> attempts = run.getStatus() == null ? null : run.getStatus().getAttempts();
    return attempts == null || attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
  }

  private static void createIgnoringConflict(KubernetesClient client, Run run) {
    try {
      client.resource(run).create();
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  private static Duration min(Duration a, Duration b) {
    if (b == null) {
      return a;
    }
    if (b.isNegative()) {
      b = Duration.ZERO;
    }
    return a == null || b.compareTo(a) < 0 ? b : a;
  }

  private static UpdateControl<AuthSession> reschedule(
      UpdateControl<AuthSession> control, Duration after) {
    if (after != null) {
      control.rescheduleAfter(after);
    }
    return control;
  }

  /**
   * An object this reconciler could not reconcile says why (condition and Warning Event); JOSDK
   * retries it with backoff, and the other objects go on.
   */
  @Override
  public ErrorStatusUpdateControl<AuthSession> updateErrorStatus(
      AuthSession session, Context<AuthSession> context, Exception error) {
    return ReconcileErrors.update(
        session,
        context,
        error,
        AuthSessionStatus::new,
        (s, reason, m) -> {
          s.setReason(reason.name());
          s.setMessage(m);
        },
        events,
        clock);
  }
}

package dev.tessera.operator.session;

import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.Project;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.operator.OperatorConfig;
import dev.tessera.operator.lock.SessionLock;
import dev.tessera.operator.naming.Labels;
import dev.tessera.operator.status.EventRecorder;
import dev.tessera.operator.status.StatusWriter;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles AuthSessions: starts the {@code AuthSession:Create} Run that logs in, reports the
 * session's phase from its operation Runs (create, and the validations Runs start to recreate it)
 * and its lock's holder, and keeps a bounded history of operation Runs. Every operation is visible
 * with {@code kubectl get runs} and owned by the session.
 */
@ControllerConfiguration(name = AuthSessionReconciler.NAME)
public class AuthSessionReconciler implements Reconciler<AuthSession> {
  public static final String NAME = "authsession";
  private static final String OPERATIONS = "session-operations";
  private static final String PROJECTS = "session-projects";
  private static final String LEASES = "session-locks";

  private static final Logger LOG = LoggerFactory.getLogger(AuthSessionReconciler.class);

  private final EventRecorder events;
  private final Clock clock;
  private final Duration lockDuration;
  private final Duration secretRecheck;

  public AuthSessionReconciler(EventRecorder events, Clock clock, OperatorConfig config) {
    this.events = events;
    this.clock = clock;
    this.lockDuration = config.sessionLockDuration();
    this.secretRecheck = config.secretRecheck();
  }

  @Override
  public List<EventSource<?, AuthSession>> prepareEventSources(
      EventSourceContext<AuthSession> context) {
    var operations =
        InformerEventSourceConfiguration.from(Run.class, AuthSession.class)
            .withName(OPERATIONS)
            .withLabelSelector(Labels.COMPONENT + "=" + Labels.SESSION_OPERATION)
            .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(AuthSession.class))
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
    return List.of(
        new InformerEventSource<>(operations, context),
        new InformerEventSource<>(projects, context),
        new InformerEventSource<>(leases, context));
  }

  @Override
  @SuppressWarnings("unchecked")
  public UpdateControl<AuthSession> reconcile(AuthSession session, Context<AuthSession> context) {
    String namespace = session.getMetadata().getNamespace();
    var projectCache =
        (InformerEventSource<Project, AuthSession>)
            context.eventSourceRetriever().getEventSourceFor(Project.class, PROJECTS);
    ProjectSpec project =
        projectCache
            .get(new ResourceID(session.getSpec().getProject(), namespace))
            .map(Project::getSpec)
            .orElse(null);
    List<Run> operations =
        context
            .getSecondaryResourcesAsStream(Run.class)
            .filter(r -> r.getSpec().getOperation() != null)
            .sorted(
                Comparator.comparing((Run r) -> r.getMetadata().getCreationTimestamp())
                    .thenComparing(r -> r.getMetadata().getName()))
            .toList();
    SessionSecrets.CredentialsShape credentials =
        "Credentials".equals(session.getSpec().getType())
            ? SessionSecrets.credentialsShape(context.getClient(), session)
            : null;
    Optional<SessionLock.Holder> holder =
        new SessionLock(context.getClient(), clock, lockDuration).holder(session);
    String lockHolder = holder.map(SessionLock.Holder::identity).orElse(null);
    SessionSecrets.ProxyShape proxy = SessionSecrets.proxyShape(context.getClient(), session);
    SessionProgress.Decision decision =
        SessionProgress.decide(
            new SessionProgress.Observation(
                session,
                project,
                credentials == null ? null : credentials.version(),
                credentials == null ? null : credentials.keys(),
                proxy.fingerprint(),
                proxy.problem(),
                operations,
                lockHolder,
                clock.instant()));
    if (decision.start() != null) {
      SessionProgress.Start start = decision.start();
      if (SessionOperations.start(
          context.getClient(),
          session,
          start.operation(),
          start.name(),
          SessionOperations.auth(session, start.recreate(), null))) {
        LOG.info("started {} {}", start.operation(), start.name());
      }
    }
    for (String name : decision.prune()) {
      LOG.info("deleting operation run {}: beyond the history kept", name);
      context.getClient().resources(Run.class).inNamespace(namespace).withName(name).delete();
    }
    decision.notes().forEach(note -> events.record(session, note.reason(), note.message()));
    if (!StatusWriter.unchanged(session.getStatus(), decision.status())) {
      session.setStatus(decision.status());
      StatusWriter.replaceStatus(session, context);
    }
    UpdateControl<AuthSession> control = UpdateControl.noUpdate();
    Duration requeue = decision.requeueAfter();
    if (session.getSpec().getCredentialsSecretRef() != null
        || (session.getSpec().getProxy() != null
            && session.getSpec().getProxy().getCredentialsSecretRef() != null)) {
      // users' Secrets are not watched (nor cached): read them again from time to time
      requeue = requeue == null || secretRecheck.compareTo(requeue) < 0 ? secretRecheck : requeue;
    }
    if (holder.isPresent()) {
      // a holder that stops renewing loses the lock without any event: look again then
      Duration untilExpiry =
          Duration.between(clock.instant(), holder.get().expiresAt()).plusMillis(100);
      requeue = requeue == null || untilExpiry.compareTo(requeue) < 0 ? untilExpiry : requeue;
    }
    if (requeue != null) {
      control.rescheduleAfter(requeue);
    }
    return control;
  }
}

package dev.tessera.operator.session;

import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.Project;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.api.v1alpha1.RetrySpec;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.RunAuthSessionSpec;
import dev.tessera.api.v1alpha1.RunSpec;
import dev.tessera.operator.naming.Labels;
import dev.tessera.operator.naming.Names;
import dev.tessera.operator.naming.Owners;
import dev.tessera.operator.run.RunAdmission;
import dev.tessera.operator.status.EventRecorder;
import dev.tessera.operator.status.StatusWriter;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reconciles AuthSessions: starts the {@code AuthSession:Create} Run that logs in, and reports the
 * session's phase from it. The create Run, like every session operation, is visible with {@code
 * kubectl get runs} and owned by the session.
 */
@ControllerConfiguration(name = AuthSessionReconciler.NAME)
public class AuthSessionReconciler implements Reconciler<AuthSession> {
  public static final String NAME = "authsession";
  private static final String OPERATIONS = "session-operations";
  private static final String PROJECTS = "session-projects";
  private static final String OPERATION_COMPONENT = "session-operation";

  private final EventRecorder events;
  private final Clock clock;

  public AuthSessionReconciler(EventRecorder events, Clock clock) {
    this.events = events;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, AuthSession>> prepareEventSources(
      EventSourceContext<AuthSession> context) {
    var operations =
        InformerEventSourceConfiguration.from(Run.class, AuthSession.class)
            .withName(OPERATIONS)
            .withLabelSelector(Labels.COMPONENT + "=" + OPERATION_COMPONENT)
            .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(AuthSession.class))
            .build();
    var projects =
        InformerEventSourceConfiguration.from(Project.class, AuthSession.class)
            .withName(PROJECTS)
            .withSecondaryToPrimaryMapper(project -> Set.of())
            .build();
    return List.of(
        new InformerEventSource<>(operations, context),
        new InformerEventSource<>(projects, context));
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
    List<Run> creates =
        context
            .getSecondaryResourcesAsStream(Run.class)
            .filter(r -> RunAdmission.CREATE.equals(r.getSpec().getOperation()))
            .sorted(
                Comparator.comparing((Run r) -> r.getMetadata().getCreationTimestamp())
                    .thenComparing(r -> r.getMetadata().getName()))
            .toList();
    String credentialsVersion =
        "Credentials".equals(session.getSpec().getType())
            ? SessionSecrets.credentialsVersion(context.getClient(), session)
            : null;
    SessionProgress.Decision decision =
        SessionProgress.decide(
            new SessionProgress.Observation(
                session, project, credentialsVersion, creates, clock.instant()));
    if (decision.startCreate() != null) {
      startCreate(session, decision.startCreate(), context);
    }
    decision.notes().forEach(note -> events.record(session, note.reason(), note.message()));
    if (!StatusWriter.unchanged(session.getStatus(), decision.status())) {
      session.setStatus(decision.status());
      StatusWriter.replaceStatus(session, context);
    }
    UpdateControl<AuthSession> control = UpdateControl.noUpdate();
    if (decision.requeueAfter() != null) {
      control.rescheduleAfter(decision.requeueAfter());
    }
    return control;
  }

  private void startCreate(AuthSession session, int number, Context<AuthSession> context) {
    String name = session.getMetadata().getName();
    RunAuthSessionSpec auth = new RunAuthSessionSpec();
    auth.setName(name);
    RetrySpec retry = new RetrySpec();
    retry.setMaxAttempts(1);
    RunSpec spec = new RunSpec();
    spec.setProject(session.getSpec().getProject());
    spec.setOperation(RunAdmission.CREATE);
    spec.setAuthSession(auth);
    spec.setRetry(retry);
    Run run = new Run();
    run.setMetadata(
        new ObjectMetaBuilder()
            .withName(Names.sessionCreateRun(name, number))
            .withNamespace(session.getMetadata().getNamespace())
            .withLabels(
                Map.of(
                    Labels.MANAGED_BY,
                    Labels.MANAGED_BY_VALUE,
                    Labels.COMPONENT,
                    OPERATION_COMPONENT,
                    Labels.SESSION,
                    name))
            .withOwnerReferences(Owners.controller(session))
            .build());
    run.setSpec(spec);
    try {
      context.getClient().resource(run).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }
}

package dev.tessera.operator.project;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.api.v1alpha1.Project;
import dev.tessera.api.v1alpha1.ProjectStatus;
import dev.tessera.api.v1alpha1.Reason;
import dev.tessera.operator.status.Conditions;
import dev.tessera.operator.status.EventRecorder;
import dev.tessera.operator.status.ReconcileErrors;
import dev.tessera.operator.status.StatusWriter;
import dev.tessera.operator.status.UnreadableObjects;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Reconciles Projects: says in their status and Events whether they are valid, and why not. */
@ControllerConfiguration(name = ProjectReconciler.NAME)
public class ProjectReconciler implements Reconciler<Project> {
  public static final String NAME = "project";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final EventRecorder events;
  private final Clock clock;

  public ProjectReconciler(EventRecorder events, Clock clock) {
    this.events = events;
    this.clock = clock;
  }

  @Override
  public UpdateControl<Project> reconcile(Project project, Context<Project> context) {
    UnreadableObjects.check(project);
    ProjectStatus status =
        project.getStatus() == null
            ? new ProjectStatus()
            : JSON.convertValue(project.getStatus(), ProjectStatus.class);
    if (status.getConditions() == null) {
      status.setConditions(new ArrayList<>());
    }
    status.setObservedGeneration(project.getMetadata().getGeneration());
    status.setApis(
        project.getSpec().getApis() == null
            ? List.of()
            : List.copyOf(new TreeSet<>(project.getSpec().getApis().keySet())));
    status.setAuthenticationEnabled(
        project.getSpec().getAuthentication() != null
            && Boolean.TRUE.equals(project.getSpec().getAuthentication().getEnabled()));
    List<String> problems = ProjectValidation.problems(project.getSpec());
    Reason reason = problems.isEmpty() ? Reason.ProjectValid : Reason.ProjectInvalid;
    String message =
        problems.isEmpty() ? "the project is valid; Runs may use it" : String.join("; ", problems);
    boolean changed =
        Conditions.set(
            status.getConditions(),
            Conditions.READY,
            problems.isEmpty() ? Conditions.TRUE : Conditions.FALSE,
            reason.name(),
            message,
            status.getObservedGeneration(),
            clock.instant());
    if (changed) {
      events.record(project, reason, message);
    }
    if (!StatusWriter.unchanged(project.getStatus(), status)) {
      project.setStatus(status);
      StatusWriter.replaceStatus(project, context);
    }
    return UpdateControl.noUpdate();
  }

  /**
   * An object this reconciler could not reconcile says why (condition and Warning Event); JOSDK
   * retries it with backoff, and the other objects go on.
   */
  @Override
  public ErrorStatusUpdateControl<Project> updateErrorStatus(
      Project project, Context<Project> context, Exception error) {
    return ReconcileErrors.update(
        project, context, error, ProjectStatus::new, (s, reason, m) -> {}, events, clock);
  }
}

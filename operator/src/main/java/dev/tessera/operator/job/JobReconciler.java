package dev.tessera.operator.job;

import dev.tessera.api.v1alpha1.Job;
import dev.tessera.api.v1alpha1.JobRun;
import dev.tessera.api.v1alpha1.JobRunSpec;
import dev.tessera.api.v1alpha1.JobStatus;
import dev.tessera.api.v1alpha1.Project;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.operator.OperatorConfig;
import dev.tessera.operator.naming.Labels;
import dev.tessera.operator.naming.Names;
import dev.tessera.operator.naming.Owners;
import dev.tessera.operator.status.EventRecorder;
import dev.tessera.operator.status.ReconcileErrors;
import dev.tessera.operator.status.StatusWriter;
import dev.tessera.operator.status.UnreadableObjects;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles Jobs: their validity, the JobRuns their schedule is due for, and the history of
 * finished JobRuns, from {@link JobProgress}.
 */
@ControllerConfiguration(name = JobReconciler.NAME)
public class JobReconciler implements Reconciler<Job> {
  public static final String NAME = "job";
  private static final Logger LOG = LoggerFactory.getLogger(JobReconciler.class);
  private static final String JOB_RUNS = "job-jobruns";

  private final Duration secretRecheck;
  private final EventRecorder events;
  private final Clock clock;

  public JobReconciler(OperatorConfig config, EventRecorder events, Clock clock) {
    this.secretRecheck = config.secretRecheck();
    this.events = events;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, Job>> prepareEventSources(EventSourceContext<Job> context) {
    var jobRuns =
        InformerEventSourceConfiguration.from(JobRun.class, Job.class)
            .withName(JOB_RUNS)
            .withSecondaryToPrimaryMapper(
                jobRun ->
                    jobRun.getSpec() == null
                        ? Set.<ResourceID>of()
                        : Set.of(
                            new ResourceID(
                                jobRun.getSpec().getJob(), jobRun.getMetadata().getNamespace())))
            .build();
    return List.of(new InformerEventSource<>(jobRuns, context));
  }

  @Override
  public UpdateControl<Job> reconcile(Job job, Context<Job> context) {
    UnreadableObjects.check(job);
    KubernetesClient client = context.getClient();
    String namespace = job.getMetadata().getNamespace();
    Project project =
        client
            .resources(Project.class)
            .inNamespace(namespace)
            .withName(job.getSpec().getProject())
            .get();
    ProjectSpec projectSpec = project == null ? null : project.getSpec();
    List<JobRun> jobRuns =
        context
            .getSecondaryResourcesAsStream(JobRun.class)
            .filter(r -> job.getMetadata().getName().equals(r.getSpec().getJob()))
            .toList();
    jobRuns.forEach(jobRun -> adopt(job, jobRun, client));
    JobProgress.Decision decision =
        JobProgress.decide(
            new JobProgress.Observation(
                job,
                projectSpec,
                jobRuns,
                clock.instant(),
                SigningSecrets.fetch(client, namespace, job.getSpec().getSink()),
                secretRecheck));
    for (JobProgress.Effect effect : decision.effects()) {
      if (effect instanceof JobProgress.CreateJobRun create) {
        createJobRun(job, create, client);
      } else if (effect instanceof JobProgress.DeleteJobRun delete) {
        LOG.info("deleting jobrun {}: beyond the Job's history limits", delete.name());
        client.resources(JobRun.class).inNamespace(namespace).withName(delete.name()).delete();
      }
    }
    decision.notes().forEach(note -> events.record(job, note.reason(), note.message()));
    if (!StatusWriter.unchanged(job.getStatus(), decision.status())) {
      job.setStatus(decision.status());
      StatusWriter.replaceStatus(job, context);
    }
    UpdateControl<Job> control = UpdateControl.noUpdate();
    if (decision.requeueAfter() != null) {
      control.rescheduleAfter(decision.requeueAfter());
    }
    return control;
  }

  /**
   * Makes the Job the controller owner of a JobRun created by hand, as it is of those its schedule
   * creates, so that deleting the Job deletes it. The JobRun may have been created before the Job:
   * this runs whenever the Job is reconciled, which each JobRun naming it triggers.
   */
  private static void adopt(Job job, JobRun jobRun, KubernetesClient client) {
    Optional<List<OwnerReference>> references = Owners.adopted(jobRun, job);
    if (references.isEmpty()) {
      return;
    }
    Map<String, Object> metadata = new HashMap<>();
    // a merge patch replaces the whole list: it applies only to the version it was made from
    metadata.put("resourceVersion", jobRun.getMetadata().getResourceVersion());
    metadata.put("ownerReferences", references.get());
    try {
      client
          .resources(JobRun.class)
          .inNamespace(jobRun.getMetadata().getNamespace())
          .withName(jobRun.getMetadata().getName())
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              client.getKubernetesSerialization().asJson(Map.of("metadata", metadata)));
      LOG.info("jobrun {} is now owned by its job {}", Names.ref(jobRun), Names.ref(job));
    } catch (KubernetesClientException e) {
      // changed or deleted meanwhile: a change brings the Job's next reconciliation
      if (e.getCode() != 409 && e.getCode() != 404) {
        throw e;
      }
    }
  }

  private static void createJobRun(
      Job job, JobProgress.CreateJobRun create, KubernetesClient client) {
    JobRunSpec spec = new JobRunSpec();
    spec.setJob(job.getMetadata().getName());
    JobRun jobRun = new JobRun();
    jobRun.setMetadata(
        new ObjectMetaBuilder()
            .withName(create.name())
            .withNamespace(job.getMetadata().getNamespace())
            .withLabels(
                Map.of(
                    Labels.MANAGED_BY,
                    Labels.MANAGED_BY_VALUE,
                    Labels.JOB,
                    job.getMetadata().getName()))
            .withAnnotations(
                Map.of(
                    JobProgress.TRIGGER_ANNOTATION,
                    "Schedule",
                    JobProgress.SCHEDULED_AT_ANNOTATION,
                    create.scheduledAt().toString()))
            .withOwnerReferences(Owners.controller(job))
            .build());
    jobRun.setSpec(spec);
    try {
      client.resource(jobRun).create();
      LOG.info("created jobrun {} for {}", create.name(), create.scheduledAt());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  /**
   * An object this reconciler could not reconcile says why (condition and Warning Event); JOSDK
   * retries it with backoff, and the other objects go on.
   */
  @Override
  public ErrorStatusUpdateControl<Job> updateErrorStatus(
      Job job, Context<Job> context, Exception error) {
    return ReconcileErrors.update(
        job, context, error, JobStatus::new, (s, reason, m) -> {}, events, clock);
  }
}

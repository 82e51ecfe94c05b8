package dev.tessera.operator.job;

import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.Job;
import dev.tessera.api.v1alpha1.JobRun;
import dev.tessera.api.v1alpha1.JobRunStatus;
import dev.tessera.api.v1alpha1.JobSpec;
import dev.tessera.api.v1alpha1.PayloadItem;
import dev.tessera.api.v1alpha1.Project;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.RunAuthSessionSpec;
import dev.tessera.api.v1alpha1.RunSpec;
import dev.tessera.operator.OperatorConfig;
import dev.tessera.operator.naming.Labels;
import dev.tessera.operator.naming.Names;
import dev.tessera.operator.naming.Owners;
import dev.tessera.operator.session.SessionLock;
import dev.tessera.operator.session.SessionSecrets;
import dev.tessera.operator.status.EventRecorder;
import dev.tessera.operator.status.ReconcileErrors;
import dev.tessera.operator.status.StatusWriter;
import dev.tessera.operator.status.UnreadableObjects;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles JobRuns: reads the JobRun, its Job, project, session and Runs, asks {@link
 * JobRunProgress} what comes next, and carries it out: the session's check and recreation, the Runs
 * of the payload, cancellation.
 */
@ControllerConfiguration(name = JobRunReconciler.NAME)
public class JobRunReconciler implements Reconciler<JobRun> {
  public static final String NAME = "jobrun";
  private static final Logger LOG = LoggerFactory.getLogger(JobRunReconciler.class);
  private static final String RUNS = "jobrun-runs";

  private final OperatorConfig config;
  private final EventRecorder events;
  private final Clock clock;
  private final WebhookDeliveries deliveries;

  public JobRunReconciler(OperatorConfig config, EventRecorder events, Clock clock) {
    this.config = config;
    this.events = events;
    this.clock = clock;
    this.deliveries = new WebhookDeliveries(clock);
  }

  @Override
  public List<EventSource<?, JobRun>> prepareEventSources(EventSourceContext<JobRun> context) {
    var runs =
        InformerEventSourceConfiguration.from(Run.class, JobRun.class)
            .withName(RUNS)
            // the JobRun's Runs and its check of the session, both labelled with the Job
            .withLabelSelector(Labels.JOB)
            .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(JobRun.class))
            .build();
    return List.of(new InformerEventSource<>(runs, context));
  }

  @Override
  public UpdateControl<JobRun> reconcile(JobRun jobRun, Context<JobRun> context) {
    UnreadableObjects.check(jobRun);
    KubernetesClient client = context.getClient();
    String namespace = jobRun.getMetadata().getNamespace();
    Job job =
        client
            .resources(Job.class)
            .inNamespace(namespace)
            .withName(jobRun.getSpec().getJob())
            .get();
    JobSpec spec =
        jobRun.getStatus() != null && jobRun.getStatus().getJobSnapshot() != null
            ? jobRun.getStatus().getJobSnapshot()
            : job == null ? null : job.getSpec();
    ProjectSpec project = null;
    AuthSession session = null;
    String lockHolder = null;
    int generation = 0;
    Map<String, Run> operations = new HashMap<>();
    if (spec != null) {
      Project found =
          client.resources(Project.class).inNamespace(namespace).withName(spec.getProject()).get();
      project = found == null ? null : found.getSpec();
      if (spec.getAuthSession() != null) {
        session =
            client
                .resources(AuthSession.class)
                .inNamespace(namespace)
                .withName(spec.getAuthSession().getName())
                .get();
      }
    }
    if (session != null) {
      lockHolder =
          new SessionLock(client, clock, config.sessionLockDuration())
              .holder(session)
              .map(SessionLock.Holder::identity)
              .orElse(null);
      generation = SessionSecrets.state(client, session).generation();
    }
    List<Run> owned = context.getSecondaryResourcesAsStream(Run.class).toList();
    owned.forEach(r -> operations.put(r.getMetadata().getName(), r));
    List<Run> runs = owned.stream().filter(r -> !isCheck(r)).toList();
    List<String> earlier =
        client.resources(JobRun.class).inNamespace(namespace).list().getItems().stream()
            .filter(other -> other.getSpec().getJob().equals(jobRun.getSpec().getJob()))
            .filter(other -> !other.getMetadata().getName().equals(jobRun.getMetadata().getName()))
            .filter(
                other ->
                    other.getStatus() == null
                        || !JobRunProgress.isFinished(other.getStatus().getPhase()))
            .filter(other -> createdBefore(other, jobRun))
            .map(other -> other.getMetadata().getName())
            .sorted()
            .toList();
    JobRunProgress.Decision decision =
        JobRunProgress.decide(
            new JobRunProgress.Observation(
                jobRun,
                job == null ? null : job.getSpec(),
                project,
                session,
                runs,
                operations,
                lockHolder,
                generation,
                clock.instant(),
                earlier,
                notStarted(jobRun) && spec != null
                    ? SigningSecrets.fetch(client, namespace, spec.getSink())
                    : null));
    for (JobRunProgress.Effect effect : decision.effects()) {
      apply(effect, jobRun, decision.status().getJobSnapshot(), session, runs, client);
    }
    decision.notes().forEach(note -> events.record(jobRun, note.reason(), note.message()));
    java.time.Duration requeue = decision.requeueAfter();
    JobSpec snapshot = decision.status().getJobSnapshot();
    if (snapshot != null && snapshot.getSink() != null) {
      WebhookDeliveries.Result delivery =
          deliveries.deliver(client, jobRun, snapshot.getSink(), runs);
      decision.status().setDelivery(delivery.status());
      if (delivery.requeueAfter() != null
          && (requeue == null || delivery.requeueAfter().compareTo(requeue) < 0)) {
        requeue = delivery.requeueAfter();
      }
    }
    if (!StatusWriter.unchanged(jobRun.getStatus(), decision.status())) {
      jobRun.setStatus(decision.status());
      StatusWriter.replaceStatus(jobRun, context);
    }
    UpdateControl<JobRun> control = UpdateControl.noUpdate();
    if (requeue != null) {
      control.rescheduleAfter(requeue);
    }
    return control;
  }

  private void apply(
      JobRunProgress.Effect effect,
      JobRun jobRun,
      JobSpec job,
      AuthSession session,
      List<Run> runs,
      KubernetesClient client) {
    if (effect instanceof JobRunProgress.StartCheck check) {
      createCheck(jobRun, job, check.name(), client);
    } else if (effect instanceof JobRunProgress.CreateRun create) {
      createRun(jobRun, job, create.index(), client);
    } else if (effect instanceof JobRunProgress.CancelJobRun replaced) {
      LOG.info("canceling jobrun {}: replaced by {}", replaced.name(), Names.ref(jobRun));
      client
          .resources(JobRun.class)
          .inNamespace(jobRun.getMetadata().getNamespace())
          .withName(replaced.name())
          .edit(
              other -> {
                other.getSpec().setCancel(true);
                if (other.getMetadata().getAnnotations() == null) {
                  other.getMetadata().setAnnotations(new HashMap<>());
                }
                other
                    .getMetadata()
                    .getAnnotations()
                    .put(JobRunProgress.REPLACED_BY_ANNOTATION, jobRun.getMetadata().getName());
                return other;
              });
    } else if (effect instanceof JobRunProgress.CancelRun cancel) {
      runs.stream()
          .filter(r -> r.getMetadata().getName().equals(cancel.name()))
          .findFirst()
          .ifPresent(
              run ->
                  client
                      .resources(Run.class)
                      .inNamespace(run.getMetadata().getNamespace())
                      .withName(run.getMetadata().getName())
                      .edit(
                          r -> {
                            r.getSpec().setCancel(true);
                            return r;
                          }));
    }
  }

  /**
   * Whether the JobRun has not taken its Job's snapshot yet: its start checks the Job's Secrets.
   */
  private static boolean notStarted(JobRun jobRun) {
    return jobRun.getStatus() == null
        || jobRun.getStatus().getPhase() == null
        || JobRunProgress.PENDING.equals(jobRun.getStatus().getPhase());
  }

  /** Whether {@code a} was created before {@code b} (names break ties). */
  private static boolean createdBefore(JobRun a, JobRun b) {
    String ta = a.getMetadata().getCreationTimestamp();
    String tb = b.getMetadata().getCreationTimestamp();
    int byTime = ta == null || tb == null ? 0 : ta.compareTo(tb);
    return byTime != 0
        ? byTime < 0
        : a.getMetadata().getName().compareTo(b.getMetadata().getName()) < 0;
  }

  private static boolean isCheck(Run run) {
    return run.getMetadata().getLabels() != null
        && Labels.JOB_RUN_CHECK.equals(run.getMetadata().getLabels().get(Labels.COMPONENT));
  }

  /**
   * The JobRun's check of its session before its first Run: a Run without an API, which validates
   * the session and has it recreated when the Job allows it.
   */
  private static void createCheck(
      JobRun jobRun, JobSpec job, String name, KubernetesClient client) {
    RunSpec spec = new RunSpec();
    spec.setProject(job.getProject());
    spec.setAuthSession(sessionOf(job));
    spec.setTimeoutSeconds(job.getTimeoutSeconds());
    create(jobRun, name, Map.of(Labels.COMPONENT, Labels.JOB_RUN_CHECK), spec, client);
  }

  private static void createRun(JobRun jobRun, JobSpec job, int index, KubernetesClient client) {
    PayloadItem item = job.getPayload().get(index);
    RunSpec spec = new RunSpec();
    spec.setProject(job.getProject());
    spec.setApi(item.getApi());
    spec.setParameters(item.getParameters());
    spec.setRetry(item.getRetry() != null ? item.getRetry() : job.getRetry());
    spec.setTimeoutSeconds(job.getTimeoutSeconds());
    // a Run of a JobRun never stops for its session: it waits, and asks for the recreation the
    // session makes once for every Run that asks, when the Job allows it
    spec.setAuthSession(job.getAuthSession() == null ? null : sessionOf(job));
    create(
        jobRun,
        JobRunProgress.runName(jobRun.getMetadata().getName(), index),
        Map.of(Labels.JOB_RUN, jobRun.getMetadata().getName()),
        spec,
        client);
  }

  /**
   * How the JobRun's Runs and check use the Job's session: the Job's settings over the session's.
   */
  private static RunAuthSessionSpec sessionOf(JobSpec job) {
    RunAuthSessionSpec auth = new RunAuthSessionSpec();
    auth.setName(job.getAuthSession().getName());
    auth.setAutoRecreate(job.getAuthSession().getAutoRecreate());
    auth.setCheckAttempts(job.getAuthSession().getCheckAttempts());
    return auth;
  }

  /** Creates a Run owned by the JobRun and labelled with its Job, unless it exists. */
  private static void create(
      JobRun jobRun,
      String name,
      Map<String, String> labels,
      RunSpec spec,
      KubernetesClient client) {
    Map<String, String> all = new HashMap<>(labels);
    all.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
    all.put(Labels.JOB, jobRun.getSpec().getJob());
    Run run = new Run();
    run.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(jobRun.getMetadata().getNamespace())
            .withLabels(all)
            .withOwnerReferences(Owners.controller(jobRun))
            .build());
    run.setSpec(spec);
    try {
      client.resource(run).create();
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
  public ErrorStatusUpdateControl<JobRun> updateErrorStatus(
      JobRun jobRun, Context<JobRun> context, Exception error) {
    return ReconcileErrors.update(
        jobRun,
        context,
        error,
        JobRunStatus::new,
        (s, reason, m) -> {
          s.setReason(reason.name());
          s.setMessage(m);
        },
        events,
        clock);
  }
}

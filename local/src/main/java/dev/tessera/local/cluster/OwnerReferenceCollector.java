package dev.tessera.local.cluster;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Owner-reference garbage collection, which the API server's controller manager does in a real
 * cluster: an object all of whose owners are gone is deleted (in the background), and so on down
 * the chain (a JobRun owns Runs, a Run owns Pods and Secrets). Objects of a deleted namespace are
 * deleted too.
 *
 * <p>It sweeps periodically rather than following watches: every sweep lists the objects of every
 * resource the API lists and deletes, so it also catches what was orphaned while it was not
 * running. Before deleting, it reads each owner once more, so that an owner created during the
 * sweep keeps its dependents.
 */
public final class OwnerReferenceCollector implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(OwnerReferenceCollector.class.getName());
  private static final int MAX_ROUNDS = 10;
  private static final Duration FULL_SWEEP_INTERVAL = Duration.ofMinutes(1);

  private final KubernetesClient client;
  private final Duration interval;
  private final boolean ownsClient;
  private final ScheduledExecutorService scheduler;
  private final AtomicBoolean deletions = new AtomicBoolean(true);
  private volatile boolean onDeletionOnly;
  private volatile boolean closing;
  private Set<String> knownNamespaces = Set.of();
  private long lastSweep;
  private boolean failing;

  /** A collector that sweeps every second. */
  public OwnerReferenceCollector(KubernetesClient client) {
    this(client, Duration.ofSeconds(1), false);
  }

  /**
   * A collector.
   *
   * @param ownsClient whether {@link #close()} closes the client too
   */
  public OwnerReferenceCollector(KubernetesClient client, Duration interval, boolean ownsClient) {
    this.client = Objects.requireNonNull(client);
    this.interval = Objects.requireNonNull(interval);
    this.ownsClient = ownsClient;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "tessera-local-garbage-collector");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Sweeps only after {@link #objectsDeleted()} was called (and once a minute regardless), instead
   * of at every interval: the embedded API calls it on every deletion.
   */
  OwnerReferenceCollector onDeletionOnly() {
    this.onDeletionOnly = true;
    return this;
  }

  /** Tells the collector that objects were deleted, so that the next sweep looks for orphans. */
  public void objectsDeleted() {
    deletions.set(true);
  }

  /** Starts sweeping periodically. */
  public OwnerReferenceCollector start() {
    scheduler.scheduleWithFixedDelay(
        this::sweepQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * Deletes every object whose owners are all gone, repeating until a pass deletes nothing (at most
   * ten passes), and the objects of namespaces deleted since the previous sweep.
   *
   * @return how many objects were deleted
   */
  public synchronized int sweep() {
    int deleted = 0;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      int deletedThisRound = sweepOnce();
      deleted += deletedThisRound;
      if (deletedThisRound == 0) {
        break;
      }
    }
    return deleted;
  }

  private void sweepQuietly() {
    boolean due = System.nanoTime() - lastSweep > FULL_SWEEP_INTERVAL.toNanos();
    if (onDeletionOnly && !deletions.getAndSet(false) && !due) {
      return;
    }
    try {
      lastSweep = System.nanoTime();
      sweep();
      if (failing) {
        LOG.info("garbage collection works again");
        failing = false;
      }
    } catch (RuntimeException e) {
      if (closing) {
        return;
      }
      deletions.set(true);
      if (!failing) {
        LOG.log(Level.WARNING, "garbage collection failed; retrying every " + interval, e);
        failing = true;
      }
    }
  }

  private int sweepOnce() {
    Map<ResourceDefinitionContext, List<GenericKubernetesResource>> objects = new LinkedHashMap<>();
    for (ResourceDefinitionContext type : collectableTypes()) {
      var operation = client.genericKubernetesResources(type);
      objects.put(
          type,
          type.isNamespaceScoped()
              ? operation.inAnyNamespace().list().getItems()
              : operation.list().getItems());
    }
    Set<String> liveUids = new HashSet<>();
    Set<String> namespaces = new HashSet<>();
    objects.forEach(
        (type, items) -> {
          for (GenericKubernetesResource item : items) {
            liveUids.add(item.getMetadata().getUid());
            if (type.getGroup().isEmpty() && type.getKind().equals("Namespace")) {
              namespaces.add(item.getMetadata().getName());
            }
          }
        });
    Set<String> deletedNamespaces = new HashSet<>(knownNamespaces);
    deletedNamespaces.removeAll(namespaces);
    knownNamespaces = namespaces;
    int deleted = 0;
    for (var entry : objects.entrySet()) {
      ResourceDefinitionContext type = entry.getKey();
      for (GenericKubernetesResource item : entry.getValue()) {
        if (item.getMetadata().getDeletionTimestamp() != null) {
          continue;
        }
        boolean namespaceGone =
            type.isNamespaceScoped()
                && deletedNamespaces.contains(item.getMetadata().getNamespace());
        if (namespaceGone || isOrphan(item, liveUids, objects.keySet())) {
          if (delete(type, item)) {
            deleted++;
          }
        }
      }
    }
    return deleted;
  }

  private boolean isOrphan(
      GenericKubernetesResource item, Set<String> liveUids, Set<ResourceDefinitionContext> types) {
    List<OwnerReference> owners = item.getMetadata().getOwnerReferences();
    if (owners == null || owners.isEmpty()) {
      return false;
    }
    for (OwnerReference owner : owners) {
      if (liveUids.contains(owner.getUid())) {
        return false;
      }
    }
    // Read the owners again: one may have been created after the listing above.
    for (OwnerReference owner : owners) {
      if (ownerExists(owner, item.getMetadata().getNamespace(), types)) {
        return false;
      }
    }
    return true;
  }

  private boolean ownerExists(
      OwnerReference owner, String namespace, Set<ResourceDefinitionContext> types) {
    for (ResourceDefinitionContext type : types) {
      String apiVersion =
          type.getGroup().isEmpty() ? type.getVersion() : type.getGroup() + "/" + type.getVersion();
      if (apiVersion.equals(owner.getApiVersion()) && type.getKind().equals(owner.getKind())) {
        var operation = client.genericKubernetesResources(type);
        GenericKubernetesResource found =
            type.isNamespaceScoped() && namespace != null
                ? operation.inNamespace(namespace).withName(owner.getName()).get()
                : operation.withName(owner.getName()).get();
        return found != null && Objects.equals(found.getMetadata().getUid(), owner.getUid());
      }
    }
    return false;
  }

  private boolean delete(ResourceDefinitionContext type, GenericKubernetesResource item) {
    var operation = client.genericKubernetesResources(type);
    var resource =
        type.isNamespaceScoped()
            ? operation
                .inNamespace(item.getMetadata().getNamespace())
                .withName(item.getMetadata().getName())
            : operation.withName(item.getMetadata().getName());
    GenericKubernetesResource current = resource.get();
    if (current == null
        || !Objects.equals(current.getMetadata().getUid(), item.getMetadata().getUid())) {
      return false;
    }
    LOG.fine(() -> "collecting " + type.getKind() + " " + item.getMetadata().getName());
    return !resource.withPropagationPolicy(DeletionPropagation.BACKGROUND).delete().isEmpty();
  }

  /** Every resource the API lists and deletes, in the preferred version of its group. */
  private List<ResourceDefinitionContext> collectableTypes() {
    List<ResourceDefinitionContext> types = new ArrayList<>();
    addTypes(types, "", "v1", client.getApiResources("v1"));
    for (APIGroup group : client.getApiGroups().getGroups()) {
      GroupVersionForDiscovery preferred =
          group.getPreferredVersion() != null
              ? group.getPreferredVersion()
              : group.getVersions().get(0);
      addTypes(
          types,
          group.getName(),
          preferred.getVersion(),
          client.getApiResources(preferred.getGroupVersion()));
    }
    return types;
  }

  private static void addTypes(
      List<ResourceDefinitionContext> types, String group, String version, APIResourceList list) {
    if (list == null) {
      return;
    }
    for (APIResource resource : list.getResources()) {
      if (resource.getName().contains("/")
          || !resource.getVerbs().contains("list")
          || !resource.getVerbs().contains("delete")) {
        continue;
      }
      types.add(
          new ResourceDefinitionContext.Builder()
              .withGroup(group)
              .withVersion(version)
              .withPlural(resource.getName())
              .withKind(resource.getKind())
              .withNamespaced(Boolean.TRUE.equals(resource.getNamespaced()))
              .build());
    }
  }

  /** Stops sweeping (waiting for a sweep in progress) and closes the client if it owns it. */
  @Override
  public void close() {
    closing = true;
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ownsClient) {
      client.close();
    }
  }
}

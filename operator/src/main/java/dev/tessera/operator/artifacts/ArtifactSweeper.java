package dev.tessera.operator.artifacts;

import dev.tessera.api.v1alpha1.Run;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Deletes the artifacts of Runs that are gone. Every few minutes it lists the store's Run folders,
 * then the Runs of the watched namespaces, and deletes each folder whose Run's UID no Run has. The
 * objects are listed first: an object exists only once its Run did, so a Run missing from the later
 * listing is gone, not yet to come. A Run needs no finalizer, deleting it costs nothing more, and
 * what a runner uploaded after its Run was deleted goes at the next sweep.
 */
public final class ArtifactSweeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ArtifactSweeper.class);

  private final ArtifactStore store;
  private final KubernetesClient client;
  private final Set<String> namespaces;
  private final ScheduledExecutorService timer;

  private ArtifactSweeper(ArtifactStore store, KubernetesClient client, Set<String> namespaces) {
    this.store = store;
    this.client = client;
    this.namespaces = namespaces;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "artifact-sweeper");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Sweeps every {@code interval}, the first time after one interval. */
  public static ArtifactSweeper start(
      ArtifactStore store, KubernetesClient client, Set<String> namespaces, Duration interval) {
    ArtifactSweeper sweeper = new ArtifactSweeper(store, client, namespaces);
    sweeper.timer.scheduleWithFixedDelay(
        sweeper::sweepQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return sweeper;
  }

  private void sweepQuietly() {
    try {
      int deleted = sweep();
      if (deleted > 0) {
        LOG.info("deleted the artifacts of {} Runs that are gone", deleted);
      }
    } catch (RuntimeException e) {
      LOG.warn("could not sweep the artifact store: {}", e.toString());
    }
  }

  /** One sweep; returns how many Runs' folders it deleted. */
  public int sweep() {
    Map<String, List<S3Object>> folders = new LinkedHashMap<>();
    for (String prefix : prefixes()) {
      for (S3Object object : store.list(prefix)) {
        String folder = ArtifactKeys.runFolderOf(object.key());
        if (folder != null) {
          folders.computeIfAbsent(folder, f -> new ArrayList<>()).add(object);
        }
      }
    }
    if (folders.isEmpty()) {
      return 0;
    }
    Set<String> live = liveRunUids();
    int deleted = 0;
    for (Map.Entry<String, List<S3Object>> folder : folders.entrySet()) {
      String uid = ArtifactKeys.uidOf(folder.getValue().get(0).key());
      if (!live.contains(uid)) {
        store.delete(folder.getValue().stream().map(S3Object::key).toList());
        deleted++;
      }
    }
    return deleted;
  }

  private List<String> prefixes() {
    if (namespaces.isEmpty()) {
      return List.of(ArtifactKeys.ROOT);
    }
    return namespaces.stream().map(ns -> ArtifactKeys.ROOT + ns + "/").toList();
  }

  private Set<String> liveRunUids() {
    Set<String> uids = new HashSet<>();
    List<Run> runs =
        namespaces.isEmpty()
            ? client.resources(Run.class).inAnyNamespace().list().getItems()
            : namespaces.stream()
                .flatMap(
                    ns -> client.resources(Run.class).inNamespace(ns).list().getItems().stream())
                .toList();
    runs.forEach(r -> uids.add(r.getMetadata().getUid()));
    return uids;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}

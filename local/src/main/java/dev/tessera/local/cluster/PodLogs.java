package dev.tessera.local.cluster;

import java.util.Optional;

/**
 * Where the embedded API finds the logs of a Pod ({@code kubectl logs}), usually the local executor
 * that runs it.
 */
@FunctionalInterface
public interface PodLogs {
  /** The log of the Pod's container, or empty when this source does not run that Pod. */
  Optional<String> read(String namespace, String pod);
}

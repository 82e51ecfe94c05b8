package dev.tessera.operator.status;

import dev.tessera.api.v1alpha1.HasConditions;
import dev.tessera.api.v1alpha1.StatusCondition;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The one place conditions are set: {@code lastTransitionTime} moves only when {@code status}
 * flips, so that watching it tells when something changed, not when it was last looked at.
 */
public final class Conditions {
  /** Condition type present on every kind: whether the object is what its user asked for. */
  public static final String READY = "Ready";

  /** Condition type of Runs and JobRuns: whether the Run was accepted. */
  public static final String ADMITTED = "Admitted";

  /**
   * Condition type of Runs and JobRuns: Unknown until they end, then True when they succeeded and
   * False otherwise, with the reason; what {@code kubectl wait --for=condition=Succeeded} waits
   * for.
   */
  public static final String SUCCEEDED = "Succeeded";

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  private Conditions() {}

  /** Sets a condition in place; returns whether anything changed. */
  public static boolean set(
      List<StatusCondition> conditions,
      String type,
      String status,
      String reason,
      String message,
      Long generation,
      Instant now) {
    StatusCondition existing =
        conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    if (existing == null) {
      StatusCondition condition = new StatusCondition();
      condition.setType(type);
      condition.setStatus(status);
      condition.setReason(reason);
      condition.setMessage(message);
      condition.setObservedGeneration(generation);
      condition.setLastTransitionTime(now.toString());
      conditions.add(condition);
      return true;
    }
    boolean changed =
        !Objects.equals(existing.getStatus(), status)
            || !Objects.equals(existing.getReason(), reason)
            || !Objects.equals(existing.getMessage(), message)
            || !Objects.equals(existing.getObservedGeneration(), generation);
    if (!Objects.equals(existing.getStatus(), status)) {
      existing.setLastTransitionTime(now.toString());
    }
    existing.setStatus(status);
    existing.setReason(reason);
    existing.setMessage(message);
    existing.setObservedGeneration(generation);
    return changed;
  }

  /**
   * Sets the {@link #SUCCEEDED} condition of a status that runs to an end, from its reason and
   * message (Pending when it has none yet).
   *
   * @param finished whether it ended
   * @param succeeded whether it ended well
   */
  public static boolean setSucceeded(
      HasConditions status,
      boolean finished,
      boolean succeeded,
      String reason,
      String message,
      Instant now) {
    return set(
        status.getConditions(),
        SUCCEEDED,
        !finished ? UNKNOWN : succeeded ? TRUE : FALSE,
        reason == null ? "Pending" : reason,
        message == null ? "not started yet" : message,
        status.getObservedGeneration(),
        now);
  }

  /** The condition of a type, if present. */
  public static StatusCondition find(List<StatusCondition> conditions, String type) {
    return conditions == null
        ? null
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }
}

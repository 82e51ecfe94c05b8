package dev.tessera.operator.naming;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Owner references: what the operator creates is owned by the object it was created for. */
public final class Owners {
  private Owners() {}

  /** The controller reference that makes {@code owner} own (and garbage-collect) an object. */
  public static OwnerReference controller(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** Whether {@code owner} owns {@code object}: one of its owner references has the owner's UID. */
  public static boolean isOwnedBy(HasMetadata object, HasMetadata owner) {
    var references = object.getMetadata().getOwnerReferences();
    return references != null
        && references.stream()
            .anyMatch(r -> r.getUid() != null && r.getUid().equals(owner.getMetadata().getUid()));
  }

  /**
   * The owner references {@code dependent} should have once {@code owner} adopts it, as {@link
   * #controller} makes them for what the operator creates itself; empty when there is nothing to
   * change: it has a controller already (this owner or another, which is not ours to replace), it
   * refers to this owner already, or it is being deleted.
   */
  public static Optional<List<OwnerReference>> adopted(HasMetadata dependent, HasMetadata owner) {
    if (dependent.getMetadata().getDeletionTimestamp() != null
        || owner.getMetadata().getUid() == null) {
      return Optional.empty();
    }
    List<OwnerReference> references =
        dependent.getMetadata().getOwnerReferences() == null
            ? List.of()
            : dependent.getMetadata().getOwnerReferences();
    boolean taken =
        references.stream()
            .anyMatch(
                r ->
                    Boolean.TRUE.equals(r.getController())
                        || Objects.equals(r.getUid(), owner.getMetadata().getUid()));
    if (taken) {
      return Optional.empty();
    }
    List<OwnerReference> adopted = new ArrayList<>(references);
    adopted.add(controller(owner));
    return Optional.of(adopted);
  }
}

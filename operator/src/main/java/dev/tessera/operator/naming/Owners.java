package dev.tessera.operator.naming;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

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
}

package dev.tessera.api.v1alpha1;

import java.util.List;

/** A status with metav1 conditions and the generation they describe. */
public interface HasConditions {
  List<StatusCondition> getConditions();

  void setConditions(List<StatusCondition> conditions);

  Long getObservedGeneration();

  void setObservedGeneration(Long observedGeneration);
}

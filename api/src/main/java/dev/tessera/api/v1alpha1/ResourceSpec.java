package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/** CPU and memory of runner Pods, as in a container's resources. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourceSpec {
  @JsonPropertyDescription("Minimum resources, e.g. cpu: 500m, memory: 1Gi.")
  private Map<String, Quantity> requests;

  @JsonPropertyDescription("Maximum resources, e.g. memory: 2Gi.")
  private Map<String, Quantity> limits;

  public Map<String, Quantity> getRequests() {
    return requests;
  }

  public void setRequests(Map<String, Quantity> requests) {
    this.requests = requests;
  }

  public Map<String, Quantity> getLimits() {
    return limits;
  }

  public void setLimits(Map<String, Quantity> limits) {
    this.limits = limits;
  }
}

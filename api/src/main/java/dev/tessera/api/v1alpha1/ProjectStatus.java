package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Observed state of a Project. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProjectStatus implements HasConditions {
  @JsonPropertyDescription("The generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Ready says whether the project is valid and usable.")
  private List<StatusCondition> conditions;

  @JsonPropertyDescription("Names of the project's APIs.")
  private List<String> apis;

  @JsonPropertyDescription("Whether Runs need an AuthSession.")
  private Boolean authenticationEnabled;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<StatusCondition> getConditions() {
    return conditions;
  }

  public void setConditions(List<StatusCondition> conditions) {
    this.conditions = conditions;
  }

  public List<String> getApis() {
    return apis;
  }

  public void setApis(List<String> apis) {
    this.apis = apis;
  }

  public Boolean getAuthenticationEnabled() {
    return authenticationEnabled;
  }

  public void setAuthenticationEnabled(Boolean authenticationEnabled) {
    this.authenticationEnabled = authenticationEnabled;
  }
}

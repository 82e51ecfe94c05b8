package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Observed state of a Job. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobStatus implements HasConditions {
  @JsonPropertyDescription("The generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Ready says whether the Job is valid and scheduled.")
  private List<StatusCondition> conditions;

  @JsonPropertyDescription("Names of the active JobRuns.")
  private List<String> active;

  @JsonPropertyDescription("When a JobRun was last scheduled (RFC 3339).")
  private String lastScheduleTime;

  @JsonPropertyDescription("When a JobRun last succeeded (RFC 3339).")
  private String lastSuccessfulTime;

  @JsonPropertyDescription("When the next JobRun is due (RFC 3339).")
  private String nextScheduleTime;

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

  public List<String> getActive() {
    return active;
  }

  public void setActive(List<String> active) {
    this.active = active;
  }

  public String getLastScheduleTime() {
    return lastScheduleTime;
  }

  public void setLastScheduleTime(String lastScheduleTime) {
    this.lastScheduleTime = lastScheduleTime;
  }

  public String getLastSuccessfulTime() {
    return lastSuccessfulTime;
  }

  public void setLastSuccessfulTime(String lastSuccessfulTime) {
    this.lastSuccessfulTime = lastSuccessfulTime;
  }

  public String getNextScheduleTime() {
    return nextScheduleTime;
  }

  public void setNextScheduleTime(String nextScheduleTime) {
    this.nextScheduleTime = nextScheduleTime;
  }
}

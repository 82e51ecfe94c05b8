package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Observed state of a JobRun. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobRunStatus implements HasConditions {
  @JsonPropertyDescription("The generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Ready is True once every Run succeeded.")
  private List<StatusCondition> conditions;

  @JsonPropertyDescription("Pending, Validating, Running, Paused, Succeeded, Failed or Canceled.")
  private String phase;

  @JsonPropertyDescription("Why the JobRun is in its phase, as a CamelCase word.")
  private String reason;

  @JsonPropertyDescription("Human-readable detail of the reason.")
  private String message;

  @JsonPropertyDescription("Schedule or Manual.")
  private String trigger;

  @JsonPropertyDescription("When the JobRun started (RFC 3339).")
  private String startTime;

  @JsonPropertyDescription("When the JobRun finished (RFC 3339).")
  private String completionTime;

  @JsonPropertyDescription("The Job spec this JobRun started with.")
  private JobSpec jobSnapshot;

  @JsonPropertyDescription("Runs by outcome.")
  private JobRunCounts counts;

  @JsonPropertyDescription("How many times this JobRun recreated its session.")
  private Integer recreations;

  @JsonPropertyDescription(
      "The AuthSession:Validate Runs that recreated the session for this JobRun's Runs or check.")
  private java.util.List<String> recreatedBy;

  @JsonPropertyDescription("Delivery of the Runs' results to the Job's webhook, when it has one.")
  private DeliveryStatus delivery;

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

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getTrigger() {
    return trigger;
  }

  public void setTrigger(String trigger) {
    this.trigger = trigger;
  }

  public String getStartTime() {
    return startTime;
  }

  public void setStartTime(String startTime) {
    this.startTime = startTime;
  }

  public String getCompletionTime() {
    return completionTime;
  }

  public void setCompletionTime(String completionTime) {
    this.completionTime = completionTime;
  }

  public JobSpec getJobSnapshot() {
    return jobSnapshot;
  }

  public void setJobSnapshot(JobSpec jobSnapshot) {
    this.jobSnapshot = jobSnapshot;
  }

  public JobRunCounts getCounts() {
    return counts;
  }

  public void setCounts(JobRunCounts counts) {
    this.counts = counts;
  }

  public Integer getRecreations() {
    return recreations;
  }

  public void setRecreations(Integer recreations) {
    this.recreations = recreations;
  }

  public java.util.List<String> getRecreatedBy() {
    return recreatedBy;
  }

  public void setRecreatedBy(java.util.List<String> recreatedBy) {
    this.recreatedBy = recreatedBy;
  }

  public DeliveryStatus getDelivery() {
    return delivery;
  }

  public void setDelivery(DeliveryStatus delivery) {
    this.delivery = delivery;
  }
}

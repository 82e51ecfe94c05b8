package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import java.util.List;

/** Observed state of a Run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RunStatus implements HasConditions {
  @JsonPropertyDescription("The generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Ready is True once the Run succeeded; Admitted says whether it was accepted.")
  private List<StatusCondition> conditions;

  @JsonPropertyDescription("Pending, Running, Succeeded, Failed, Canceled or Rejected.")
  private String phase;

  @JsonPropertyDescription(
      "Why the Run is in its phase, as a CamelCase word (e.g. AuthSessionLocked, ApiAttemptsFailed).")
  private String reason;

  @JsonPropertyDescription("Human-readable detail of the reason.")
  private String message;

  @JsonPropertyDescription("When the first Attempt started (RFC 3339).")
  private String startTime;

  @JsonPropertyDescription("When the Run finished (RFC 3339).")
  private String completionTime;

  @JsonPropertyDescription("Number of Attempts made so far.")
  private Integer attemptCount;

  @JsonPropertyDescription("Every Attempt, in order.")
  private List<AttemptStatus> attempts;

  @JsonPropertyDescription("The API's JSON result (bounded size).")
  @PreserveUnknownFields
  private JsonNode result;

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

  public Integer getAttemptCount() {
    return attemptCount;
  }

  public void setAttemptCount(Integer attemptCount) {
    this.attemptCount = attemptCount;
  }

  public List<AttemptStatus> getAttempts() {
    return attempts;
  }

  public void setAttempts(List<AttemptStatus> attempts) {
    this.attempts = attempts;
  }

  public JsonNode getResult() {
    return result;
  }

  public void setResult(JsonNode result) {
    this.result = result;
  }
}

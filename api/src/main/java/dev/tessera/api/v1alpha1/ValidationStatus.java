package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What the validate-first phase of an Attempt did. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ValidationStatus {
  @JsonPropertyDescription("How many checks ran.")
  private Integer checks;

  @JsonPropertyDescription("How many creates ran (recreation).")
  private Integer creates;

  @JsonPropertyDescription(
      "NotRequired, Valid, Created (a session operation logged in), Recreated (the session was"
          + " recreated for this Attempt, then a check passed), Invalid, CreateFailed or"
          + " PostCreateCheckFailed.")
  private String outcome;

  @JsonPropertyDescription(
      "Generation of the session's browser state the checks ran against; it grows by one each time"
          + " the state is created.")
  private Integer stateGeneration;

  @JsonPropertyDescription(
      "The AuthSession:Validate Run that recreated the session for this Attempt, when its checks"
          + " failed and autoRecreate allowed it.")
  private String operation;

  public Integer getChecks() {
    return checks;
  }

  public void setChecks(Integer checks) {
    this.checks = checks;
  }

  public Integer getCreates() {
    return creates;
  }

  public void setCreates(Integer creates) {
    this.creates = creates;
  }

  public String getOutcome() {
    return outcome;
  }

  public void setOutcome(String outcome) {
    this.outcome = outcome;
  }

  public Integer getStateGeneration() {
    return stateGeneration;
  }

  public void setStateGeneration(Integer stateGeneration) {
    this.stateGeneration = stateGeneration;
  }

  public String getOperation() {
    return operation;
  }

  public void setOperation(String operation) {
    this.operation = operation;
  }
}

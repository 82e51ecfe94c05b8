package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What the validate-first phase of an Attempt did. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ValidationStatus {
  @JsonPropertyDescription("How many checks ran.")
  private Integer checks;

  @JsonPropertyDescription(
      "How many creates (logins) this Run's own Pods ran: a session operation's logins. An"
          + " Attempt whose session was recreated for it counts none: see operation.")
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
      "The AuthSession:Validate Run that recreated the session for this Attempt (or tried to), when"
          + " its checks failed and autoRecreate allowed it. Its logins are counted on that Run,"
          + " not here.")
  private String operation;

  @JsonPropertyDescription(
      "Whether the Attempt asked its session to recreate the state of stateGeneration (every"
          + " check failed, or the state could not be read); the session's controller starts one"
          + " recreation however many Attempts ask.")
  private Boolean recreationRequested;

  @JsonPropertyDescription("When the Attempt asked for the recreation (RFC 3339).")
  private String requestedAt;

  public Boolean getRecreationRequested() {
    return recreationRequested;
  }

  public void setRecreationRequested(Boolean recreationRequested) {
    this.recreationRequested = recreationRequested;
  }

  public String getRequestedAt() {
    return requestedAt;
  }

  public void setRequestedAt(String requestedAt) {
    this.requestedAt = requestedAt;
  }

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

package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Observed state of an AuthSession. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AuthSessionStatus implements HasConditions {
  @JsonPropertyDescription("The generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Ready says whether the session holds a validated browser state; Locked whether an operation holds its lock.")
  private List<StatusCondition> conditions;

  @JsonPropertyDescription("Pending, Creating, AwaitingRecording, Ready, Expired or Failed.")
  private String phase;

  @JsonPropertyDescription("Why the session is in its phase, as a CamelCase word.")
  private String reason;

  @JsonPropertyDescription("Human-readable detail of the reason.")
  private String message;

  @JsonPropertyDescription(
      "Name of the Secret (owned by this session) that holds the browser state.")
  private String stateSecretName;

  @JsonPropertyDescription("When the browser state was last created (RFC 3339).")
  private String lastCreated;

  @JsonPropertyDescription("When a check last passed (RFC 3339).")
  private String lastValidated;

  @JsonPropertyDescription(
      "Generation of the stored browser state; it grows by one each time a state is stored.")
  private Integer stateGeneration;

  @JsonPropertyDescription("The operation Run that stored the current state.")
  private String stateCreatedBy;

  @JsonPropertyDescription(
      "The last operation Run this session's controller started (its UID is what admits it), and"
          + " how it ended.")
  private SessionOperationStatus operation;

  @JsonPropertyDescription("How many times the state was recreated after expiring.")
  private Integer recreations;

  @JsonPropertyDescription("The operation holding the session's lock, while locked.")
  private String lockHolder;

  @JsonPropertyDescription(
      "Name of the last operation Run whose outcome this status shows (create, update or"
          + " validation).")
  private String lastOperation;

  @JsonPropertyDescription("How to open the hosted browser of a recording in progress.")
  private String recorderAccess;

  @JsonPropertyDescription(
      "resourceVersion of the credentials Secret the state was last created from; a change starts an AuthSession:Update.")
  private String observedCredentialsVersion;

  @JsonPropertyDescription(
      "resourceVersion of the credentials Secret whose login the site rejected"
          + " (CredentialsRejected); nothing logs in with it again until the Secret changes or the"
          + " update annotation is set.")
  private String rejectedCredentialsVersion;

  @JsonPropertyDescription(
      "A digest of the proxy settings the state was last created with (server, bypass, and the"
          + " proxy Secret's resourceVersion); a change starts an AuthSession:Update.")
  private String observedProxy;

  @JsonPropertyDescription(
      "The value of the tessera.dev/update annotation last acted on; setting the annotation to a"
          + " new value asks for an AuthSession:Update.")
  private String observedUpdateRequest;

  @JsonPropertyDescription(
      "The value of the tessera.dev/record annotation last acted on; setting the annotation to a"
          + " new value starts a new recording of a Recorder session.")
  private String observedRecordRequest;

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

  public Integer getStateGeneration() {
    return stateGeneration;
  }

  public void setStateGeneration(Integer stateGeneration) {
    this.stateGeneration = stateGeneration;
  }

  public String getStateCreatedBy() {
    return stateCreatedBy;
  }

  public void setStateCreatedBy(String stateCreatedBy) {
    this.stateCreatedBy = stateCreatedBy;
  }

  public SessionOperationStatus getOperation() {
    return operation;
  }

  public void setOperation(SessionOperationStatus operation) {
    this.operation = operation;
  }

  public String getStateSecretName() {
    return stateSecretName;
  }

  public void setStateSecretName(String stateSecretName) {
    this.stateSecretName = stateSecretName;
  }

  public String getLastCreated() {
    return lastCreated;
  }

  public void setLastCreated(String lastCreated) {
    this.lastCreated = lastCreated;
  }

  public String getLastValidated() {
    return lastValidated;
  }

  public void setLastValidated(String lastValidated) {
    this.lastValidated = lastValidated;
  }

  public Integer getRecreations() {
    return recreations;
  }

  public void setRecreations(Integer recreations) {
    this.recreations = recreations;
  }

  public String getLockHolder() {
    return lockHolder;
  }

  public void setLockHolder(String lockHolder) {
    this.lockHolder = lockHolder;
  }

  public String getLastOperation() {
    return lastOperation;
  }

  public void setLastOperation(String lastOperation) {
    this.lastOperation = lastOperation;
  }

  public String getRecorderAccess() {
    return recorderAccess;
  }

  public void setRecorderAccess(String recorderAccess) {
    this.recorderAccess = recorderAccess;
  }

  public String getObservedCredentialsVersion() {
    return observedCredentialsVersion;
  }

  public void setObservedCredentialsVersion(String observedCredentialsVersion) {
    this.observedCredentialsVersion = observedCredentialsVersion;
  }

  public String getRejectedCredentialsVersion() {
    return rejectedCredentialsVersion;
  }

  public void setRejectedCredentialsVersion(String rejectedCredentialsVersion) {
    this.rejectedCredentialsVersion = rejectedCredentialsVersion;
  }

  public String getObservedProxy() {
    return observedProxy;
  }

  public void setObservedProxy(String observedProxy) {
    this.observedProxy = observedProxy;
  }

  public String getObservedUpdateRequest() {
    return observedUpdateRequest;
  }

  public void setObservedUpdateRequest(String observedUpdateRequest) {
    this.observedUpdateRequest = observedUpdateRequest;
  }

  public String getObservedRecordRequest() {
    return observedRecordRequest;
  }

  public void setObservedRecordRequest(String observedRecordRequest) {
    this.observedRecordRequest = observedRecordRequest;
  }
}

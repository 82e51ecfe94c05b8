package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Desired state of a Run: one execution of one API (or one session operation) with parameters. */
@ValidationRule(
    value = "!(has(self.api) && has(self.operation))",
    message =
        "a Run names an api, or nothing (it then only validates its session); spec.operation is set"
            + " only by the operator")
@ValidationRule(
    value =
        "(has(self.project) ? has(oldSelf.project) && self.project == oldSelf.project : !has(oldSelf.project)) && (has(self.api) ? has(oldSelf.api) && self.api == oldSelf.api : !has(oldSelf.api)) && (has(self.operation) ? has(oldSelf.operation) && self.operation == oldSelf.operation : !has(oldSelf.operation)) && (has(self.parameters) ? has(oldSelf.parameters) && self.parameters == oldSelf.parameters : !has(oldSelf.parameters)) && (has(self.retry) ? has(oldSelf.retry) && self.retry == oldSelf.retry : !has(oldSelf.retry)) && (has(self.timeoutSeconds) ? has(oldSelf.timeoutSeconds) && self.timeoutSeconds == oldSelf.timeoutSeconds : !has(oldSelf.timeoutSeconds)) && (has(self.authSession) ? has(oldSelf.authSession) && self.authSession == oldSelf.authSession : !has(oldSelf.authSession))",
    message =
        "spec is immutable after creation except cancel and ttlSecondsAfterFinished; create a new Run instead")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RunSpec {
  @JsonPropertyDescription("Name of the Project (same namespace).")
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
  private String project;

  @JsonPropertyDescription(
      "Name of the project's API to run. Omitted, the Run only validates its AuthSession (checks,"
          + " and recreates it when allowed).")
  private String api;

  @JsonPropertyDescription(
      "Session operation this Run performs instead of an API: AuthSession:Create, AuthSession:Update"
          + " or AuthSession:Validate. Set only by the operator, which records the Run's UID in the"
          + " AuthSession's status.operation; any other Run that sets it is Rejected"
          + " (OperationNotAllowed).")
  private SessionOperation operation;

  @JsonPropertyDescription(
      "Parameters of the API, as a JSON object; available to steps as $(params.x).")
  @PreserveUnknownFields
  private JsonNode parameters;

  @JsonPropertyDescription("Attempts when the API fails; the project's maxAttempts when omitted.")
  private RetrySpec retry;

  @JsonPropertyDescription("Time limit of one Attempt; the project's timeoutSeconds when omitted.")
  @Min(1)
  @Max(86400)
  private Integer timeoutSeconds;

  @JsonPropertyDescription(
      "The AuthSession to run as; required exactly when the project has authentication enabled.")
  private RunAuthSessionSpec authSession;

  @JsonPropertyDescription(
      "Set to true to cancel the Run: its Pod is removed and the Run ends Canceled.")
  private Boolean cancel;

  @JsonPropertyDescription(
      "How long the Run may wait, Pending, for what it needs to start (its Project, its AuthSession"
          + " to exist and be Ready, the session's lock, runtime credentials), counted from its"
          + " creation; it is then Rejected with the reason it waited for. 600 when omitted.")
  @Min(0)
  @Max(86400)
  private Integer startTimeoutSeconds;

  @JsonPropertyDescription(
      "What this Run's Attempts keep of what the browser saw; each field set here overrides the"
          + " Project's.")
  private ArtifactsSpec artifacts;

  @JsonPropertyDescription("Delete the Run this many seconds after it finished; kept when omitted.")
  @Min(0)
  @Max(31536000)
  private Integer ttlSecondsAfterFinished;

  public String getProject() {
    return project;
  }

  public void setProject(String project) {
    this.project = project;
  }

  public String getApi() {
    return api;
  }

  public void setApi(String api) {
    this.api = api;
  }

  public SessionOperation getOperation() {
    return operation;
  }

  public void setOperation(SessionOperation operation) {
    this.operation = operation;
  }

  public JsonNode getParameters() {
    return parameters;
  }

  public void setParameters(JsonNode parameters) {
    this.parameters = parameters;
  }

  public RetrySpec getRetry() {
    return retry;
  }

  public void setRetry(RetrySpec retry) {
    this.retry = retry;
  }

  public Integer getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Integer timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }

  public RunAuthSessionSpec getAuthSession() {
    return authSession;
  }

  public void setAuthSession(RunAuthSessionSpec authSession) {
    this.authSession = authSession;
  }

  public Boolean getCancel() {
    return cancel;
  }

  public void setCancel(Boolean cancel) {
    this.cancel = cancel;
  }

  public Integer getTtlSecondsAfterFinished() {
    return ttlSecondsAfterFinished;
  }

  public void setTtlSecondsAfterFinished(Integer ttlSecondsAfterFinished) {
    this.ttlSecondsAfterFinished = ttlSecondsAfterFinished;
  }

  public Integer getStartTimeoutSeconds() {
    return startTimeoutSeconds;
  }

  public void setStartTimeoutSeconds(Integer startTimeoutSeconds) {
    this.startTimeoutSeconds = startTimeoutSeconds;
  }

  public ArtifactsSpec getArtifacts() {
    return artifacts;
  }

  public void setArtifacts(ArtifactsSpec artifacts) {
    this.artifacts = artifacts;
  }
}

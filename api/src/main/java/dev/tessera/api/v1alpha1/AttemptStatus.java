package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** One Attempt of a Run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AttemptStatus {
  @JsonPropertyDescription("Attempt number, from 1.")
  private Integer number;

  @JsonPropertyDescription("Running, Succeeded, Failed or Canceled.")
  private String phase;

  @JsonPropertyDescription("Name of the Attempt's Pod.")
  private String pod;

  @JsonPropertyDescription("When the Attempt started (RFC 3339).")
  private String startTime;

  @JsonPropertyDescription("When the Attempt ended (RFC 3339).")
  private String completionTime;

  @JsonPropertyDescription("The validate-first phase of the Attempt.")
  private ValidationStatus validation;

  @JsonPropertyDescription(
      "The session operation this Attempt waits for (it holds the session's lock, or recreates the"
          + " session for it) before it validates again; empty while a Pod runs.")
  private String waitingFor;

  @JsonPropertyDescription("Why the Attempt failed or was canceled.")
  private AttemptError error;

  @JsonPropertyDescription(
      "What the Attempt kept of what the browser saw, in the operator's artifact store.")
  private List<ArtifactStatus> artifacts;

  public List<ArtifactStatus> getArtifacts() {
    return artifacts;
  }

  public void setArtifacts(List<ArtifactStatus> artifacts) {
    this.artifacts = artifacts;
  }

  public Integer getNumber() {
    return number;
  }

  public void setNumber(Integer number) {
    this.number = number;
  }

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public String getPod() {
    return pod;
  }

  public void setPod(String pod) {
    this.pod = pod;
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

  public ValidationStatus getValidation() {
    return validation;
  }

  public void setValidation(ValidationStatus validation) {
    this.validation = validation;
  }

  public AttemptError getError() {
    return error;
  }

  public void setError(AttemptError error) {
    this.error = error;
  }

  public String getWaitingFor() {
    return waitingFor;
  }

  public void setWaitingFor(String waitingFor) {
    this.waitingFor = waitingFor;
  }
}

package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How the Runs of a JobRun ended so far. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobRunCounts {
  @JsonPropertyDescription("Payload items of the JobRun.")
  private Integer payloads;

  @JsonPropertyDescription("Items not started yet.")
  private Integer pending;

  @JsonPropertyDescription("Runs in progress.")
  private Integer running;

  @JsonPropertyDescription("Runs that succeeded.")
  private Integer succeeded;

  @JsonPropertyDescription("Runs that failed.")
  private Integer failed;

  @JsonPropertyDescription("Runs canceled or rejected.")
  private Integer canceled;

  public Integer getPayloads() {
    return payloads;
  }

  public void setPayloads(Integer payloads) {
    this.payloads = payloads;
  }

  public Integer getPending() {
    return pending;
  }

  public void setPending(Integer pending) {
    this.pending = pending;
  }

  public Integer getRunning() {
    return running;
  }

  public void setRunning(Integer running) {
    this.running = running;
  }

  public Integer getSucceeded() {
    return succeeded;
  }

  public void setSucceeded(Integer succeeded) {
    this.succeeded = succeeded;
  }

  public Integer getFailed() {
    return failed;
  }

  public void setFailed(Integer failed) {
    this.failed = failed;
  }

  public Integer getCanceled() {
    return canceled;
  }

  public void setCanceled(Integer canceled) {
    this.canceled = canceled;
  }
}

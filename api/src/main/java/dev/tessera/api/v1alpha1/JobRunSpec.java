package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Desired state of a JobRun: one execution of a Job. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobRunSpec {
  @JsonPropertyDescription("Name of the Job (same namespace).")
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
  @ValidationRule(value = "self == oldSelf", message = "job is immutable")
  private String job;

  @JsonPropertyDescription("Set to true to pause (no new Runs start); false to resume.")
  private Boolean paused;

  @JsonPropertyDescription("Set to true to cancel the JobRun and its active Runs.")
  private Boolean cancel;

  public String getJob() {
    return job;
  }

  public void setJob(String job) {
    this.job = job;
  }

  public Boolean getPaused() {
    return paused;
  }

  public void setPaused(Boolean paused) {
    this.paused = paused;
  }

  public Boolean getCancel() {
    return cancel;
  }

  public void setCancel(Boolean cancel) {
    this.cancel = cancel;
  }
}

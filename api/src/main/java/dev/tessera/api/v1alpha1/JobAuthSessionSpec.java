package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The AuthSession every Run of a JobRun uses. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobAuthSessionSpec {
  @JsonPropertyDescription("Name of the AuthSession (same namespace, same project).")
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
  private String name;

  @JsonPropertyDescription(
      "Whether the JobRun's Runs may have the session recreated when it is invalid; the session's"
          + " spec.autoRecreate when omitted.")
  private Boolean autoRecreate;

  @JsonPropertyDescription(
      "How many times check is tried before the state counts as invalid; the session's"
          + " spec.checkAttempts when omitted.")
  @Min(1)
  @Max(10)
  private Integer checkAttempts;

  @JsonPropertyDescription(
      "What a JobRun does when the session is locked as it starts: Wait (the default) stays"
          + " Pending until the lock is released, within spec.startTimeoutSeconds; Reject ends the"
          + " JobRun Canceled with AuthSessionLocked at once.")
  private WhenLocked whenLocked;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Boolean getAutoRecreate() {
    return autoRecreate;
  }

  public void setAutoRecreate(Boolean autoRecreate) {
    this.autoRecreate = autoRecreate;
  }

  public Integer getCheckAttempts() {
    return checkAttempts;
  }

  public void setCheckAttempts(Integer checkAttempts) {
    this.checkAttempts = checkAttempts;
  }

  public WhenLocked getWhenLocked() {
    return whenLocked;
  }

  public void setWhenLocked(WhenLocked whenLocked) {
    this.whenLocked = whenLocked;
  }
}

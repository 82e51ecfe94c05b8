package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The AuthSession a Run uses and how it is validated before every Attempt. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RunAuthSessionSpec {
  @JsonPropertyDescription("Name of the AuthSession (same namespace, same project).")
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
  private String name;

  @JsonPropertyDescription(
      "Whether this Run may have the session recreated when every check fails; the session's"
          + " spec.autoRecreate (true by default) when omitted.")
  private Boolean autoRecreate;

  @JsonPropertyDescription(
      "How many times check is tried before the state counts as invalid; the session's"
          + " spec.checkAttempts (3 by default) when omitted.")
  @Min(1)
  @Max(10)
  private Integer checkAttempts;

  @JsonPropertyDescription(
      "Secret with this Run's credentials, for Runtime sessions only; read only by the create Pod, never stored.")
  private SecretReference runtimeCredentialsSecretRef;

  @JsonPropertyDescription(
      "What the Run does when the session is locked as it starts (an operation is changing the"
          + " session's state): Wait (the default) stays Pending until the lock is released, within"
          + " spec.startTimeoutSeconds; Reject ends the Run Rejected with AuthSessionLocked at once.")
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

  public SecretReference getRuntimeCredentialsSecretRef() {
    return runtimeCredentialsSecretRef;
  }

  public void setRuntimeCredentialsSecretRef(SecretReference runtimeCredentialsSecretRef) {
    this.runtimeCredentialsSecretRef = runtimeCredentialsSecretRef;
  }

  public WhenLocked getWhenLocked() {
    return whenLocked;
  }

  public void setWhenLocked(WhenLocked whenLocked) {
    this.whenLocked = whenLocked;
  }
}

package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

/** Project-level authentication: when enabled, every Run of the project needs an AuthSession. */
@ValidationRule(
    value = "!self.enabled || has(self.check)",
    message = AuthenticationSpec.NEEDS_CHECK,
    fieldPath = ".check")
@ValidationRule(
    value = "!self.enabled || has(self.create) || has(self.recorder)",
    message = AuthenticationSpec.NEEDS_LOGIN)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AuthenticationSpec {
  /** The messages of this class's rules; the operator's validation says them too. */
  public static final String NEEDS_CHECK = "check is required when authentication is enabled";

  public static final String NEEDS_LOGIN =
      "create or recorder is required when authentication is enabled";

  @JsonPropertyDescription("Whether Runs of this project need an AuthSession.")
  @Default("false")
  private Boolean enabled = false;

  @JsonPropertyDescription(
      "Logs in and leaves the browser logged in (Credentials and Runtime sessions).")
  private ApiDefinition create;

  @JsonPropertyDescription(
      "Returns whether the browser state is still logged in; run before every Attempt.")
  private ApiDefinition check;

  @JsonPropertyDescription("Hosted-browser login for Recorder sessions.")
  private RecorderSpec recorder;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public ApiDefinition getCreate() {
    return create;
  }

  public void setCreate(ApiDefinition create) {
    this.create = create;
  }

  public ApiDefinition getCheck() {
    return check;
  }

  public void setCheck(ApiDefinition check) {
    this.check = check;
  }

  public RecorderSpec getRecorder() {
    return recorder;
  }

  public void setRecorder(RecorderSpec recorder) {
    this.recorder = recorder;
  }
}

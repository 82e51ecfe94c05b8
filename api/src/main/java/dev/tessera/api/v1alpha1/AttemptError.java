package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Why an Attempt did not succeed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AttemptError {
  @JsonPropertyDescription(
      "Stable error code, e.g. CheckAttemptsFailed, ApiAttemptsFailed, SelectorNotFound, StepTimeout, Timeout, RunnerCrashed, ResultTooBig.")
  private String code;

  @JsonPropertyDescription("Human-readable detail; never contains secrets.")
  private String message;

  @JsonPropertyDescription("Whether another Attempt may succeed.")
  private Boolean retriable;

  @JsonPropertyDescription("The step that failed, when a step failed.")
  private String step;

  public String getCode() {
    return code;
  }

  public void setCode(String code) {
    this.code = code;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public Boolean getRetriable() {
    return retriable;
  }

  public void setRetriable(Boolean retriable) {
    this.retriable = retriable;
  }

  public String getStep() {
    return step;
  }

  public void setStep(String step) {
    this.step = step;
  }
}

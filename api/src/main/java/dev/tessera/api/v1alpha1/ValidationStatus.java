package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What the validate-first phase of an Attempt did. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ValidationStatus {
  @JsonPropertyDescription("How many checks ran.")
  private Integer checks;

  @JsonPropertyDescription("How many creates ran (recreation).")
  private Integer creates;

  @JsonPropertyDescription(
      "NotRequired, Valid, Recreated, Invalid, CreateFailed or PostCreateCheckFailed.")
  private String outcome;

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
}

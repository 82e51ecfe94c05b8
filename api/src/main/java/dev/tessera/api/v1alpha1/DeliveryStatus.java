package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How the results of a JobRun's finished Runs reached the Job's webhook. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeliveryStatus {
  @JsonPropertyDescription("Results the webhook accepted.")
  private Integer delivered;

  @JsonPropertyDescription("Results not delivered yet (being sent, or waiting to be sent again).")
  private Integer pending;

  @JsonPropertyDescription("Results given up on: the webhook did not accept them within an hour.")
  private Integer abandoned;

  @JsonPropertyDescription("The last delivery error, if any.")
  private String lastError;

  public Integer getDelivered() {
    return delivered;
  }

  public void setDelivered(Integer delivered) {
    this.delivered = delivered;
  }

  public Integer getPending() {
    return pending;
  }

  public void setPending(Integer pending) {
    this.pending = pending;
  }

  public Integer getAbandoned() {
    return abandoned;
  }

  public void setAbandoned(Integer abandoned) {
    this.abandoned = abandoned;
  }

  public String getLastError() {
    return lastError;
  }

  public void setLastError(String lastError) {
    this.lastError = lastError;
  }
}

package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Required;

/** One API call of a Job. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PayloadItem {
  @JsonPropertyDescription("Name of the project's API.")
  @Required
  private String api;

  @JsonPropertyDescription("Parameters of this call.")
  @PreserveUnknownFields
  private JsonNode parameters;

  @JsonPropertyDescription("Attempts for this item; the Job's retry when omitted.")
  private RetrySpec retry;

  public String getApi() {
    return api;
  }

  public void setApi(String api) {
    this.api = api;
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
}

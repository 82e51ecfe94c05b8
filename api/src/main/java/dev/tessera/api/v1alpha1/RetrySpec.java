package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** How many Attempts a Run makes when its API fails. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RetrySpec {
  @JsonPropertyDescription("Maximum number of Attempts, the first included.")
  @Required
  @Min(1)
  @Max(20)
  private Integer maxAttempts;

  public Integer getMaxAttempts() {
    return maxAttempts;
  }

  public void setMaxAttempts(Integer maxAttempts) {
    this.maxAttempts = maxAttempts;
  }
}

package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Scheduled validation of a session, so that Runs do not pay for a login. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HealthCheckSpec {
  @JsonPropertyDescription("How often to validate, as a duration (e.g. 30m, 1h).")
  @Required
  @Pattern("^([0-9]+(s|m|h))+$")
  private String interval;

  public String getInterval() {
    return interval;
  }

  public void setInterval(String interval) {
    this.interval = interval;
  }
}

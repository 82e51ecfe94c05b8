package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Scheduled validation of a session, so that Runs do not pay for a login. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "duration(self.interval) >= duration('1m')",
    message = "interval must be at least 1m: every health check starts a browser",
    fieldPath = ".interval",
    reason = "FieldValueInvalid")
public class HealthCheckSpec {
  @JsonPropertyDescription(
      "How often to validate, as a duration of at least one minute (e.g. 30m, 1h, 1h30m).")
  @Required
  @Size(max = 32)
  @Pattern("^([0-9]+(s|m|h))+$")
  private String interval;

  public String getInterval() {
    return interval;
  }

  public void setInterval(String interval) {
    this.interval = interval;
  }
}

package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Where a human logs in, for Recorder sessions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RecorderSpec {
  @JsonPropertyDescription(
      "URL the hosted browser opens; it may start with a parameter, as in"
          + " $(params.baseUrl)/login.")
  @Required
  @Pattern("^(https?://|\\$\\(params\\.).+")
  private String startUrl;

  @JsonPropertyDescription(
      "Glob pattern of the URL that means the login is done (e.g. **/dashboard); the human can also press Done.")
  private String finishUrl;

  @JsonPropertyDescription("How long a recording may take before the session is Failed.")
  @Default("900")
  @Min(30)
  @Max(86400)
  private Integer timeoutSeconds = 900;

  public String getStartUrl() {
    return startUrl;
  }

  public void setStartUrl(String startUrl) {
    this.startUrl = startUrl;
  }

  public String getFinishUrl() {
    return finishUrl;
  }

  public void setFinishUrl(String finishUrl) {
    this.finishUrl = finishUrl;
  }

  public Integer getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Integer timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }
}

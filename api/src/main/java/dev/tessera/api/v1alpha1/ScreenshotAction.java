package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Takes a screenshot of the page, kept as an artifact of the Attempt. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScreenshotAction {
  @JsonPropertyDescription("Name of the screenshot artifact.")
  @Required
  @Pattern("^[A-Za-z_][A-Za-z0-9_]*$")
  private String as;

  @JsonPropertyDescription("Capture the full scrollable page instead of the viewport.")
  private Boolean fullPage;

  public String getAs() {
    return as;
  }

  public void setAs(String as) {
    this.as = as;
  }

  public Boolean getFullPage() {
    return fullPage;
  }

  public void setFullPage(Boolean fullPage) {
    this.fullPage = fullPage;
  }
}

package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tessera.api.protocol.Cidr;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** How runner Pods of the project are made. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RunnerSpec {
  @JsonPropertyDescription("Runner image; the operator's configured default when omitted.")
  private String image;

  @JsonPropertyDescription("Image pull policy of runner Pods.")
  @Pattern("^(Always|IfNotPresent|Never)$")
  private String imagePullPolicy;

  @JsonPropertyDescription("CPU and memory of runner Pods; the operator's defaults when omitted.")
  private ResourceSpec resources;

  @JsonPropertyDescription("Browser context options.")
  private BrowserSpec browser;

  @JsonPropertyDescription(
      "Default time limit of one Attempt, in seconds (the Pod's activeDeadlineSeconds).")
  @Default("600")
  @Min(1)
  @Max(86400)
  private Integer timeoutSeconds = 600;

  @JsonPropertyDescription("Default number of Attempts of a Run whose API fails.")
  @Default("3")
  @Min(1)
  @Max(20)
  private Integer maxAttempts = 3;

  @JsonPropertyDescription("Default time limit of one declarative step, in seconds.")
  @Default("30")
  @Min(1)
  @Max(3600)
  private Integer stepTimeoutSeconds = 30;

  @JsonPropertyDescription(
      "More networks, as CIDRs (10.0.0.0/8, fd00::/8), that the Project's runners never connect to:"
          + " navigations, the page's own requests and request steps to them fail with"
          + " AddressNotAllowed. Added to what runners always refuse (the Kubernetes API,"
          + " 169.254.0.0/16 and fe80::/10) and to the operator's runner.blockedNetworks.")
  @Size(max = 64)
  private List<@Pattern(Cidr.PATTERN) String> blockedNetworks;

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public String getImagePullPolicy() {
    return imagePullPolicy;
  }

  public void setImagePullPolicy(String imagePullPolicy) {
    this.imagePullPolicy = imagePullPolicy;
  }

  public ResourceSpec getResources() {
    return resources;
  }

  public void setResources(ResourceSpec resources) {
    this.resources = resources;
  }

  public BrowserSpec getBrowser() {
    return browser;
  }

  public void setBrowser(BrowserSpec browser) {
    this.browser = browser;
  }

  public Integer getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Integer timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }

  public Integer getMaxAttempts() {
    return maxAttempts;
  }

  public void setMaxAttempts(Integer maxAttempts) {
    this.maxAttempts = maxAttempts;
  }

  public Integer getStepTimeoutSeconds() {
    return stepTimeoutSeconds;
  }

  public void setStepTimeoutSeconds(Integer stepTimeoutSeconds) {
    this.stepTimeoutSeconds = stepTimeoutSeconds;
  }

  public List<String> getBlockedNetworks() {
    return blockedNetworks;
  }

  public void setBlockedNetworks(List<String> blockedNetworks) {
    this.blockedNetworks = blockedNetworks;
  }
}

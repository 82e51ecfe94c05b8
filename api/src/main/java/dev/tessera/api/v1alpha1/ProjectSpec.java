package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** The automation code of a Project: its APIs and how it authenticates. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProjectSpec {
  /** The message of the rule that a project has an API; the operator's validation says it too. */
  public static final String NEEDS_AN_API = "a project needs at least one API";

  @JsonPropertyDescription("What the project automates, for humans.")
  private String description;

  @JsonPropertyDescription("APIs by name; a Run names one of them.")
  @Required
  @ValidationRule(value = "self.size() > 0", message = NEEDS_AN_API)
  private Map<String, ApiDefinition> apis;

  @JsonPropertyDescription(
      "Default parameters, merged under every Run's parameters (a Run's own values win).")
  @PreserveUnknownFields
  private JsonNode parameters;

  // {} lets the API server default enabled to false, so the Auth column says false, not nothing
  @JsonPropertyDescription("Authentication settings; disabled when omitted.")
  @Default("{}")
  private AuthenticationSpec authentication = new AuthenticationSpec();

  @JsonPropertyDescription("Runner Pod, browser and time-limit settings.")
  private RunnerSpec runner = new RunnerSpec();

  @JsonPropertyDescription(
      "What API Attempts keep of what the browser saw (a trace, a screenshot, the HTML), in the"
          + " operator's artifact store; by default everything, on failure. A Run may override it.")
  private ArtifactsSpec artifacts;

  public ArtifactsSpec getArtifacts() {
    return artifacts;
  }

  public void setArtifacts(ArtifactsSpec artifacts) {
    this.artifacts = artifacts;
  }

  public String getDescription() {
    return description;
  }

  public void setDescription(String description) {
    this.description = description;
  }

  public Map<String, ApiDefinition> getApis() {
    return apis;
  }

  public void setApis(Map<String, ApiDefinition> apis) {
    this.apis = apis;
  }

  public JsonNode getParameters() {
    return parameters;
  }

  public void setParameters(JsonNode parameters) {
    this.parameters = parameters;
  }

  public AuthenticationSpec getAuthentication() {
    return authentication;
  }

  public void setAuthentication(AuthenticationSpec authentication) {
    this.authentication = authentication;
  }

  public RunnerSpec getRunner() {
    return runner;
  }

  public void setRunner(RunnerSpec runner) {
    this.runner = runner;
  }
}

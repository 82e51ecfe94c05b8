package dev.tessera.runner.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.api.protocol.ArtifactPlan;
import dev.tessera.api.protocol.AttemptInput;
import dev.tessera.api.protocol.BrowserOptions;
import dev.tessera.api.protocol.Operation;
import dev.tessera.api.protocol.ProxyOptions;
import dev.tessera.api.v1alpha1.ApiDefinition;
import dev.tessera.api.v1alpha1.BrowserSpec;
import dev.tessera.api.v1alpha1.Project;
import dev.tessera.api.v1alpha1.ProjectSpec;
import java.util.Map;

/**
 * Builds attempt inputs from an example project, with its {@code baseUrl} parameter pointed at a
 * test site: what the operator sends a runner Pod, for each operation.
 */
public final class Inputs {
  private final ProjectSpec project;
  private final ObjectNode parameters;
  private Operation operation;
  private String apiName;
  private ApiDefinition api;
  private ApiDefinition check;
  private Integer checkAttempts = 3;
  private ApiDefinition create;
  private Integer createAttempts;
  private Map<String, String> credentials;
  private JsonNode storageState;
  private Integer stepTimeoutSeconds;
  private Integer resultLimitBytes;
  private ArtifactPlan artifacts;
  private ProxyOptions proxy;

  private Inputs(Project project, String baseUrl) {
    this.project = project.getSpec();
    this.parameters =
        this.project.getParameters() == null
            ? JsonNodeFactory.instance.objectNode()
            : (ObjectNode) this.project.getParameters().deepCopy();
    this.parameters.put("baseUrl", baseUrl);
    this.stepTimeoutSeconds =
        this.project.getRunner() == null ? null : this.project.getRunner().getStepTimeoutSeconds();
  }

  /** Inputs for this project against the site at {@code baseUrl}. */
  public static Inputs of(Project project, String baseUrl) {
    return new Inputs(project, baseUrl);
  }

  /** A CREATE with these credentials (then the project's check). */
  public Inputs create(Map<String, String> credentials) {
    operation = Operation.CREATE;
    create = project.getAuthentication().getCreate();
    createAttempts = 3;
    check = project.getAuthentication().getCheck();
    this.credentials = credentials;
    return this;
  }

  /** A CHECK of this state. */
  public Inputs check(JsonNode state) {
    operation = Operation.CHECK;
    check = project.getAuthentication().getCheck();
    storageState = state;
    return this;
  }

  /** An API Attempt of the project's API, validated first with the project's check. */
  public Inputs api(String name, JsonNode state) {
    return api(name, project.getApis().get(name), state);
  }

  /** An API Attempt of any definition, validated first with the project's check. */
  public Inputs api(String name, ApiDefinition definition, JsonNode state) {
    operation = Operation.API;
    apiName = name;
    api = definition;
    check = project.getAuthentication().getCheck();
    storageState = state;
    return this;
  }

  /** Sets a Run parameter. */
  public Inputs param(String name, int value) {
    parameters.put(name, value);
    return this;
  }

  /** Sets a Run parameter. */
  public Inputs param(String name, String value) {
    parameters.put(name, value);
    return this;
  }

  /** An API Attempt that does not validate first (a project without authentication). */
  public Inputs withoutCheck() {
    check = null;
    checkAttempts = null;
    return this;
  }

  /** Goes through this proxy. */
  public Inputs proxy(ProxyOptions proxy) {
    this.proxy = proxy;
    return this;
  }

  /** Uses another check. */
  public Inputs checkWith(ApiDefinition definition) {
    check = definition;
    return this;
  }

  public Inputs checkAttempts(int attempts) {
    checkAttempts = attempts;
    return this;
  }

  public Inputs stepTimeoutSeconds(int seconds) {
    stepTimeoutSeconds = seconds;
    return this;
  }

  /** Keeps what the browser saw, uploading each file to its URL. */
  public Inputs artifacts(ArtifactPlan plan) {
    artifacts = plan;
    return this;
  }

  public Inputs resultLimitBytes(int bytes) {
    resultLimitBytes = bytes;
    return this;
  }

  public AttemptInput build() {
    BrowserSpec browser = project.getRunner() == null ? null : project.getRunner().getBrowser();
    BrowserOptions options =
        browser == null
            ? null
            : new BrowserOptions(
                browser.getViewport() == null ? null : browser.getViewport().getWidth(),
                browser.getViewport() == null ? null : browser.getViewport().getHeight(),
                browser.getLocale(),
                browser.getTimezoneId(),
                browser.getUserAgent());
    String run = "tests/run-1";
    return switch (operation) {
      case API ->
          new AttemptInput.Api(
              run,
              1,
              apiName,
              api,
              check,
              check == null ? null : checkAttempts,
              storageState,
              parameters,
              options,
              proxy,
              stepTimeoutSeconds,
              resultLimitBytes,
              artifacts);
      case CREATE ->
          new AttemptInput.Create(
              run,
              1,
              create,
              createAttempts,
              check,
              checkAttempts,
              credentials,
              storageState,
              parameters,
              options,
              proxy,
              stepTimeoutSeconds,
              resultLimitBytes);
      case CHECK ->
          new AttemptInput.Check(
              run,
              1,
              check,
              checkAttempts,
              storageState,
              parameters,
              options,
              proxy,
              stepTimeoutSeconds,
              resultLimitBytes);
      case RECORD -> throw new IllegalStateException("recordings are built by RecorderIT");
    };
  }
}

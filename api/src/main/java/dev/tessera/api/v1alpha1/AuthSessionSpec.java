package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Desired state of an AuthSession: whose browser state, of which project, made how. */
@ValidationRule(
    value = "(self.type == 'Credentials') == has(self.credentialsSecretRef)",
    message =
        "credentialsSecretRef is required for type Credentials and not allowed for Recorder or Runtime",
    reason = "FieldValueInvalid",
    fieldPath = ".credentialsSecretRef")
@ValidationRule(
    value = "self.project == oldSelf.project",
    message = "project is immutable; create a new AuthSession instead",
    fieldPath = ".project")
@ValidationRule(
    value = "self.type == oldSelf.type",
    message = "type is immutable; create a new AuthSession instead",
    fieldPath = ".type")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AuthSessionSpec {
  @JsonPropertyDescription(
      "Name of the Project (same namespace) whose create and check APIs this session uses.")
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
  private String project;

  @JsonPropertyDescription(
      "How the session is created: Credentials (automated login with stored credentials), Recorder (a human logs in) or Runtime (each Run brings credentials).")
  @Required
  @Pattern("^(Credentials|Recorder|Runtime)$")
  private String type;

  @JsonPropertyDescription(
      "Secret with the credentials (keys of your choice, used as $(credentials.key)). Required exactly for type Credentials.")
  private SecretReference credentialsSecretRef;

  @JsonPropertyDescription(
      "Proxy every create, check, API Attempt and recording of this session goes through.")
  private ProxySpec proxy;

  @JsonPropertyDescription("Periodic validation of the session.")
  private HealthCheckSpec healthCheck;

  @JsonPropertyDescription(
      "Recreate the state when every check fails (Credentials and Runtime sessions; a Recorder"
          + " session needs a human). A Run or Job may turn it off for itself.")
  @Default("true")
  private Boolean autoRecreate = true;

  @JsonPropertyDescription(
      "How many times check is tried before the state counts as invalid; a Run or Job may set its"
          + " own.")
  @Default("3")
  @Min(1)
  @Max(10)
  private Integer checkAttempts = 3;

  @JsonPropertyDescription(
      "How many times create is tried in one login (a create, update or recreation of this"
          + " session).")
  @Default("3")
  @Min(1)
  @Max(10)
  private Integer createAttempts = 3;

  public String getProject() {
    return project;
  }

  public void setProject(String project) {
    this.project = project;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public SecretReference getCredentialsSecretRef() {
    return credentialsSecretRef;
  }

  public void setCredentialsSecretRef(SecretReference credentialsSecretRef) {
    this.credentialsSecretRef = credentialsSecretRef;
  }

  public ProxySpec getProxy() {
    return proxy;
  }

  public void setProxy(ProxySpec proxy) {
    this.proxy = proxy;
  }

  public Boolean getAutoRecreate() {
    return autoRecreate;
  }

  public void setAutoRecreate(Boolean autoRecreate) {
    this.autoRecreate = autoRecreate;
  }

  public Integer getCheckAttempts() {
    return checkAttempts;
  }

  public void setCheckAttempts(Integer checkAttempts) {
    this.checkAttempts = checkAttempts;
  }

  public Integer getCreateAttempts() {
    return createAttempts;
  }

  public void setCreateAttempts(Integer createAttempts) {
    this.createAttempts = createAttempts;
  }

  public HealthCheckSpec getHealthCheck() {
    return healthCheck;
  }

  public void setHealthCheck(HealthCheckSpec healthCheck) {
    this.healthCheck = healthCheck;
  }
}

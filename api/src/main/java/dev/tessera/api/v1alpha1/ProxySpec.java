package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A proxy every browser context of the session goes through. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProxySpec {
  @JsonPropertyDescription("Proxy URL, e.g. http://proxy.example:3128 or socks5://host:1080.")
  @Required
  @Pattern("^(https?|socks5)://.+")
  private String server;

  @JsonPropertyDescription(
      "Comma-separated hosts that bypass the proxy, e.g. .internal.example,localhost.")
  private String bypass;

  @JsonPropertyDescription("Secret with keys username and password for the proxy.")
  private SecretReference credentialsSecretRef;

  public String getServer() {
    return server;
  }

  public void setServer(String server) {
    this.server = server;
  }

  public String getBypass() {
    return bypass;
  }

  public void setBypass(String bypass) {
    this.bypass = bypass;
  }

  public SecretReference getCredentialsSecretRef() {
    return credentialsSecretRef;
  }

  public void setCredentialsSecretRef(SecretReference credentialsSecretRef) {
    this.credentialsSecretRef = credentialsSecretRef;
  }
}

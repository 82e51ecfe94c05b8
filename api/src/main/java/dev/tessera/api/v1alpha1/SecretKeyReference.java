package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A key of a Secret in the namespace of the object that names it: a webhook's signing secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeyReference {
  /** The key read when none is named. */
  public static final String DEFAULT_KEY = "signing-secret";

  @JsonPropertyDescription("Name of the Secret, in the same namespace.")
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
  private String name;

  @JsonPropertyDescription(
      "Key of the Secret holding the signing secret, whsec_ followed by 24 to 64 random bytes in"
          + " base64.")
  @Default(DEFAULT_KEY)
  @Pattern("^[-._a-zA-Z0-9]+$")
  private String key = DEFAULT_KEY;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }
}

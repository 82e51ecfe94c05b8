package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Where each finished Run's result is POSTed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WebhookSink {
  @JsonPropertyDescription("URL that receives a POST per finished Run.")
  @Required
  @Pattern("^https?://.+")
  private String url;

  @JsonPropertyDescription(
      "Secret whose keys and values are sent as HTTP headers (e.g. Authorization).")
  private SecretReference headersSecretRef;

  @JsonPropertyDescription(
      "Secret key holding the signing secret (whsec_<base64>): each delivery is signed as Standard"
          + " Webhooks does (webhook-id, webhook-timestamp, webhook-signature headers). Without"
          + " it deliveries carry webhook-id and webhook-timestamp but no signature.")
  private SecretKeyReference signingSecretRef;

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public SecretReference getHeadersSecretRef() {
    return headersSecretRef;
  }

  public void setHeadersSecretRef(SecretReference headersSecretRef) {
    this.headersSecretRef = headersSecretRef;
  }

  public SecretKeyReference getSigningSecretRef() {
    return signingSecretRef;
  }

  public void setSigningSecretRef(SecretKeyReference signingSecretRef) {
    this.signingSecretRef = signingSecretRef;
  }
}

package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Map;

/** Sends an HTTP request with the browser context's cookies (no page needed). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RequestAction {
  @JsonPropertyDescription("HTTP method. Default GET.")
  @Pattern("^(GET|POST|PUT|PATCH|DELETE|HEAD)$")
  private String method;

  @JsonPropertyDescription("URL to request. May use templates.")
  @Required
  private String url;

  @JsonPropertyDescription("Extra request headers. Values may use templates.")
  private Map<String, String> headers;

  @JsonPropertyDescription("Request body. May use templates.")
  private String body;

  @JsonPropertyDescription("Status the response must have; any 2xx when omitted.")
  @Min(100)
  @Max(599)
  private Integer expectStatus;

  @JsonPropertyDescription(
      "Name of the result field that receives the response body (JSON when it parses, else text).")
  @Pattern("^[A-Za-z_][A-Za-z0-9_]*$")
  private String as;

  public String getMethod() {
    return method;
  }

  public void setMethod(String method) {
    this.method = method;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public Map<String, String> getHeaders() {
    return headers;
  }

  public void setHeaders(Map<String, String> headers) {
    this.headers = headers;
  }

  public String getBody() {
    return body;
  }

  public void setBody(String body) {
    this.body = body;
  }

  public Integer getExpectStatus() {
    return expectStatus;
  }

  public void setExpectStatus(Integer expectStatus) {
    this.expectStatus = expectStatus;
  }

  public String getAs() {
    return as;
  }

  public void setAs(String as) {
    this.as = as;
  }
}

package dev.tessera.api.v1alpha1.step;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Map;

/** Sends an HTTP request with the browser context's cookies (no page needed). */
@JsonTypeName("request")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Request(
    @JsonPropertyDescription("HTTP method. Default GET.")
        @Pattern("^(GET|POST|PUT|PATCH|DELETE|HEAD)$")
        String method,
    @JsonPropertyDescription("URL to request. May use templates.") @Required String url,
    @JsonPropertyDescription("Extra request headers. Values may use templates.")
        Map<String, String> headers,
    @JsonPropertyDescription("Request body. May use templates.") String body,
    @JsonPropertyDescription("Status the response must have; any 2xx when omitted.")
        @Min(100)
        @Max(599)
        Integer expectStatus,
    @JsonPropertyDescription(
            "Name of the result field that receives the response body (JSON when it parses, else text).")
        @Pattern("^[A-Za-z_][A-Za-z0-9_]*$")
        String as)
    implements Action {
  public Request {
    Action.required(url, "request.url");
  }

  /** A GET of this URL that must answer 2xx and keeps no body. */
  public static Request get(String url) {
    return new Request(null, url, null, null, null, null);
  }

  @Override
  public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
    return visitor.visit(this);
  }
}

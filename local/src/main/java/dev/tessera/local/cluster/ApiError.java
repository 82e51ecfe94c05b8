package dev.tessera.local.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;

/** An error the embedded API answers with a {@code Status} object, as a real server does. */
final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int code;
  private final String reason;
  private final transient ResourcePath resource;

  ApiError(int code, String reason, String message) {
    this(code, reason, message, null);
  }

  ApiError(int code, String reason, String message, ResourcePath resource) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.resource = resource;
  }

  static ApiError notFound(ResourcePath resource) {
    String message =
        resource.name() == null
            ? "the server could not find the requested resource"
            : resource.qualifiedResource() + " \"" + resource.name() + "\" not found";
    return new ApiError(404, "NotFound", message, resource);
  }

  int code() {
    return code;
  }

  MockResponse response() {
    ObjectNode status =
        Json.object()
            .put("kind", "Status")
            .put("apiVersion", "v1")
            .<ObjectNode>set("metadata", Json.object())
            .put("status", "Failure")
            .put("message", getMessage())
            .put("reason", reason)
            .put("code", code);
    if (resource != null) {
      ObjectNode details = status.putObject("details").put("group", resource.group());
      details.put("kind", resource.plural());
      if (resource.name() != null) {
        details.put("name", resource.name());
      }
    }
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(Json.write(status));
  }
}

package dev.tessera.local.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.List;

/** An error the embedded API answers with a {@code Status} object, as a real server does. */
final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int code;
  private final String reason;
  private final transient ResourcePath resource;
  private final transient List<CustomResourceValidation.Cause> causes;
  private final String kind;

  ApiError(int code, String reason, String message) {
    this(code, reason, message, null);
  }

  ApiError(int code, String reason, String message, ResourcePath resource) {
    this(code, reason, message, resource, List.of(), null);
  }

  private ApiError(
      int code,
      String reason,
      String message,
      ResourcePath resource,
      List<CustomResourceValidation.Cause> causes,
      String kind) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.resource = resource;
    this.causes = causes;
    this.kind = kind;
  }

  /**
   * 422 for an object that breaks its kind's schema or rules, worded as the API server words it:
   * {@code Run.tessera.dev "r" is invalid: spec.x: Invalid value: ...}, one cause per problem.
   */
  static ApiError invalid(
      String kind,
      ResourcePath resource,
      String name,
      List<CustomResourceValidation.Cause> causes) {
    List<String> messages = causes.stream().map(CustomResourceValidation.Cause::message).toList();
    String qualified = resource.group().isEmpty() ? kind : kind + "." + resource.group();
    String message =
        qualified
            + " \""
            + name
            + "\" is invalid: "
            + (messages.size() == 1 ? messages.get(0) : "[" + String.join(", ", messages) + "]");
    return new ApiError(422, "Invalid", message, resource.object(name), causes, kind);
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
      if (!causes.isEmpty()) {
        // as the API server: the kind, and each cause's message without its field, which
        // kubectl prints before it ("The Run "r" is invalid: spec.x: Invalid value: ...")
        details.put("kind", kind);
        var array = details.putArray("causes");
        causes.forEach(
            c ->
                array
                    .addObject()
                    .put("reason", c.reason())
                    .put("message", c.withoutField())
                    .put("field", c.field()));
      }
    }
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(Json.write(status));
  }
}

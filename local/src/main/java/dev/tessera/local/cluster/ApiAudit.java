package dev.tessera.local.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded API's audit log: one JSON line per request with who asked ({@code user}: the
 * impersonated user when the client names one, and its {@code userAgent}) and what, in the terms
 * RBAC grants it: {@code verb}, {@code group}, {@code resource}, {@code subresource}, {@code
 * namespace}, {@code name}, and the {@code labelSelector} of a list or watch. Requests outside the
 * resource API (discovery, {@code /version}) carry {@code nonResourceURL} instead.
 *
 * <p>Off unless asked for: {@link EmbeddedCluster.Builder#auditLog(Path)}, or the {@code
 * TESSERA_AUDIT_LOG_DIR} environment variable, under which each embedded API writes a file of its
 * own.
 */
final class ApiAudit implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Writer out;

  private ApiAudit(Writer out) {
    this.out = out;
  }

  /** Appends to {@code file}, creating it and its directory. */
  static ApiAudit toFile(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      return new ApiAudit(
          Files.newBufferedWriter(
              file,
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND,
              StandardOpenOption.WRITE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the audit log " + file, e);
    }
  }

  /** Records one request (before it is answered). */
  void record(RecordedRequest request) {
    String line = entry(request).toString();
    synchronized (this) {
      try {
        out.write(line);
        out.write('\n');
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the audit log", e);
      }
    }
  }

  /** The audit entry of a request. */
  static ObjectNode entry(RecordedRequest request) {
    ObjectNode entry = JSON.createObjectNode();
    String user = request.getHeader("Impersonate-User");
    if (user != null) {
      entry.put("user", user);
    }
    String agent = request.getHeader("User-Agent");
    if (agent != null) {
      entry.put("userAgent", agent);
    }
    String rawPath = request.getPath();
    int q = rawPath.indexOf('?');
    String path = q < 0 ? rawPath : rawPath.substring(0, q);
    Map<String, String> query =
        LocalApiDispatcher.parseQuery(q < 0 ? "" : rawPath.substring(q + 1));
    Optional<ResourcePath> parsed = ResourcePath.parse(path);
    if (parsed.isEmpty()) {
      entry.put("verb", request.method().name().toLowerCase(Locale.ROOT));
      entry.put("nonResourceURL", path);
      return entry;
    }
    ResourcePath resource = parsed.get();
    entry.put("verb", verb(request.method(), resource, query));
    entry.put("group", resource.group());
    entry.put("resource", resource.plural());
    if (resource.subresource() != null) {
      entry.put("subresource", resource.subresource());
    }
    if (resource.namespace() != null) {
      entry.put("namespace", resource.namespace());
    }
    if (resource.name() != null) {
      entry.put("name", resource.name());
    }
    if (query.containsKey("labelSelector")) {
      entry.put("labelSelector", query.get("labelSelector"));
    }
    return entry;
  }

  /** The RBAC verb of a request, as the API server's authorizer names it. */
  static String verb(HttpMethod method, ResourcePath resource, Map<String, String> query) {
    boolean collection = resource.name() == null;
    return switch (method) {
      case GET -> {
        String watch = query.get("watch");
        if ("true".equals(watch) || "1".equals(watch)) {
          yield "watch";
        }
        yield collection ? "list" : "get";
      }
      case POST -> "create";
      case PUT -> "update";
      case PATCH -> "patch";
      case DELETE -> collection ? "deletecollection" : "delete";
      default -> method.name().toLowerCase(Locale.ROOT);
    };
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

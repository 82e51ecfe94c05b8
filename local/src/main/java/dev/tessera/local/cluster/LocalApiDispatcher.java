package dev.tessera.local.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import io.fabric8.zjsonpatch.JsonPatch;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The request handling of the embedded API. It sits in front of fabric8's CRUD mock (the store) and
 * adds what kubectl and a real API server's clients rely on: discovery, OpenAPI v3, tables for
 * {@code kubectl get}, RFC 7386 merge patch and strategic merge patch, CRD defaulting and pruning
 * with {@code fieldValidation}, name validation and generation, namespace existence, field
 * selectors on lists, {@code stringData} of Secrets, access reviews, Pod logs and Status bodies on
 * errors.
 *
 * <p>Expectations recorded on the mock server ({@code server.expect()}) take precedence over all of
 * this. Writes are serialized so that a patch reads and writes the stored object atomically.
 */
final class LocalApiDispatcher extends Dispatcher {
  static final String SERVER_VERSION = "v1.32.0";
  private static final Logger LOG = Logger.getLogger(LocalApiDispatcher.class.getName());
  private static final String CRD_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
  private static final String NAME_CHARACTERS = "bcdfghjklmnpqrstvwxz2456789";
  private static final Set<String> PROTECTED_NAMESPACES =
      Set.of("default", "kube-system", "kube-public");

  private final PartitionedStore store;
  private final Map<ServerRequest, Queue<ServerResponse>> expectations;
  private final boolean requireNamespaces;
  private final Clock clock;
  private final Object writes = new Object();
  private final Random random = new SecureRandom();
  private ApiCatalog catalog;
  private volatile PodLogs podLogs = (namespace, pod) -> Optional.empty();
  private volatile String serverAddress = "127.0.0.1:443";
  private volatile Runnable onDeletion = () -> {};
  private final DeletionHistory deletions = new DeletionHistory();

  LocalApiDispatcher(
      PartitionedStore store,
      Map<ServerRequest, Queue<ServerResponse>> expectations,
      boolean requireNamespaces,
      Clock clock) {
    this.store = store;
    this.expectations = expectations;
    this.requireNamespaces = requireNamespaces;
    this.clock = clock;
  }

  void serverAddress(String hostAndPort) {
    this.serverAddress = hostAndPort;
  }

  void podLogs(PodLogs source) {
    this.podLogs = source;
  }

  /** What the stores deleted lately, for watches that start from a resourceVersion. */
  DeletionHistory deletions() {
    return deletions;
  }

  /** Called after every deletion (and every write that removes the last finalizer). */
  void onDeletion(Runnable listener) {
    this.onDeletion = listener;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    try {
      Queue<ServerResponse> expected =
          expectations.get(new SimpleRequest(request.method(), request.getPath()));
      if (expected != null && !expected.isEmpty()) {
        return store.dispatch(request);
      }
      MockResponse response = route(request);
      if (response.getWebSocketListener() == null
          && response.getHeaders().get("Content-Type") == null
          && response.getBody() != null
          && response.getBody().size() > 0) {
        response.setHeader("Content-Type", "application/json");
      }
      return response;
    } catch (ApiError e) {
      return e.response();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "the local API failed to answer " + request, e);
      return new ApiError(500, "InternalError", String.valueOf(e.getMessage())).response();
    }
  }

  @Override
  public void shutdown() {
    store.shutdown();
  }

  synchronized ApiCatalog catalog() {
    ApiCatalog current = catalog;
    if (current == null) {
      List<JsonNode> crds = new ArrayList<>();
      JsonNode list = storeGet(CRD_PATH);
      if (list != null) {
        list.path("items").forEach(crds::add);
      }
      current = ApiCatalog.of(crds);
      catalog = current;
    }
    return current;
  }

  private MockResponse route(RecordedRequest request) {
    String rawPath = request.getPath();
    int q = rawPath.indexOf('?');
    String path = q < 0 ? rawPath : rawPath.substring(0, q);
    String rawQuery = q < 0 ? "" : rawPath.substring(q + 1);
    Map<String, String> query = parseQuery(rawQuery);
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (request.method() == HttpMethod.GET) {
      MockResponse metadata = metadata(path, request.getHeader("Accept"));
      if (metadata != null) {
        return metadata;
      }
    }
    Optional<ResourcePath> parsed = ResourcePath.parse(path);
    if (parsed.isEmpty()) {
      return store.dispatch(request);
    }
    ResourcePath resource = parsed.get();
    ApiResourceType type =
        catalog().find(resource.group(), resource.version(), resource.plural()).orElse(null);
    return switch (request.method()) {
      case GET -> get(request, resource, type, path, rawQuery, query);
      case POST -> create(request, resource, type, path, query);
      case PUT -> update(request, resource, type, path, query);
      case PATCH -> patch(request, resource, type, query);
      case DELETE -> delete(request, resource, query);
      default -> store.dispatch(request);
    };
  }

  // ---- discovery, version, OpenAPI ----

  private MockResponse metadata(String path, String accept) {
    ApiCatalog current = catalog();
    String[] segments = path.substring(1).split("/");
    switch (path) {
      case "/" -> {
        ObjectNode root = Json.object();
        ArrayNode paths = root.putArray("paths");
        paths.add("/api").add("/api/v1").add("/apis").add("/openapi/v3").add("/version");
        current.groupVersions().stream()
            .filter(gv -> gv.contains("/"))
            .forEach(gv -> paths.add("/apis/" + gv));
        return json(200, root);
      }
      case "/version" -> {
        return json(200, version());
      }
      case "/healthz", "/livez", "/readyz" -> {
        return new MockResponse()
            .setResponseCode(200)
            .setHeader("Content-Type", "text/plain")
            .setBody("ok");
      }
      case "/api" -> {
        return json(200, current.coreVersions(serverAddress));
      }
      case "/apis" -> {
        return json(200, current.groupList());
      }
      case "/openapi/v3" -> {
        return json(200, new OpenApiDocuments(current).index());
      }
      case "/openapi/v2" -> {
        JsonNode document = OpenApiV2.document(current);
        if (accept != null && accept.contains("protobuf")) {
          return new MockResponse()
              .setResponseCode(200)
              .setHeader("Content-Type", OpenApiV2.PROTOBUF)
              .setBody(OpenApiV2.protobuf(document));
        }
        return json(200, document);
      }
      default -> {}
    }
    if (path.startsWith("/openapi/v3/")) {
      return new OpenApiDocuments(current)
          .document(path.substring("/openapi/v3/".length()))
          .map(document -> json(200, document))
          .orElseThrow(() -> new ApiError(404, "NotFound", "no OpenAPI document at " + path));
    }
    if (segments.length == 2 && segments[0].equals("api")) {
      return current
          .resourceList("", segments[1])
          .map(list -> json(200, list))
          .orElseThrow(() -> new ApiError(404, "NotFound", "no API at " + path));
    }
    if (segments.length == 2 && segments[0].equals("apis")) {
      return current
          .group(segments[1])
          .map(group -> json(200, group))
          .orElseThrow(() -> new ApiError(404, "NotFound", "no API group at " + path));
    }
    if (segments.length == 3 && segments[0].equals("apis")) {
      return current
          .resourceList(segments[1], segments[2])
          .map(list -> json(200, list))
          .orElseThrow(() -> new ApiError(404, "NotFound", "no API at " + path));
    }
    return null;
  }

  private static JsonNode version() {
    String[] parts = SERVER_VERSION.substring(1).split("\\.");
    return Json.object()
        .put("major", parts[0])
        .put("minor", parts[1])
        .put("gitVersion", SERVER_VERSION + "+tessera-local")
        .put("gitCommit", "")
        .put("gitTreeState", "clean")
        .put("buildDate", "2025-01-01T00:00:00Z")
        .put("goVersion", "")
        .put("compiler", "")
        .put("platform", "linux/amd64");
  }

  // ---- reads ----

  private MockResponse get(
      RecordedRequest request,
      ResourcePath resource,
      ApiResourceType type,
      String path,
      String rawQuery,
      Map<String, String> query) {
    if (resource.group().isEmpty()
        && resource.plural().equals("pods")
        && "log".equals(resource.subresource())) {
      return logs(resource, query);
    }
    if ("true".equals(query.get("watch")) || "1".equals(query.get("watch"))) {
      if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
        throw new ApiError(
            405, "MethodNotAllowed", "watches are served by the local API server only");
      }
      return store.dispatch(request);
    }
    FieldSelector fieldSelector = null;
    RecordedRequest toStore = request;
    String selector = query.get("fieldSelector");
    if (selector != null && !selector.isBlank() && resource.name() == null) {
      try {
        fieldSelector = FieldSelector.parse(selector);
      } catch (IllegalArgumentException e) {
        throw new ApiError(400, "BadRequest", e.getMessage());
      }
      toStore = copy(request, HttpMethod.GET, path + withoutParameter(rawQuery, "fieldSelector"));
    }
    MockResponse response = store.dispatch(toStore);
    if (response.code() == 404) {
      throw ApiError.notFound(resource);
    }
    String accept = request.getHeader("Accept");
    boolean table = accept != null && accept.contains("as=Table");
    boolean list = resource.name() == null;
    if (response.code() != 200 || (!list && !table)) {
      return response;
    }
    JsonNode body = Json.parse(response.getBody().readUtf8());
    if (list && type != null && body instanceof ObjectNode object && body.has("items")) {
      // typed clients (kubectl describe's event list, say) decode KIND-List, not List
      object.put("kind", type.kind() + "List").put("apiVersion", type.apiVersion());
    }
    if (fieldSelector != null && body.get("items") instanceof ArrayNode items) {
      for (Iterator<JsonNode> it = items.iterator(); it.hasNext(); ) {
        if (!fieldSelector.matches(it.next())) {
          it.remove();
        }
      }
    }
    if (table) {
      body = new TableConverter(clock.instant()).convert(body, type, query.get("includeObject"));
    }
    return json(200, body);
  }

  private MockResponse logs(ResourcePath resource, Map<String, String> query) {
    Optional<String> log = podLogs.read(resource.namespace(), resource.name());
    if (log.isEmpty()) {
      ResourcePath pod =
          new ResourcePath("", "v1", resource.namespace(), "pods", resource.name(), null);
      if (storeGet(pod.objectPath()) == null) {
        throw ApiError.notFound(pod);
      }
      throw new ApiError(
          400,
          "BadRequest",
          "pod \"" + resource.name() + "\" has no log: it has not been started on this machine");
    }
    String text = log.get();
    String tail = query.get("tailLines");
    if (tail != null) {
      text = lastLines(text, Integer.parseInt(tail));
    }
    return new MockResponse()
        .setResponseCode(200)
        .setHeader("Content-Type", "text/plain")
        .setBody(text);
  }

  /**
   * What a watch's events become on their way out: for {@code kubectl get --watch}, which asks for
   * tables, each object becomes a one-row Table.
   */
  Function<JsonNode, JsonNode> watchEventTransform(RecordedRequest request) {
    String accept = request.getHeader("Accept");
    String rawPath = request.getPath();
    int q = rawPath.indexOf('?');
    Optional<ResourcePath> resource = ResourcePath.parse(q < 0 ? rawPath : rawPath.substring(0, q));
    if (accept == null || !accept.contains("as=Table") || resource.isEmpty()) {
      return Function.identity();
    }
    ApiResourceType type =
        catalog()
            .find(resource.get().group(), resource.get().version(), resource.get().plural())
            .orElse(null);
    String includeObject = parseQuery(q < 0 ? "" : rawPath.substring(q + 1)).get("includeObject");
    return LocalApiServer.eventObjects(
        object -> new TableConverter(clock.instant()).convert(object, type, includeObject));
  }

  // ---- writes ----

  private MockResponse create(
      RecordedRequest request,
      ResourcePath resource,
      ApiResourceType type,
      String path,
      Map<String, String> query) {
    if (resource.group().equals("authorization.k8s.io")) {
      return review(request, resource);
    }
    if (resource.name() != null) {
      throw new ApiError(
          405,
          "MethodNotAllowed",
          "the local API does not support POST on "
              + resource.plural()
              + "/"
              + resource.subresource());
    }
    ObjectNode object = parseObject(request);
    synchronized (writes) {
      if (resource.namespace() != null) {
        requireNamespace(resource.namespace());
      }
      ObjectNode metadata = metadata(object);
      String name = metadata.path("name").asText("");
      if (name.isEmpty() && metadata.hasNonNull("generateName")) {
        name = generateName(resource, metadata.get("generateName").asText());
        metadata.put("name", name);
      }
      Admission.validateName(resource, type, object, name);
      Admission.prepareForCreate(object, type);
      List<String> warnings =
          Admission.enforce(Admission.normalize(object, resource, type), object, type, query);
      Admission.validate(resource, type, object, null);
      if (isDryRun(query)) {
        return withWarnings(json(201, dryRunCreated(resource, type, object, name)), warnings);
      }
      MockResponse response = store.dispatch(copy(request, HttpMethod.POST, path, object), name);
      invalidateCatalogOnCrdChange(resource, response);
      return withWarnings(response, warnings);
    }
  }

  private MockResponse update(
      RecordedRequest request,
      ResourcePath resource,
      ApiResourceType type,
      String path,
      Map<String, String> query) {
    ObjectNode object = parseObject(request);
    synchronized (writes) {
      List<String> unknown = Admission.normalize(object, resource, type);
      List<String> warnings = Admission.enforce(unknown, object, type, query);
      JsonNode stored = storeGet(resource.objectPath());
      requireCurrentVersion(resource, object, stored);
      Admission.validate(resource, type, written(resource, object, stored), stored);
      if (isDryRun(query)) {
        JsonNode current = stored;
        if (current == null) {
          throw ApiError.notFound(resource);
        }
        metadata(object).setAll((ObjectNode) current.path("metadata").deepCopy());
        return withWarnings(json(200, object), warnings);
      }
      MockResponse response = store.dispatch(copy(request, HttpMethod.PUT, path, object));
      if (response.code() == 404) {
        throw ApiError.notFound(resource);
      }
      afterUpdate(resource, object, response);
      return withWarnings(response, warnings);
    }
  }

  private MockResponse patch(
      RecordedRequest request,
      ResourcePath resource,
      ApiResourceType type,
      Map<String, String> query) {
    String contentType = String.valueOf(request.getHeader("Content-Type"));
    contentType = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    if (contentType.equals("application/apply-patch+yaml")) {
      throw new ApiError(
          415,
          "UnsupportedMediaType",
          "server-side apply is not supported by the local API; use client-side kubectl apply");
    }
    JsonNode patch = Json.parse(new String(request.getBody().getBytes(), StandardCharsets.UTF_8));
    synchronized (writes) {
      JsonNode current = storeGet(resource.objectPath());
      if (current == null) {
        throw ApiError.notFound(resource);
      }
      JsonNode patched =
          switch (contentType) {
            case "application/json-patch+json" -> applyJsonPatch(patch, current);
            case "application/merge-patch+json" -> Patches.merge(current, patch);
            case "application/strategic-merge-patch+json" ->
                type != null && type.custom()
                    ? Patches.merge(current, Patches.withoutDirectives(patch))
                    : Patches.strategicMerge(current, patch);
            default ->
                throw new ApiError(
                    415, "UnsupportedMediaType", "unsupported patch type: " + contentType);
          };
      if (!(patched instanceof ObjectNode object)) {
        throw new ApiError(422, "Invalid", "the patch does not result in an object");
      }
      List<String> unknown = Admission.normalize(object, resource, type);
      List<String> warnings = Admission.enforce(unknown, object, type, query);
      Admission.validate(resource, type, written(resource, object, current), current);
      if (object.equals(current) || isDryRun(query)) {
        return withWarnings(json(200, object), warnings);
      }
      String target =
          resource.objectPath()
              + (resource.subresource() == null ? "" : "/" + resource.subresource());
      MockResponse response = store.dispatch(copy(request, HttpMethod.PUT, target, object));
      if (response.code() == 404) {
        throw ApiError.notFound(resource);
      }
      afterUpdate(resource, object, response);
      return withWarnings(response, warnings);
    }
  }

  /**
   * The object a write leaves stored: a write of the status subresource changes only the status of
   * the stored object; any other write, all of it.
   */
  /**
   * A replace that carries a resourceVersion other than the stored one was decided on a stale view:
   * refused with 409 Conflict, on the object and on its status alike, as a kube-apiserver does.
   */
  private static void requireCurrentVersion(
      ResourcePath resource, ObjectNode object, JsonNode stored) {
    String sent = object.path("metadata").path("resourceVersion").asText("");
    if (stored == null || sent.isEmpty()) {
      return;
    }
    String current = stored.path("metadata").path("resourceVersion").asText("");
    if (!sent.equals(current)) {
      throw new ApiError(
          409,
          "Conflict",
          "Operation cannot be fulfilled on "
              + resource.qualifiedResource()
              + " \""
              + resource.name()
              + "\": the object has been modified; please apply your changes to the latest"
              + " version and try again",
          resource);
    }
  }

  private static ObjectNode written(ResourcePath resource, ObjectNode object, JsonNode stored) {
    if (!"status".equals(resource.subresource()) || !(stored instanceof ObjectNode current)) {
      return object;
    }
    ObjectNode result = current.deepCopy();
    if (object.has("status")) {
      result.set("status", object.get("status").deepCopy());
    } else {
      result.remove("status");
    }
    return result;
  }

  private MockResponse delete(
      RecordedRequest request, ResourcePath resource, Map<String, String> query) {
    if (resource.group().isEmpty()
        && resource.plural().equals("namespaces")
        && PROTECTED_NAMESPACES.contains(String.valueOf(resource.name()))) {
      throw new ApiError(
          403,
          "Forbidden",
          "namespaces \"" + resource.name() + "\" is forbidden: this namespace may not be deleted",
          resource);
    }
    synchronized (writes) {
      if ((isDryRun(query) || isDryRun(request.getBody())) && resource.name() != null) {
        JsonNode current = storeGet(resource.objectPath());
        if (current == null) {
          throw ApiError.notFound(resource);
        }
        return json(200, current);
      }
      // recorded before the store removes them, so that no watch opens in between unaware
      Deleting going = deleting(resource, request.getPath());
      deletions.deleted(resource, going.version(), going.objects());
      MockResponse response = store.dispatch(request);
      if (response.code() >= 300) {
        deletions.refused(resource, going.version(), going.objects());
      }
      if (response.code() == 404) {
        throw ApiError.notFound(resource);
      }
      invalidateCatalogOnCrdChange(resource, response);
      if (response.code() < 300) {
        onDeletion.run();
      }
      return response;
    }
  }

  /** The objects a delete removes at once (those without finalizers), at the store's version. */
  private record Deleting(long version, List<JsonNode> objects) {}

  private Deleting deleting(ResourcePath resource, String path) {
    String listPath =
        resource.name() == null
            ? path
            : new ResourcePath(
                        resource.group(),
                        resource.version(),
                        resource.namespace(),
                        resource.plural(),
                        null,
                        null)
                    .objectPath()
                + "?fieldSelector="
                + URLEncoder.encode("metadata.name=" + resource.name(), StandardCharsets.UTF_8);
    JsonNode list = storeGet(listPath);
    if (list == null) {
      return new Deleting(0, List.of());
    }
    List<JsonNode> objects = new ArrayList<>();
    for (JsonNode item : list.path("items")) {
      if (item.path("metadata").path("finalizers").isEmpty()
          && (resource.name() == null
              || resource.name().equals(item.path("metadata").path("name").asText()))) {
        objects.add(item);
      }
    }
    return new Deleting(list.path("metadata").path("resourceVersion").asLong(0), objects);
  }

  private MockResponse review(RecordedRequest request, ResourcePath resource) {
    ObjectNode review;
    try {
      review = parseObject(request);
    } catch (ApiError e) {
      // kubectl auth can-i sends the review as protobuf: its answer does not depend on it.
      review = Json.object().put("apiVersion", "authorization.k8s.io/v1");
      review.put(
          "kind",
          catalog()
              .find(resource.group(), resource.version(), resource.plural())
              .map(ApiResourceType::kind)
              .orElse("SelfSubjectAccessReview"));
    }
    ObjectNode status = review.putObject("status");
    if (resource.plural().equals("selfsubjectrulesreviews")) {
      ObjectNode rule = status.putArray("resourceRules").addObject();
      rule.putArray("verbs").add("*");
      rule.putArray("apiGroups").add("*");
      rule.putArray("resources").add("*");
      ObjectNode nonResource = status.putArray("nonResourceRules").addObject();
      nonResource.putArray("verbs").add("*");
      nonResource.putArray("nonResourceURLs").add("*");
      status.put("incomplete", false);
    } else {
      status.put("allowed", true).put("reason", "the local API allows every request");
    }
    return json(201, review);
  }

  private void requireNamespace(String namespace) {
    if (requireNamespaces && storeGet("/api/v1/namespaces/" + namespace) == null) {
      throw ApiError.notFound(new ResourcePath("", "v1", null, "namespaces", namespace, null));
    }
  }

  private String generateName(ResourcePath resource, String prefix) {
    for (int attempt = 0; attempt < 20; attempt++) {
      StringBuilder name = new StringBuilder(prefix);
      for (int i = 0; i < 5; i++) {
        name.append(NAME_CHARACTERS.charAt(random.nextInt(NAME_CHARACTERS.length())));
      }
      ResourcePath candidate =
          new ResourcePath(
              resource.group(),
              resource.version(),
              resource.namespace(),
              resource.plural(),
              name.toString(),
              null);
      if (storeGet(candidate.objectPath()) == null) {
        return name.toString();
      }
    }
    throw new ApiError(409, "AlreadyExists", "could not generate a unique name for " + prefix);
  }

  private void afterUpdate(ResourcePath resource, ObjectNode written, MockResponse response) {
    invalidateCatalogOnCrdChange(resource, response);
    if (response.code() < 300 && written.path("metadata").hasNonNull("deletionTimestamp")) {
      // the write that takes the last finalizer away deletes the object
      if (storeGet(resource.objectPath()) == null) {
        deletions.deleted(
            resource, deleting(resource, resource.objectPath()).version(), List.of(written));
      }
      onDeletion.run();
    }
  }

  private synchronized void invalidateCatalogOnCrdChange(
      ResourcePath resource, MockResponse response) {
    if (resource.group().equals("apiextensions.k8s.io") && response.code() < 300) {
      catalog = null;
    }
  }

  private static boolean isDryRun(Map<String, String> query) {
    return query.containsKey("dryRun");
  }

  /** Whether a DeleteOptions body asks for a dry run (clients send it there for deletions). */
  private static boolean isDryRun(Buffer body) {
    if (body == null || body.size() == 0) {
      return false;
    }
    try {
      JsonNode options = Json.parse(new String(body.getBytes(), StandardCharsets.UTF_8));
      return options.path("dryRun").isArray() && !options.path("dryRun").isEmpty();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** What a create would have stored: the object with the metadata the server fills in. */
  private ObjectNode dryRunCreated(
      ResourcePath resource, ApiResourceType type, ObjectNode object, String name) {
    ResourcePath target = resource.object(name);
    if (storeGet(target.objectPath()) != null) {
      throw new ApiError(
          409,
          "AlreadyExists",
          target.qualifiedResource() + " \"" + name + "\" already exists",
          target);
    }
    ObjectNode metadata = metadata(object);
    if (resource.namespace() != null) {
      metadata.put("namespace", resource.namespace());
    }
    metadata.put("uid", UUID.randomUUID().toString());
    metadata.put("creationTimestamp", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
    metadata.put("generation", 1);
    if (type != null && type.subresources().contains("status")) {
      object.remove("status");
    }
    return object;
  }

  private static JsonNode applyJsonPatch(JsonNode patch, JsonNode current) {
    try {
      return JsonPatch.apply(patch, current);
    } catch (RuntimeException e) {
      throw new ApiError(422, "Invalid", "the JSON patch could not be applied: " + e.getMessage());
    }
  }

  private static MockResponse withWarnings(MockResponse response, List<String> warnings) {
    for (String warning : warnings) {
      response.addHeader("Warning", "299 - \"" + warning.replace("\"", "\\\"") + "\"");
    }
    return response;
  }

  // ---- plumbing ----

  /** The stored object or list at a path, or {@code null} when there is none. */
  JsonNode storeGet(String path) {
    MockResponse response =
        store.dispatch(
            new RecordedRequest(
                "HTTP/1.1", HttpMethod.GET, path, Headers.builder().build(), new Buffer()));
    if (response.code() != 200 || response.getBody() == null || response.getBody().size() == 0) {
      return null;
    }
    return Json.parse(new String(response.getBody().getBytes(), StandardCharsets.UTF_8));
  }

  private static ObjectNode parseObject(RecordedRequest request) {
    String contentType = String.valueOf(request.getHeader("Content-Type"));
    if (contentType.startsWith(KubernetesProtobuf.CONTENT_TYPE)) {
      try {
        return KubernetesProtobuf.decode(request.getBody().getBytes())
            .orElseThrow(
                () ->
                    new ApiError(
                        415,
                        "UnsupportedMediaType",
                        "the local API reads protobuf only for Namespaces, Secrets, ConfigMaps"
                            + " and ServiceAccounts; send other objects as JSON or YAML"
                            + " (kubectl apply -f, kubectl create -f)"));
      } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
        throw new ApiError(400, "BadRequest", "malformed protobuf body: " + e.getMessage());
      }
    }
    String body = new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
    JsonNode node;
    try {
      node = Json.parse(body);
    } catch (RuntimeException e) {
      throw new ApiError(400, "BadRequest", "the request body is not JSON: " + e.getMessage());
    }
    if (!(node instanceof ObjectNode object)) {
      throw new ApiError(400, "BadRequest", "the request body is not a JSON object");
    }
    return object;
  }

  private static ObjectNode metadata(ObjectNode object) {
    return object.get("metadata") instanceof ObjectNode metadata
        ? metadata
        : object.putObject("metadata");
  }

  private static RecordedRequest copy(RecordedRequest request, HttpMethod method, String path) {
    return new RecordedRequest(
        request.getHttpVersion(),
        method,
        path,
        request.getHeaders(),
        new Buffer(request.getBody().getBytes()));
  }

  private static RecordedRequest copy(
      RecordedRequest request, HttpMethod method, String path, JsonNode body) {
    return new RecordedRequest(
        request.getHttpVersion(),
        method,
        path,
        request.getHeaders().newBuilder().set("Content-Type", "application/json").build(),
        new Buffer(Json.write(body).getBytes(StandardCharsets.UTF_8)));
  }

  private static MockResponse json(int code, JsonNode body) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(Json.write(body));
  }

  /** Whether a request is a watch: a GET with {@code watch=true} (or 1), over any transport. */
  static boolean isWatch(RecordedRequest request) {
    if (request.method() != HttpMethod.GET) {
      return false;
    }
    String path = request.getPath();
    int q = path.indexOf('?');
    if (q < 0) {
      return false;
    }
    Map<String, String> query = parseQuery(path.substring(q + 1));
    return "true".equals(query.get("watch")) || "1".equals(query.get("watch"));
  }

  static Map<String, String> parseQuery(String rawQuery) {
    Map<String, String> query = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      query.put(
          URLDecoder.decode(key, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return query;
  }

  private static String withoutParameter(String rawQuery, String parameter) {
    List<String> kept = new ArrayList<>();
    for (String pair : rawQuery.split("&")) {
      String key = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
      if (!pair.isEmpty() && !URLDecoder.decode(key, StandardCharsets.UTF_8).equals(parameter)) {
        kept.add(pair);
      }
    }
    return kept.isEmpty() ? "" : "?" + String.join("&", kept);
  }

  private static String lastLines(String text, int lines) {
    if (lines < 0) {
      return text;
    }
    int end = text.endsWith("\n") ? text.length() - 1 : text.length();
    int start = end;
    int count = 0;
    while (start > 0) {
      if (text.charAt(start - 1) == '\n' && ++count == lines) {
        break;
      }
      start--;
    }
    return lines == 0 ? "" : text.substring(start);
  }
}

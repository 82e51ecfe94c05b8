package dev.tessera.local.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.crud.CrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.lang.reflect.Field;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * fabric8's CRUD mock, one per resource type: the mock finds an object by comparing the request
 * with every object it stores, so with one store for everything a read of a Run also went through
 * every Event, Pod and Secret. Each type's store holds that type only, and answers its lists and
 * watches and keeps its resourceVersions, as a real API server does per resource (a resourceVersion
 * is only compared within one type).
 *
 * <p>Every store knows every custom resource definition (for the status subresource and the scope
 * of a custom type): a store made later gets those that exist, and a definition written later is
 * passed to the stores that exist.
 */
final class PartitionedStore extends Dispatcher {
  private static final String CRDS = "apiextensions.k8s.io/customresourcedefinitions";

  private final Map<ServerRequest, Queue<ServerResponse>> expectations;
  private final KubernetesMixedDispatcher other;
  private final Map<String, KubernetesMixedDispatcher> byType = new ConcurrentHashMap<>();

  PartitionedStore(Map<ServerRequest, Queue<ServerResponse>> expectations) {
    this.expectations = expectations;
    this.other = new KubernetesMixedDispatcher(expectations);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    return dispatch(request, null);
  }

  /**
   * Serves a request; {@code created} names the object a POST creates, which its path does not. A
   * request about one object is served with its store narrowed to that name ({@link
   * NameIndexedMap}); lists and watches go through the whole store.
   */
  MockResponse dispatch(RecordedRequest request, String created) {
    String path = request.getPath();
    int q = path.indexOf('?');
    Optional<ResourcePath> resource = ResourcePath.parse(q < 0 ? path : path.substring(0, q));
    if (resource.isEmpty()) {
      return other.dispatch(request);
    }
    String type = resource.get().group() + "/" + resource.get().plural();
    KubernetesMixedDispatcher store = store(type);
    String query = q < 0 ? "" : path.substring(q + 1);
    boolean watch = query.contains("watch=true");
    String name =
        resource.get().name() != null
            ? resource.get().name()
            : created != null ? created : selectedName(query);
    MockResponse response =
        name == null || watch
            ? store.dispatch(request)
            : NameIndexedMap.narrowedTo(name, () -> store.dispatch(request));
    if (type.equals(CRDS)
        && request.method() != HttpMethod.GET
        && response.code() >= 200
        && response.code() < 300) {
      definitionWritten(response);
    }
    return response;
  }

  /**
   * The name a list's field selector requires ({@code metadata.name=NAME}, alone or beside other
   * terms), or null: only objects of that name can be listed.
   */
  static String selectedName(String query) {
    for (String parameter : query.split("&")) {
      if (!parameter.startsWith("fieldSelector=")) {
        continue;
      }
      String selector =
          URLDecoder.decode(parameter.substring("fieldSelector=".length()), StandardCharsets.UTF_8);
      for (String term : selector.split(",")) {
        String trimmed = term.trim();
        for (String equals : List.of("metadata.name==", "metadata.name=")) {
          if (trimmed.startsWith(equals)) {
            return trimmed.substring(equals.length());
          }
        }
      }
    }
    return null;
  }

  private KubernetesMixedDispatcher store(String type) {
    KubernetesMixedDispatcher existing = byType.get(type);
    if (existing != null) {
      return existing;
    }
    // made without a lock held (it reads the definitions from their store): two threads may each
    // make one, and the first put wins
    KubernetesMixedDispatcher made =
        indexed(
            type.equals(CRDS)
                ? new KubernetesMixedDispatcher(expectations)
                : new KubernetesMixedDispatcher(expectations, definitions()));
    KubernetesMixedDispatcher raced = byType.putIfAbsent(type, made);
    if (raced != null) {
      return raced;
    }
    if (!type.equals(CRDS)) {
      // a definition written while this store was being made
      definitions().forEach(made::expectCustomResource);
    }
    return made;
  }

  /**
   * Gives a new store's CRUD part a {@link NameIndexedMap} in place of its plain map (a field the
   * mock sets once and never replaces; the store is empty yet).
   */
  static KubernetesMixedDispatcher indexed(KubernetesMixedDispatcher store) {
    try {
      ObjectMap map = ObjectMap.of(store);
      if (!map.get().isEmpty()) {
        throw new IllegalStateException("the store already holds objects");
      }
      map.set(new NameIndexedMap());
      return store;
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "fabric8's mock store has changed: cannot index its objects by name", e);
    }
  }

  /** Whether a store's objects are indexed by name (tests). */
  static boolean isIndexed(KubernetesMixedDispatcher store) throws ReflectiveOperationException {
    return ObjectMap.of(store).get() instanceof NameIndexedMap;
  }

  /** The field of a store's CRUD part that holds its objects ({@code CrudDispatcher.map}). */
  private record ObjectMap(Object dispatcher, Field field) {
    static ObjectMap of(KubernetesMixedDispatcher store) throws ReflectiveOperationException {
      Field crud = KubernetesMixedDispatcher.class.getDeclaredField("kubernetesCrudDispatcher");
      crud.setAccessible(true);
      Field map = CrudDispatcher.class.getDeclaredField("map");
      map.setAccessible(true);
      return new ObjectMap(crud.get(store), map);
    }

    Map<?, ?> get() throws IllegalAccessException {
      return (Map<?, ?>) field.get(dispatcher);
    }

    void set(Map<?, ?> map) throws IllegalAccessException {
      field.set(dispatcher, map);
    }
  }

  /** Whether every store made so far is indexed by name (tests). */
  boolean storesIndexed() throws ReflectiveOperationException {
    for (KubernetesMixedDispatcher store : byType.values()) {
      if (!isIndexed(store)) {
        return false;
      }
    }
    return !byType.isEmpty();
  }

  /** The custom resource definitions stored, as the mock's contexts. */
  private List<CustomResourceDefinitionContext> definitions() {
    KubernetesMixedDispatcher crds = byType.get(CRDS);
    List<CustomResourceDefinitionContext> contexts = new ArrayList<>();
    if (crds == null) {
      return contexts;
    }
    MockResponse list =
        crds.dispatch(
            new RecordedRequest(
                "HTTP/1.1",
                HttpMethod.GET,
                "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                Headers.builder().build(),
                new Buffer()));
    if (list.code() != 200 || list.getBody() == null) {
      return contexts;
    }
    JsonNode items =
        Json.parse(new String(list.getBody().getBytes(), StandardCharsets.UTF_8)).path("items");
    for (JsonNode item : items) {
      contexts.add(context(item));
    }
    return contexts;
  }

  private void definitionWritten(MockResponse response) {
    if (response.getBody() == null) {
      return;
    }
    JsonNode crd = Json.parse(new String(response.getBody().getBytes(), StandardCharsets.UTF_8));
    if (!"CustomResourceDefinition".equals(crd.path("kind").asText())) {
      return;
    }
    CustomResourceDefinitionContext context = context(crd);
    byType.forEach(
        (type, store) -> {
          if (!type.equals(CRDS)) {
            store.expectCustomResource(context);
          }
        });
  }

  private static CustomResourceDefinitionContext context(JsonNode crd) {
    return CustomResourceDefinitionContext.fromCrd(
        Json.MAPPER.convertValue(crd, CustomResourceDefinition.class));
  }

  @Override
  public void shutdown() {
    other.shutdown();
    byType.values().forEach(Dispatcher::shutdown);
  }
}

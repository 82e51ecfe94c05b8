package dev.tessera.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class PartitionedStoreTest {
  private final PartitionedStore store = new PartitionedStore(new ConcurrentHashMap<>());

  @Test
  void eachTypeKeepsItsObjectsAndACrdWrittenLaterReachesItsTypesStore() {
    String widgets = "/apis/example.dev/v1/namespaces/default/widgets";
    // the widgets' store exists before their definition
    assertThat(send(HttpMethod.GET, widgets, null).code()).isEqualTo(200);
    send(
        HttpMethod.POST,
        "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
        """
        {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
         "metadata": {"name": "widgets.example.dev"},
         "spec": {"group": "example.dev", "scope": "Namespaced",
          "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
          "versions": [{"name": "v1", "served": true, "storage": true,
            "subresources": {"status": {}},
            "schema": {"openAPIV3Schema": {"type": "object",
              "x-kubernetes-preserve-unknown-fields": true}}}]}}
        """);
    send(
        HttpMethod.POST,
        widgets,
        """
        {"apiVersion": "example.dev/v1", "kind": "Widget",
         "metadata": {"name": "w", "namespace": "default"}, "spec": {"size": 1}}
        """);
    send(
        HttpMethod.POST,
        "/api/v1/namespaces/default/configmaps",
        """
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "w", "namespace": "default"}}
        """);

    // the status subresource: a write of /status changes the status only
    JsonNode stored = body(send(HttpMethod.GET, widgets + "/w", null));
    String replaced =
        stored
            .toString()
            .replace("\"size\":1", "\"size\":2")
            .replace("}}", "},\"status\":{\"ok\":true}}");
    send(HttpMethod.PUT, widgets + "/w/status", replaced);
    JsonNode after = body(send(HttpMethod.GET, widgets + "/w", null));
    assertThat(after.path("status").path("ok").asBoolean()).isTrue();
    assertThat(after.path("spec").path("size").asInt()).isEqualTo(1);
    // and a write of the object keeps the status
    send(
        HttpMethod.PUT,
        widgets + "/w",
        after
            .toString()
            .replace("\"size\":1", "\"size\":3")
            .replace("\"ok\":true", "\"ok\":false"));
    JsonNode edited = body(send(HttpMethod.GET, widgets + "/w", null));
    assertThat(edited.path("spec").path("size").asInt()).isEqualTo(3);
    assertThat(edited.path("status").path("ok").asBoolean()).isTrue();

    // a list of one type holds that type only
    assertThat(body(send(HttpMethod.GET, widgets, null)).path("items")).hasSize(1);
    assertThat(
            body(send(HttpMethod.GET, "/api/v1/namespaces/default/configmaps", null)).path("items"))
        .hasSize(1);
  }

  @Test
  void aRequestAboutOneObjectFindsItAmongObjectsOfOtherNamesAndNamespaces() {
    String a = "/api/v1/namespaces/a/configmaps";
    String b = "/api/v1/namespaces/b/configmaps";
    for (String namespace : new String[] {"a", "b"}) {
      for (String name : new String[] {"x", "y", "z"}) {
        send(
            HttpMethod.POST,
            "/api/v1/namespaces/" + namespace + "/configmaps",
            configMap(namespace, name, namespace + name));
      }
    }
    // a second create of a name that exists in the namespace is refused, and not elsewhere
    assertThat(send(HttpMethod.POST, a, configMap("a", "x", "again")).code()).isEqualTo(409);

    assertThat(body(send(HttpMethod.GET, a + "/y", null)).path("data").path("v").asText())
        .isEqualTo("ay");
    assertThat(body(send(HttpMethod.GET, b + "/y", null)).path("data").path("v").asText())
        .isEqualTo("by");
    assertThat(send(HttpMethod.GET, a + "/w", null).code()).isEqualTo(404);

    // a replace changes that object only
    JsonNode by = body(send(HttpMethod.GET, b + "/y", null));
    send(HttpMethod.PUT, b + "/y", by.toString().replace("\"by\"", "\"by2\""));
    assertThat(body(send(HttpMethod.GET, b + "/y", null)).path("data").path("v").asText())
        .isEqualTo("by2");
    assertThat(body(send(HttpMethod.GET, a + "/y", null)).path("data").path("v").asText())
        .isEqualTo("ay");

    // a list selected by name holds that name only; a plain list holds all
    assertThat(
            body(send(HttpMethod.GET, a + "?fieldSelector=metadata.name%3Dz", null)).path("items"))
        .singleElement()
        .satisfies(item -> assertThat(item.path("data").path("v").asText()).isEqualTo("az"));
    assertThat(body(send(HttpMethod.GET, a, null)).path("items")).hasSize(3);

    // a delete removes that object only
    assertThat(send(HttpMethod.DELETE, a + "/x", null).code()).isEqualTo(200);
    assertThat(send(HttpMethod.GET, a + "/x", null).code()).isEqualTo(404);
    assertThat(send(HttpMethod.GET, b + "/x", null).code()).isEqualTo(200);
    assertThat(send(HttpMethod.POST, a, configMap("a", "x", "new")).code()).isLessThan(300);
    assertThat(body(send(HttpMethod.GET, a + "/x", null)).path("data").path("v").asText())
        .isEqualTo("new");
  }

  @Test
  void everyStoreIsIndexedByName() throws Exception {
    send(HttpMethod.GET, "/api/v1/namespaces/a/secrets", null);
    assertThat(
            PartitionedStore.isIndexed(
                PartitionedStore.indexed(
                    new io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher(
                        new ConcurrentHashMap<>()))))
        .isTrue();
    assertThat(store.storesIndexed()).isTrue();
  }

  @Test
  void aFieldSelectorOnTheNameNarrowsAList() {
    assertThat(PartitionedStore.selectedName("fieldSelector=metadata.name%3Dx")).isEqualTo("x");
    assertThat(PartitionedStore.selectedName("limit=5&fieldSelector=metadata.name%3D%3Dx"))
        .isEqualTo("x");
    assertThat(
            PartitionedStore.selectedName(
                "fieldSelector=metadata.namespace%3Da%2Cmetadata.name%3Dx"))
        .isEqualTo("x");
    assertThat(PartitionedStore.selectedName("fieldSelector=metadata.name%21%3Dx")).isNull();
    assertThat(PartitionedStore.selectedName("labelSelector=a%3Db")).isNull();
    assertThat(PartitionedStore.selectedName("")).isNull();
  }

  private static String configMap(String namespace, String name, String value) {
    return """
        {"apiVersion": "v1", "kind": "ConfigMap",
         "metadata": {"name": "%s", "namespace": "%s"}, "data": {"v": "%s"}}
        """
        .formatted(name, namespace, value);
  }

  private MockResponse send(HttpMethod method, String path, String json) {
    Buffer body = new Buffer();
    if (json != null) {
      body.write(json.getBytes(StandardCharsets.UTF_8));
    }
    return store.dispatch(
        new RecordedRequest(
            "HTTP/1.1",
            method,
            path,
            Headers.builder().add("Content-Type", "application/json").build(),
            body));
  }

  private static JsonNode body(MockResponse response) {
    return Json.parse(new String(response.getBody().getBytes(), StandardCharsets.UTF_8));
  }
}

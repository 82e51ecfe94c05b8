package dev.tessera.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResourcePathTest {

  @Test
  void parsesNamespacedAndClusterPaths() {
    assertThat(ResourcePath.parse("/apis/tessera.dev/v1alpha1/namespaces/default/runs/r1/status"))
        .contains(new ResourcePath("tessera.dev", "v1alpha1", "default", "runs", "r1", "status"));
    assertThat(ResourcePath.parse("/api/v1/namespaces/ns/pods"))
        .contains(new ResourcePath("", "v1", "ns", "pods", null, null));
    assertThat(ResourcePath.parse("/api/v1/namespaces/ns"))
        .contains(new ResourcePath("", "v1", null, "namespaces", "ns", null));
    assertThat(ResourcePath.parse("/api/v1/namespaces/ns/status"))
        .contains(new ResourcePath("", "v1", null, "namespaces", "ns", "status"));
    assertThat(ResourcePath.parse("/apis/apiextensions.k8s.io/v1/customresourcedefinitions"))
        .contains(
            new ResourcePath(
                "apiextensions.k8s.io", "v1", null, "customresourcedefinitions", null, null));
  }

  @Test
  void discoveryPathsAreNoResources() {
    assertThat(ResourcePath.parse("/api/v1")).isEmpty();
    assertThat(ResourcePath.parse("/apis/tessera.dev/v1alpha1")).isEmpty();
    assertThat(ResourcePath.parse("/version")).isEmpty();
  }

  @Test
  void namesResourcesTheWayErrorsDo() {
    ResourcePath path =
        ResourcePath.parse("/apis/tessera.dev/v1alpha1/namespaces/d/runs/r1/status").orElseThrow();
    assertThat(path.qualifiedResource()).isEqualTo("runs.tessera.dev");
    assertThat(path.objectPath()).isEqualTo("/apis/tessera.dev/v1alpha1/namespaces/d/runs/r1");
    assertThat(path.isStatus()).isTrue();
  }
}

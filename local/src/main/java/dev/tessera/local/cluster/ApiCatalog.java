package dev.tessera.local.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.local.cluster.ApiResourceType.PrinterColumn;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the embedded API serves: a fixed set of built-in resources plus those of the stored
 * CustomResourceDefinitions. It answers the discovery documents ({@code /api}, {@code /apis},
 * {@code /apis/GROUP/VERSION}) that kubectl and clients read before anything else.
 */
final class ApiCatalog {
  private static final List<String> CREATE_ONLY = List.of("create");
  private static final List<String> STATUS_VERBS = List.of("get", "patch", "update");

  private final List<ApiResourceType> types;

  private ApiCatalog(List<ApiResourceType> types) {
    this.types = List.copyOf(types);
  }

  /** The built-in resources plus the served versions of the given CRDs (JSON objects). */
  static ApiCatalog of(Collection<JsonNode> crds) {
    List<ApiResourceType> types = new ArrayList<>(builtIns());
    for (JsonNode crd : crds) {
      types.addAll(fromCrd(crd));
    }
    return new ApiCatalog(types);
  }

  List<ApiResourceType> types() {
    return types;
  }

  Optional<ApiResourceType> find(String group, String version, String plural) {
    return types.stream()
        .filter(
            t ->
                t.group().equals(group) && t.version().equals(version) && t.plural().equals(plural))
        .findFirst();
  }

  Optional<ApiResourceType> findKind(String apiVersion, String kind) {
    return types.stream()
        .filter(t -> t.apiVersion().equals(apiVersion) && t.kind().equals(kind))
        .findFirst();
  }

  /** Group versions in discovery order: the core group first, then the others. */
  List<String> groupVersions() {
    Set<String> result = new LinkedHashSet<>();
    types.forEach(t -> result.add(t.apiVersion()));
    return List.copyOf(result);
  }

  List<ApiResourceType> typesOf(String group, String version) {
    return types.stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version))
        .toList();
  }

  /** {@code GET /api}. */
  JsonNode coreVersions(String serverAddress) {
    ObjectNode versions = Json.object().put("kind", "APIVersions");
    versions.putArray("versions").add("v1");
    versions
        .putArray("serverAddressByClientCIDRs")
        .addObject()
        .put("clientCIDR", "0.0.0.0/0")
        .put("serverAddress", serverAddress);
    return versions;
  }

  /** {@code GET /apis}. */
  JsonNode groupList() {
    ObjectNode list = Json.object().put("kind", "APIGroupList").put("apiVersion", "v1");
    ArrayNode groups = list.putArray("groups");
    groupNames().forEach(name -> groups.add(groupDocument(name)));
    return list;
  }

  /** {@code GET /apis/GROUP}. */
  Optional<JsonNode> group(String name) {
    if (!groupNames().contains(name)) {
      return Optional.empty();
    }
    return Optional.of(groupDocument(name).put("kind", "APIGroup").put("apiVersion", "v1"));
  }

  /** {@code GET /apis/GROUP/VERSION} or {@code GET /api/v1}. */
  Optional<JsonNode> resourceList(String group, String version) {
    List<ApiResourceType> served = typesOf(group, version);
    if (served.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode list =
        Json.object()
            .put("kind", "APIResourceList")
            .put("apiVersion", "v1")
            .put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode resources = list.putArray("resources");
    for (ApiResourceType type : served) {
      ObjectNode resource =
          resources
              .addObject()
              .put("name", type.plural())
              .put("singularName", type.singular())
              .put("namespaced", type.namespaced())
              .put("kind", type.kind());
      resource.set("verbs", Json.strings(type.verbs()));
      if (!type.shortNames().isEmpty()) {
        resource.set("shortNames", Json.strings(type.shortNames()));
      }
      if (!type.categories().isEmpty()) {
        resource.set("categories", Json.strings(type.categories()));
      }
      for (String subresource : type.subresources()) {
        ObjectNode sub =
            resources
                .addObject()
                .put("name", type.plural() + "/" + subresource)
                .put("singularName", "")
                .put("namespaced", type.namespaced())
                .put("kind", type.kind());
        sub.set("verbs", Json.strings(subresource.equals("log") ? List.of("get") : STATUS_VERBS));
      }
    }
    return Optional.of(list);
  }

  private Set<String> groupNames() {
    Set<String> names = new LinkedHashSet<>();
    types.stream().map(ApiResourceType::group).filter(g -> !g.isEmpty()).forEach(names::add);
    return names;
  }

  private ObjectNode groupDocument(String name) {
    ObjectNode group = Json.object().put("name", name);
    ArrayNode versions = group.putArray("versions");
    Map<String, Boolean> seen = new LinkedHashMap<>();
    for (ApiResourceType type : types) {
      if (type.group().equals(name) && seen.putIfAbsent(type.version(), true) == null) {
        versions
            .addObject()
            .put("groupVersion", name + "/" + type.version())
            .put("version", type.version());
      }
    }
    group.set("preferredVersion", versions.get(0).deepCopy());
    return group;
  }

  private static List<ApiResourceType> fromCrd(JsonNode crd) {
    JsonNode spec = crd.path("spec");
    JsonNode names = spec.path("names");
    String group = spec.path("group").asText();
    String kind = names.path("kind").asText();
    String plural = names.path("plural").asText();
    String singular = names.path("singular").asText(kind.toLowerCase());
    boolean namespaced = !"Cluster".equals(spec.path("scope").asText());
    List<String> shortNames = texts(names.path("shortNames"));
    List<String> categories = texts(names.path("categories"));
    List<ApiResourceType> result = new ArrayList<>();
    for (JsonNode version : spec.path("versions")) {
      if (!version.path("served").asBoolean(true)) {
        continue;
      }
      List<String> subresources = new ArrayList<>();
      if (version.path("subresources").has("status")) {
        subresources.add("status");
      }
      if (version.path("subresources").has("scale")) {
        subresources.add("scale");
      }
      List<PrinterColumn> columns = new ArrayList<>();
      for (JsonNode column : version.path("additionalPrinterColumns")) {
        String path = column.path("jsonPath").asText();
        columns.add(
            new PrinterColumn(
                column.path("name").asText(),
                column.path("type").asText("string"),
                column.path("format").asText(""),
                column
                    .path("description")
                    .asText("Custom resource definition column (in JSONPath format): " + path),
                column.path("priority").asInt(0),
                path));
      }
      JsonNode schema = version.path("schema").path("openAPIV3Schema");
      result.add(
          new ApiResourceType(
              group,
              version.path("name").asText(),
              plural,
              singular,
              kind,
              namespaced,
              shortNames,
              categories,
              ApiResourceType.ALL_VERBS,
              subresources,
              columns,
              schema.isMissingNode() ? null : schema,
              true));
    }
    return result;
  }

  private static List<String> texts(JsonNode array) {
    List<String> result = new ArrayList<>();
    array.forEach(n -> result.add(n.asText()));
    return result;
  }

  private static List<ApiResourceType> builtIns() {
    List<ApiResourceType> types = new ArrayList<>();
    types.add(core("configmaps", "ConfigMap", true, List.of("cm"), BuiltInSchemas.CONFIG_MAP));
    types.add(core("endpoints", "Endpoints", true, List.of("ep"), null));
    types.add(core("events", "Event", true, List.of("ev"), null));
    types.add(
        builtIn("", "v1", "namespaces", "Namespace", false, List.of("ns"), List.of(), "status")
            .withSchema(BuiltInSchemas.NAMESPACE));
    types.add(builtIn("", "v1", "nodes", "Node", false, List.of("no"), List.of(), "status"));
    types.add(core("persistentvolumeclaims", "PersistentVolumeClaim", true, List.of("pvc"), null));
    types.add(builtIn("", "v1", "persistentvolumes", "PersistentVolume", false, List.of("pv")));
    types.add(
        builtIn("", "v1", "pods", "Pod", true, List.of("po"), List.of("all"), "status", "log"));
    types.add(core("resourcequotas", "ResourceQuota", true, List.of("quota"), null));
    types.add(core("secrets", "Secret", true, List.of(), BuiltInSchemas.SECRET));
    types.add(core("serviceaccounts", "ServiceAccount", true, List.of("sa"), null));
    types.add(
        builtIn("", "v1", "services", "Service", true, List.of("svc"), List.of("all"), "status"));
    for (String[] apps :
        new String[][] {
          {"deployments", "Deployment", "deploy"},
          {"replicasets", "ReplicaSet", "rs"},
          {"statefulsets", "StatefulSet", "sts"},
          {"daemonsets", "DaemonSet", "ds"}
        }) {
      types.add(
          builtIn(
              "apps", "v1", apps[0], apps[1], true, List.of(apps[2]), List.of("all"), "status"));
    }
    types.add(builtIn("batch", "v1", "jobs", "Job", true, List.of(), List.of("all"), "status"));
    types.add(
        builtIn(
            "batch", "v1", "cronjobs", "CronJob", true, List.of("cj"), List.of("all"), "status"));
    types.add(builtIn("coordination.k8s.io", "v1", "leases", "Lease", true, List.of()));
    types.add(builtIn("events.k8s.io", "v1", "events", "Event", true, List.of("ev")));
    types.add(
        builtIn(
            "apiextensions.k8s.io",
            "v1",
            "customresourcedefinitions",
            "CustomResourceDefinition",
            false,
            List.of("crd", "crds"),
            List.of("api-extensions"),
            "status"));
    for (String[] review :
        new String[][] {
          {"selfsubjectaccessreviews", "SelfSubjectAccessReview"},
          {"selfsubjectrulesreviews", "SelfSubjectRulesReview"},
          {"subjectaccessreviews", "SubjectAccessReview"}
        }) {
      types.add(
          new ApiResourceType(
              "authorization.k8s.io",
              "v1",
              review[0],
              review[1].toLowerCase(),
              review[1],
              false,
              List.of(),
              List.of(),
              CREATE_ONLY,
              List.of(),
              List.of(),
              null,
              false));
    }
    String rbac = "rbac.authorization.k8s.io";
    types.add(builtIn(rbac, "v1", "roles", "Role", true, List.of()));
    types.add(builtIn(rbac, "v1", "rolebindings", "RoleBinding", true, List.of()));
    types.add(builtIn(rbac, "v1", "clusterroles", "ClusterRole", false, List.of()));
    types.add(builtIn(rbac, "v1", "clusterrolebindings", "ClusterRoleBinding", false, List.of()));
    return types;
  }

  private static ApiResourceType core(
      String plural, String kind, boolean namespaced, List<String> shortNames, String schema) {
    ApiResourceType type = builtIn("", "v1", plural, kind, namespaced, shortNames);
    return schema == null ? type : type.withSchema(schema);
  }

  private static ApiResourceType builtIn(
      String group,
      String version,
      String plural,
      String kind,
      boolean namespaced,
      List<String> shortNames) {
    return builtIn(group, version, plural, kind, namespaced, shortNames, List.of());
  }

  private static ApiResourceType builtIn(
      String group,
      String version,
      String plural,
      String kind,
      boolean namespaced,
      List<String> shortNames,
      List<String> categories,
      String... subresources) {
    return new ApiResourceType(
        group,
        version,
        plural,
        kind.toLowerCase(),
        kind,
        namespaced,
        shortNames,
        categories,
        ApiResourceType.ALL_VERBS,
        List.of(subresources),
        List.of(),
        null,
        false);
  }
}

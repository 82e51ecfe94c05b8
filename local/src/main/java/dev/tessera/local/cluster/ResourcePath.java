package dev.tessera.local.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A request path of the Kubernetes API split into its parts: {@code
 * /apis/GROUP/VERSION[/namespaces/NS]/PLURAL[/NAME[/SUBRESOURCE]]} ({@code /api/v1/...} for the
 * core group, whose group is the empty string).
 */
record ResourcePath(
    String group,
    String version,
    String namespace,
    String plural,
    String name,
    String subresource) {

  /** The object of this resource named {@code name}, without a subresource. */
  ResourcePath object(String name) {
    return new ResourcePath(group, version, namespace, plural, name, null);
  }

  static Optional<ResourcePath> parse(String path) {
    List<String> segments = new ArrayList<>();
    for (String segment : path.split("/")) {
      if (!segment.isEmpty()) {
        segments.add(segment);
      }
    }
    String group;
    List<String> rest;
    if (segments.size() >= 3 && segments.get(0).equals("api")) {
      group = "";
      rest = segments.subList(1, segments.size());
    } else if (segments.size() >= 4 && segments.get(0).equals("apis")) {
      group = segments.get(1);
      rest = segments.subList(2, segments.size());
    } else {
      return Optional.empty();
    }
    String version = rest.get(0);
    rest = rest.subList(1, rest.size());
    String namespace = null;
    boolean namespaceSubresource =
        rest.size() == 3 && Arrays.asList("status", "finalize").contains(rest.get(2));
    if (rest.size() >= 3 && rest.get(0).equals("namespaces") && !namespaceSubresource) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    String plural = rest.get(0);
    String name = rest.size() > 1 ? rest.get(1) : null;
    String subresource = rest.size() > 2 ? String.join("/", rest.subList(2, rest.size())) : null;
    return Optional.of(new ResourcePath(group, version, namespace, plural, name, subresource));
  }

  /** {@code group/version}, or just the version for the core group. */
  String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** The path of the object itself (no subresource). */
  String objectPath() {
    StringBuilder path = new StringBuilder(group.isEmpty() ? "/api" : "/apis/" + group);
    path.append('/').append(version);
    if (namespace != null) {
      path.append("/namespaces/").append(namespace);
    }
    path.append('/').append(plural);
    if (name != null) {
      path.append('/').append(name);
    }
    return path.toString();
  }

  boolean isStatus() {
    return "status".equals(subresource);
  }

  /**
   * {@code plural.group} the way the API names a resource in messages ({@code runs.tessera.dev}).
   */
  String qualifiedResource() {
    return group.isEmpty() ? plural : plural + "." + group;
  }
}

package dev.tessera.local.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One resource the embedded API serves, as discovery describes it, with what the API needs to print
 * it as a table and to validate it.
 *
 * @param schema the OpenAPI v3 schema of the kind, or {@code null} when the API has none
 * @param printerColumns the columns of {@code kubectl get}, after NAME; empty for the defaults
 * @param custom whether a CustomResourceDefinition defines it
 */
record ApiResourceType(
    String group,
    String version,
    String plural,
    String singular,
    String kind,
    boolean namespaced,
    List<String> shortNames,
    List<String> categories,
    List<String> verbs,
    List<String> subresources,
    List<PrinterColumn> printerColumns,
    JsonNode schema,
    boolean custom) {

  static final List<String> ALL_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  /** This type with an OpenAPI v3 schema given as JSON text. */
  ApiResourceType withSchema(String schemaJson) {
    return new ApiResourceType(
        group,
        version,
        plural,
        singular,
        kind,
        namespaced,
        shortNames,
        categories,
        verbs,
        subresources,
        printerColumns,
        Json.parse(schemaJson),
        custom);
  }

  String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** A column of {@code kubectl get}: a CRD's additionalPrinterColumn or a built-in one. */
  record PrinterColumn(
      String name, String type, String format, String description, int priority, String jsonPath) {}
}

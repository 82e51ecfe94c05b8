package dev.tessera.local.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.local.cluster.ApiResourceType.PrinterColumn;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Answers {@code Accept: application/json;as=Table;g=meta.k8s.io;v=v1}, which is how {@code kubectl
 * get} asks for the columns it prints: a CRD's additionalPrinterColumns for custom resources, the
 * usual columns for the common built-in kinds (pods, secrets, namespaces...), and NAME and AGE for
 * the others.
 */
final class TableConverter {
  private static final String NAME_DESCRIPTION =
      "Name must be unique within a namespace. It is required when creating resources.";

  private final Instant now;

  TableConverter(Instant now) {
    this.now = now;
  }

  /**
   * Converts a list or a single object into a Table.
   *
   * @param type the resource type, or {@code null} when unknown (NAME and AGE are printed)
   * @param includeObject the request's {@code includeObject}: {@code None}, {@code Object} or
   *     {@code Metadata} (the default)
   */
  JsonNode convert(JsonNode listOrObject, ApiResourceType type, String includeObject) {
    List<Column> columns = columns(type, listOrObject.path("kind").asText());
    ObjectNode table = Json.object().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
    String resourceVersion = Json.text(listOrObject, "metadata", "resourceVersion");
    ObjectNode metadata = table.putObject("metadata");
    if (resourceVersion != null) {
      metadata.put("resourceVersion", resourceVersion);
    }
    ArrayNode definitions = table.putArray("columnDefinitions");
    for (Column column : columns) {
      definitions
          .addObject()
          .put("name", column.definition.name())
          .put(
              "type", column.definition.type().equals("date") ? "string" : column.definition.type())
          .put("format", column.definition.format())
          .put("description", column.definition.description())
          .put("priority", column.definition.priority());
    }
    ArrayNode rows = table.putArray("rows");
    List<JsonNode> items = new ArrayList<>();
    if (listOrObject.has("items")) {
      listOrObject.get("items").forEach(items::add);
    } else {
      items.add(listOrObject);
    }
    for (JsonNode item : items) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (Column column : columns) {
        cells.add(column.cell(item));
      }
      switch (includeObject == null ? "Metadata" : includeObject) {
        case "None" -> {}
        case "Object" -> row.set("object", item);
        default ->
            row.putObject("object")
                .put("kind", "PartialObjectMetadata")
                .put("apiVersion", "meta.k8s.io/v1")
                .set("metadata", item.path("metadata").deepCopy());
      }
    }
    return table;
  }

  private List<Column> columns(ApiResourceType type, String kind) {
    List<Column> columns = new ArrayList<>();
    columns.add(
        new Column(
            new PrinterColumn("Name", "string", "name", NAME_DESCRIPTION, 0, ".metadata.name"),
            item -> text(item.path("metadata").path("name"))));
    if (type != null && type.custom()) {
      for (PrinterColumn column : type.printerColumns()) {
        SimpleJsonPath path = SimpleJsonPath.parse(column.jsonPath());
        columns.add(new Column(column, item -> customCell(column.type(), path.first(item))));
      }
      if (type.printerColumns().isEmpty()) {
        columns.add(age("Created At"));
      }
      return columns;
    }
    switch (type != null ? type.kind() : kind) {
      case "Pod" -> {
        columns.add(plain("Ready", "string", item -> text(readyCount(item))));
        columns.add(plain("Status", "string", item -> text(podStatus(item))));
        columns.add(plain("Restarts", "integer", item -> Json.MAPPER.valueToTree(restarts(item))));
        columns.add(age("Age"));
        columns.add(wide("IP", item -> item.path("status").path("podIP")));
        columns.add(wide("Node", item -> item.path("spec").path("nodeName")));
      }
      case "Namespace" -> {
        columns.add(
            plain("Status", "string", item -> text(item.path("status").path("phase"), "Active")));
        columns.add(age("Age"));
      }
      case "Secret" -> {
        columns.add(plain("Type", "string", item -> text(item.path("type"), "Opaque")));
        columns.add(plain("Data", "integer", item -> count(item.path("data"))));
        columns.add(age("Age"));
      }
      case "ConfigMap" -> {
        columns.add(
            plain(
                "Data",
                "integer",
                item ->
                    Json.MAPPER.valueToTree(
                        item.path("data").size() + item.path("binaryData").size())));
        columns.add(age("Age"));
      }
      case "Event" -> {
        columns.clear();
        columns.add(
            plain(
                "Last Seen",
                "string",
                item ->
                    text(
                        humanAge(
                            firstText(
                                item,
                                "lastTimestamp",
                                "eventTime",
                                "deprecatedLastTimestamp",
                                "metadata.creationTimestamp")))));
        columns.add(plain("Type", "string", item -> item.path("type")));
        columns.add(plain("Reason", "string", item -> item.path("reason")));
        columns.add(
            plain(
                "Object",
                "string",
                item -> {
                  JsonNode involved =
                      item.has("involvedObject")
                          ? item.get("involvedObject")
                          : item.path("regarding");
                  return text(
                      involved.path("kind").asText().toLowerCase(Locale.ROOT)
                          + "/"
                          + involved.path("name").asText());
                }));
        columns.add(
            plain(
                "Message",
                "string",
                item -> item.has("message") ? item.get("message") : item.path("note")));
      }
      case "Lease" -> {
        columns.add(plain("Holder", "string", item -> item.path("spec").path("holderIdentity")));
        columns.add(age("Age"));
      }
      case "ServiceAccount" -> {
        columns.add(plain("Secrets", "integer", item -> count(item.path("secrets"))));
        columns.add(age("Age"));
      }
      case "CustomResourceDefinition" ->
          columns.add(
              plain("Created At", "date", item -> item.path("metadata").path("creationTimestamp")));
      default -> columns.add(age("Age"));
    }
    return columns;
  }

  private Column age(String name) {
    return new Column(
        new PrinterColumn(
            name,
            "date",
            "",
            "CreationTimestamp is a timestamp representing the server time when this object was"
                + " created.",
            0,
            ".metadata.creationTimestamp"),
        item -> text(humanAge(item.path("metadata").path("creationTimestamp").asText(null))));
  }

  private static Column plain(String name, String type, CellFunction cell) {
    return new Column(new PrinterColumn(name, type, "", name, 0, ""), cell);
  }

  private static Column wide(String name, CellFunction cell) {
    return new Column(new PrinterColumn(name, "string", "", name, 1, ""), cell);
  }

  private JsonNode customCell(String type, JsonNode value) {
    if (value == null || value.isNull()) {
      return Json.MAPPER.nullNode();
    }
    return switch (type) {
      case "date" -> text(humanAge(value.asText()));
      case "integer" -> value.isIntegralNumber() ? value : Json.MAPPER.nullNode();
      case "number" -> value.isNumber() ? value : Json.MAPPER.nullNode();
      case "boolean" -> value.isBoolean() ? value : Json.MAPPER.nullNode();
      default -> value.isValueNode() ? text(value.asText()) : text(Json.write(value));
    };
  }

  private String humanAge(String timestamp) {
    if (timestamp == null || timestamp.isEmpty()) {
      return "<unknown>";
    }
    try {
      return humanDuration(Duration.between(Instant.parse(timestamp), now));
    } catch (DateTimeParseException e) {
      return "<unknown>";
    }
  }

  /** The way kubectl and the API server print an age: {@code 42s}, {@code 5m3s}, {@code 3h}. */
  static String humanDuration(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < -1) {
      return "<invalid>";
    }
    if (seconds < 0) {
      return "0s";
    }
    if (seconds < 60 * 2) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 10) {
      long s = seconds % 60;
      return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
    }
    if (minutes < 60 * 3) {
      return minutes + "m";
    }
    long hours = minutes / 60;
    if (hours < 8) {
      long m = minutes % 60;
      return m == 0 ? hours + "h" : hours + "h" + m + "m";
    }
    if (hours < 48) {
      return hours + "h";
    }
    if (hours < 24 * 8) {
      long h = hours % 24;
      return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
    }
    if (hours < 24 * 365 * 2) {
      return hours / 24 + "d";
    }
    if (hours < 24 * 365 * 8) {
      long days = (hours / 24) % 365;
      return days == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + days + "d";
    }
    return hours / 24 / 365 + "y";
  }

  private static String readyCount(JsonNode pod) {
    int total = pod.path("spec").path("containers").size();
    int ready = 0;
    for (JsonNode status : pod.path("status").path("containerStatuses")) {
      if (status.path("ready").asBoolean(false)) {
        ready++;
      }
    }
    return ready + "/" + total;
  }

  private static long restarts(JsonNode pod) {
    long restarts = 0;
    for (JsonNode status : pod.path("status").path("containerStatuses")) {
      restarts += status.path("restartCount").asLong(0);
    }
    return restarts;
  }

  /** The STATUS column of kubectl get pods: a container's reason when there is one. */
  static String podStatus(JsonNode pod) {
    JsonNode status = pod.path("status");
    String reason = status.path("reason").asText(status.path("phase").asText("Pending"));
    for (JsonNode container : status.path("containerStatuses")) {
      JsonNode state = container.path("state");
      if (state.path("waiting").has("reason")) {
        reason = state.path("waiting").path("reason").asText();
      } else if (state.path("terminated").has("reason")) {
        reason = state.path("terminated").path("reason").asText();
      } else if (state.has("terminated")) {
        reason = "ExitCode:" + state.path("terminated").path("exitCode").asInt();
      }
    }
    if (!pod.path("metadata").path("deletionTimestamp").isMissingNode()
        && !pod.path("metadata").path("deletionTimestamp").isNull()) {
      reason = "Terminating";
    }
    return reason;
  }

  private static String firstText(JsonNode item, String... paths) {
    for (String path : paths) {
      JsonNode node = item;
      for (String field : path.split("\\.")) {
        node = node.path(field);
      }
      if (node.isTextual() && !node.asText().isEmpty()) {
        return node.asText();
      }
    }
    return null;
  }

  private static JsonNode count(JsonNode node) {
    return Json.MAPPER.valueToTree(node.size());
  }

  private static JsonNode text(String value) {
    return Json.MAPPER.getNodeFactory().textNode(value);
  }

  private static JsonNode text(JsonNode value, String fallback) {
    return text(value.isMissingNode() || value.isNull() ? fallback : value.asText());
  }

  private static JsonNode text(JsonNode value) {
    return value == null || value.isMissingNode() ? Json.MAPPER.nullNode() : value;
  }

  private interface CellFunction {
    JsonNode cell(JsonNode item);
  }

  private record Column(PrinterColumn definition, CellFunction function) {
    JsonNode cell(JsonNode item) {
      JsonNode value = function.cell(item);
      return value == null || value.isMissingNode() ? Json.MAPPER.nullNode() : value;
    }
  }
}

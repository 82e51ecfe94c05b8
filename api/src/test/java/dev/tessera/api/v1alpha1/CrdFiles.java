package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Plural;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The committed CRD files: what the generator wrote at build time, with the printer columns in the
 * order the model declares them (the generator sorts them by name, which puts Age first) and the
 * kind's description at the root of the schema (the generator leaves it out).
 */
final class CrdFiles {
  static final String REFRESH_COMMAND = "scripts/refresh-crds";
  static final List<Class<? extends CustomResource<?, ?>>> KINDS =
      List.of(Project.class, AuthSession.class, Run.class, Job.class, JobRun.class);

  private static final YAMLMapper YAML =
      new YAMLMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
              .build());

  private CrdFiles() {}

  /** The repository root, found from the api module's working directory. */
  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("crds"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no crds/ folder above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  static String fileName(Class<?> kind) {
    return kind.getAnnotation(Plural.class).value() + "." + Tessera.GROUP + ".yaml";
  }

  /** The CRD as it should be committed, from the generator's output in target/classes. */
  static String expected(Class<?> kind) {
    Path generated =
        repositoryRoot()
            .resolve("api/target/classes/META-INF/fabric8")
            .resolve(kind.getAnnotation(Plural.class).value() + "." + Tessera.GROUP + "-v1.yml");
    try {
      ObjectNode crd = (ObjectNode) YAML.readTree(generated.toFile());
      JsonClassDescription description = kind.getAnnotation(JsonClassDescription.class);
      for (JsonNode version : crd.path("spec").path("versions")) {
        JsonNode schema = version.path("schema").path("openAPIV3Schema");
        if (description != null && schema.isObject() && !schema.has("description")) {
          ((ObjectNode) schema).put("description", description.value());
        }
        ArrayNode columns = (ArrayNode) version.get("additionalPrinterColumns");
        if (columns != null) {
          ((ObjectNode) version).set("additionalPrinterColumns", declaredOrder(kind, columns));
        }
      }
      return "# Generated from the model in api/ (dev.tessera.api.v1alpha1). Do not edit:\n"
          + "# change the model, then run "
          + REFRESH_COMMAND
          + ".\n"
          + YAML.writeValueAsString(crd);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + generated, e);
    }
  }

  private static ArrayNode declaredOrder(Class<?> kind, ArrayNode columns) {
    ArrayNode ordered = columns.arrayNode();
    List<JsonNode> remaining = new ArrayList<>();
    columns.forEach(remaining::add);
    for (AdditionalPrinterColumn declared :
        kind.getAnnotationsByType(AdditionalPrinterColumn.class)) {
      for (JsonNode column : remaining) {
        if (column.path("name").asText().equals(declared.name())) {
          ordered.add(column);
          remaining.remove(column);
          break;
        }
      }
    }
    remaining.forEach(ordered::add);
    return ordered;
  }
}

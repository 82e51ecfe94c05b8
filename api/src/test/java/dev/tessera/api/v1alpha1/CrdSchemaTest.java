package dev.tessera.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What users of the committed CRDs rely on: names, subresources, columns and descriptions. */
class CrdSchemaTest {
  /** Short names of built-in resources (kubectl api-resources) that ours must not shadow. */
  private static final Set<String> BUILT_IN_SHORT_NAMES =
      Set.of(
          "cs",
          "cm",
          "ep",
          "ev",
          "limits",
          "ns",
          "no",
          "pvc",
          "pv",
          "po",
          "rc",
          "quota",
          "sa",
          "svc",
          "crd",
          "crds",
          "ds",
          "deploy",
          "rs",
          "sts",
          "hpa",
          "cj",
          "csr",
          "ing",
          "netpol",
          "pdb",
          "pc",
          "sc",
          "job",
          "jobs",
          "run",
          "runs",
          "project",
          "projects",
          "proj",
          "as");

  private static final YAMLMapper YAML = new YAMLMapper();

  static List<Class<?>> kinds() {
    return new ArrayList<>(CrdFiles.KINDS);
  }

  private static JsonNode committed(Class<?> kind) throws IOException {
    return YAML.readTree(
        CrdFiles.repositoryRoot().resolve("crds").resolve(CrdFiles.fileName(kind)).toFile());
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void namesGroupAndCategoryAreTessera(Class<?> kind) throws IOException {
    JsonNode spec = committed(kind).path("spec");
    assertThat(spec.path("group").asText()).isEqualTo("tessera.dev");
    assertThat(spec.path("scope").asText()).isEqualTo("Namespaced");
    assertThat(spec.path("names").path("kind").asText()).isEqualTo(kind.getSimpleName());
    assertThat(spec.path("names").path("categories"))
        .extracting(JsonNode::asText)
        .containsExactly("tessera");
    List<String> shortNames = new ArrayList<>();
    spec.path("names").path("shortNames").forEach(n -> shortNames.add(n.asText()));
    assertThat(shortNames).isNotEmpty().doesNotContainAnyElementsOf(BUILT_IN_SHORT_NAMES);
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void versionServesStatusSubresourceAndUsefulColumns(Class<?> kind) throws IOException {
    JsonNode version = committed(kind).path("spec").path("versions").get(0);
    assertThat(version.path("name").asText()).isEqualTo("v1alpha1");
    assertThat(version.path("served").asBoolean()).isTrue();
    assertThat(version.path("storage").asBoolean()).isTrue();
    assertThat(version.path("subresources").has("status")).isTrue();
    List<String> columns = new ArrayList<>();
    version.path("additionalPrinterColumns").forEach(c -> columns.add(c.path("name").asText()));
    assertThat(columns).hasSizeGreaterThanOrEqualTo(3).endsWith("Age");
    assertThat(columns.get(0)).isNotEqualTo("Age");
  }

  @Test
  void theJobKindIsATjobBecauseJobsAreBatchJobs() throws IOException {
    JsonNode names = committed(Job.class).path("spec").path("names");
    assertThat(names.path("plural").asText()).isEqualTo("jobs");
    assertThat(names.path("shortNames")).extracting(JsonNode::asText).contains("tjob");
  }

  @Test
  void theAuthColumnOfAProjectWithoutAuthenticationSaysFalse() throws IOException {
    JsonNode version = committed(Project.class).path("spec").path("versions").get(0);
    JsonNode auth = column(version, "Auth");
    assertThat(auth.path("jsonPath").asText()).isEqualTo(".spec.authentication.enabled");
    // the API server fills in defaults before it prints, so an omitted block reads as false
    JsonNode authentication =
        version.at("/schema/openAPIV3Schema/properties/spec/properties/authentication");
    assertThat(authentication.path("default").path("enabled").asBoolean(true)).isFalse();
    assertThat(authentication.at("/properties/enabled/default").isBoolean()).isTrue();
    assertThat(authentication.at("/properties/enabled/default").asBoolean(true)).isFalse();
  }

  @Test
  void aJobShowsItsNextScheduleAsATime() throws IOException {
    JsonNode version = committed(Job.class).path("spec").path("versions").get(0);
    JsonNode next = column(version, "Next Schedule");
    assertThat(next.path("jsonPath").asText()).isEqualTo(".status.nextScheduleTime");
    // kubectl prints a date column as the age of the time, and a time to come as <invalid>
    assertThat(next.path("type").asText()).isEqualTo("string");
    assertThat(next.path("priority").asInt()).isZero();
  }

  private static JsonNode column(JsonNode version, String name) {
    for (JsonNode column : version.path("additionalPrinterColumns")) {
      if (column.path("name").asText().equals(name)) {
        return column;
      }
    }
    throw new AssertionError("no printer column " + name);
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void everyFieldHasADescriptionForKubectlExplain(Class<?> kind) throws IOException {
    JsonNode schema =
        committed(kind).path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");
    assertThat(schema.path("description").asText()).as("description of the kind").isNotBlank();
    List<String> missing = new ArrayList<>();
    collectMissingDescriptions(schema, "", missing, true);
    assertThat(missing).as("fields of %s without a description", kind.getSimpleName()).isEmpty();
  }

  private static void collectMissingDescriptions(
      JsonNode schema, String path, List<String> missing, boolean root) {
    Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
    while (properties.hasNext()) {
      Map.Entry<String, JsonNode> property = properties.next();
      String name = property.getKey();
      if (root && Set.of("apiVersion", "kind", "metadata").contains(name)) {
        continue;
      }
      String fieldPath = path + "." + name;
      if (property.getValue().path("description").asText().isBlank()) {
        missing.add(fieldPath);
      }
      collectMissingDescriptions(property.getValue(), fieldPath, missing, false);
    }
    if (schema.has("items")) {
      collectMissingDescriptions(schema.get("items"), path + "[]", missing, false);
    }
    if (schema.path("additionalProperties").isObject()) {
      collectMissingDescriptions(schema.get("additionalProperties"), path + "{}", missing, false);
    }
  }
}

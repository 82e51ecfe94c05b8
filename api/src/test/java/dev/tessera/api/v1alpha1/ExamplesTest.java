package dev.tessera.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every manifest under examples/ parses into the model, with no field the model does not know. */
class ExamplesTest {
  private static final Map<String, Class<?>> KINDS =
      Map.of(
          "Project", Project.class,
          "AuthSession", AuthSession.class,
          "Run", Run.class,
          "Job", Job.class,
          "JobRun", JobRun.class);

  private static final ObjectMapper STRICT =
      YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  static Stream<Path> manifests() throws IOException {
    Path examples = CrdFiles.repositoryRoot().resolve("examples");
    try (Stream<Path> files = Files.walk(examples)) {
      List<Path> found =
          files
              .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .filter(p -> !examples.relativize(p).startsWith("demo-site"))
              .sorted()
              .toList();
      return found.stream();
    }
  }

  @Test
  void examplesCoverEveryKind() throws IOException {
    List<String> kinds = new ArrayList<>();
    for (Path file : manifests().toList()) {
      for (JsonNode document : documents(file)) {
        kinds.add(document.path("kind").asText());
      }
    }
    assertThat(kinds).containsAll(KINDS.keySet());
  }

  @ParameterizedTest
  @MethodSource("manifests")
  void manifestParsesIntoTheModelWithNoUnknownField(Path file) throws IOException {
    List<JsonNode> documents = documents(file);
    assertThat(documents).as("documents in %s", file).isNotEmpty();
    for (JsonNode document : documents) {
      String apiVersion = document.path("apiVersion").asText();
      String kind = document.path("kind").asText();
      assertThat(document.path("metadata").path("name").asText())
          .as("metadata.name in %s", file)
          .isNotBlank();
      if (apiVersion.equals(Tessera.API_VERSION) && KINDS.containsKey(kind)) {
        Object resource = STRICT.treeToValue(document, KINDS.get(kind));
        assertThat(resource).isInstanceOf(KINDS.get(kind));
      } else if (apiVersion.equals("v1") && kind.equals("Secret")) {
        Secret secret = STRICT.treeToValue(document, Secret.class);
        assertThat(secret.getAdditionalProperties()).as("unknown fields in %s", file).isEmpty();
      } else {
        fail("%s holds %s %s, which no test knows how to check", file, apiVersion, kind);
      }
    }
  }

  private static List<JsonNode> documents(Path file) throws IOException {
    List<JsonNode> documents = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(file.toFile())) {
      var iterator = STRICT.readValues(parser, JsonNode.class);
      while (iterator.hasNext()) {
        JsonNode node = iterator.next();
        if (node != null && !node.isNull() && !node.isEmpty()) {
          documents.add(node);
        }
      }
    }
    return documents;
  }
}

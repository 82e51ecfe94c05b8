package dev.tessera.chart;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The chart rendered with {@code helm template} (helm-java, the Helm library itself), each manifest
 * read into its fabric8 model class strictly: a field the model does not know fails, where
 * fabric8's own reading would keep it aside as an "additional property".
 */
final class RenderedChart {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  static final Path CHART = ROOT.resolve("helm/tessera");
  static final Path VALUES = ROOT.resolve("helm/src/test/resources/values");
  static final String RELEASE = "tessera";
  static final String NAMESPACE = "tessera-system";

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** Jackson without fabric8's catch-all for unknown fields, failing on any. */
  private static final ObjectMapper STRICT =
      new ObjectMapper()
          .setAnnotationIntrospector(
              new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated annotated) {
                  return Boolean.FALSE;
                }
              })
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final List<HasMetadata> objects;

  private RenderedChart(List<HasMetadata> objects) {
    this.objects = objects;
  }

  /** Renders with the chart's defaults in {@link #NAMESPACE}, plus what {@code options} adds. */
  static RenderedChart render(UnaryOperator<TemplateCommand> options) {
    return render(NAMESPACE, options);
  }

  static RenderedChart render(String namespace, UnaryOperator<TemplateCommand> options) {
    String yaml =
        options.apply(new Helm(CHART).template().withName(RELEASE).withNamespace(namespace)).call();
    return new RenderedChart(parse(yaml));
  }

  /** Renders with one of the values files of the tests ({@code helm/src/test/resources/values}). */
  static RenderedChart withValues(String file) {
    return render(template -> template.withValuesFile(VALUES.resolve(file)));
  }

  /** Every manifest of a multi-document YAML, each in its model class, read strictly. */
  static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> result = new ArrayList<>();
    try {
      for (JsonNode document :
          YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
        if (document == null || document.isNull() || document.isEmpty()) {
          continue;
        }
        Object typed = SERIALIZATION.unmarshal(document.toString());
        if (!(typed instanceof HasMetadata resource)
            || typed.getClass()
                == io.fabric8.kubernetes.api.model.GenericKubernetesResource.class) {
          throw new AssertionError(
              "no fabric8 model class for "
                  + document.path("apiVersion").asText()
                  + " "
                  + document.path("kind").asText());
        }
        try {
          result.add(STRICT.treeToValue(document, resource.getClass()));
        } catch (IOException e) {
          throw new AssertionError(
              resource.getKind()
                  + " "
                  + resource.getMetadata().getName()
                  + " has a field its model does not know: "
                  + e.getMessage(),
              e);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return result;
  }

  List<HasMetadata> objects() {
    return objects;
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
    return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
  }

  <T extends HasMetadata> T get(Class<T> type, String name) {
    return find(type, name)
        .orElseThrow(
            () -> new AssertionError("the chart renders no " + type.getSimpleName() + " " + name));
  }

  /** Kind and name of every object, e.g. {@code Deployment/tessera}. */
  List<String> kindsAndNames() {
    return objects.stream()
        .map(
            o ->
                o.getKind()
                    + "/"
                    + (o.getMetadata().getNamespace() == null
                        ? ""
                        : o.getMetadata().getNamespace() + "/")
                    + o.getMetadata().getName())
        .toList();
  }
}

package dev.tessera.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's "Install in a cluster" section read as a new user reads it: its commands name the
 * chart, release and namespace the chart is rendered with, the objects it names are the ones the
 * chart renders, every value its table names is a key of the chart, and its example values file is
 * accepted and does what the text says.
 */
class ReadmeInstallTest {
  private static String section;
  private static JsonNode schema;

  @BeforeAll
  static void read() throws IOException {
    String readme = Files.readString(RenderedChart.ROOT.resolve("README.md"));
    int start = readme.indexOf("## Install in a cluster");
    assertThat(start).as("README has an install section").isNotNegative();
    int end = readme.indexOf("\n## ", start + 3);
    section = readme.substring(start, end < 0 ? readme.length() : end);
    schema =
        new ObjectMapper().readTree(RenderedChart.CHART.resolve("values.schema.json").toFile());
  }

  @Test
  void helmCommandsInstallTheChartAsTheTextDescribesIt() {
    Matcher helm =
        Pattern.compile("helm (install|upgrade|template) (\\S+) (\\S+) -n (\\S+)").matcher(section);
    int commands = 0;
    while (helm.find()) {
      commands++;
      assertThat(helm.group(2)).as(helm.group()).isEqualTo(RenderedChart.RELEASE);
      assertThat(RenderedChart.ROOT.resolve(helm.group(3)))
          .as(helm.group())
          .isEqualTo(RenderedChart.CHART);
      assertThat(helm.group(4)).as(helm.group()).isEqualTo(RenderedChart.NAMESPACE);
    }
    assertThat(commands).isGreaterThanOrEqualTo(3);
    Matcher rollout =
        Pattern.compile("kubectl -n (\\S+) rollout status deployment/(\\S+)").matcher(section);
    RenderedChart chart = RenderedChart.render(t -> t);
    while (rollout.find()) {
      Deployment deployment = chart.get(Deployment.class, rollout.group(2));
      assertThat(deployment.getMetadata().getNamespace()).isEqualTo(rollout.group(1));
    }
  }

  @Test
  void theObjectsTheTextNamesAreTheOnesTheChartRenders() {
    RenderedChart chart = RenderedChart.render(t -> t);
    Matcher named =
        Pattern.compile(
                "the (Deployment|Service|ServiceAccount|Role\\s+and\\s+RoleBinding"
                    + "|ClusterRole\\s+and\\s+ClusterRoleBinding"
                    + "|ValidatingAdmissionPolicy\\s+and\\s+ValidatingAdmissionPolicyBinding)"
                    + "\\s+`([a-z0-9-]+)`")
            .matcher(section);
    List<String> checked = new ArrayList<>();
    while (named.find()) {
      for (String kind : named.group(1).split("\\s+and\\s+")) {
        String name = named.group(2);
        assertThat(chart.objects())
            .as("README names the %s %s", kind, name)
            .anySatisfy(
                o -> {
                  assertThat(o.getKind()).isEqualTo(kind);
                  assertThat(o.getMetadata().getName()).isEqualTo(name);
                });
        checked.add(kind + "/" + name);
      }
    }
    assertThat(checked)
        .contains(
            "Deployment/tessera",
            "Service/tessera",
            "ServiceAccount/tessera",
            "Role/tessera-leader-election",
            "RoleBinding/tessera-leader-election",
            "ClusterRole/tessera",
            "ClusterRoleBinding/tessera",
            "ValidatingAdmissionPolicy/tessera-session-operations",
            "ValidatingAdmissionPolicyBinding/tessera-session-operations");
    Deployment deployment = chart.get(Deployment.class, "tessera");
    assertThat(section).contains("`" + ChartTest.container(deployment).getImage() + "`");
    assertThat(section)
        .contains("`" + ChartTest.env(deployment).get("TESSERA_RUNNER_IMAGE") + "`")
        .contains("Lease `" + ChartTest.env(deployment).get("TESSERA_LEADER_LEASE") + "`");
  }

  @Test
  void everyValueTheTableNamesIsAKeyOfTheChart() {
    List<String> names = new ArrayList<>();
    for (String line : section.split("\n")) {
      if (!line.startsWith("| `")) {
        continue;
      }
      String firstColumn = line.substring(1, line.indexOf('|', 1));
      Matcher value = Pattern.compile("`([A-Za-z.]+)`").matcher(firstColumn);
      String previous = null;
      while (value.find()) {
        String name = value.group(1);
        if (name.startsWith(".") && previous != null) {
          name = previous.substring(0, previous.lastIndexOf('.')) + name;
        }
        names.add(name);
        previous = name;
      }
    }
    assertThat(names).hasSizeGreaterThan(8);
    for (String name : names) {
      JsonNode node = schema;
      for (String key : name.split("\\.")) {
        if (node.has("$ref")) {
          node = schema.at(node.get("$ref").asText().substring(1));
        }
        node = node.path("properties").path(key);
      }
      assertThat(node.isMissingNode()).as("README names the value %s", name).isFalse();
    }
  }

  @Test
  void theExampleValuesFileRendersWhatTheTextSays() throws IOException {
    Matcher block =
        Pattern.compile("```yaml\n# values-prod\\.yaml\n(.*?)```", Pattern.DOTALL).matcher(section);
    assertThat(block.find()).as("README has the values-prod.yaml example").isTrue();
    Path file = Files.createTempFile("values-prod", ".yaml");
    Files.writeString(file, block.group(1));
    RenderedChart chart = RenderedChart.render(t -> t.withValuesFile(file));
    List<String> roles =
        chart.objects().stream()
            .filter(o -> o.getKind().equals("Role"))
            .map(HasMetadata::getMetadata)
            .map(m -> m.getNamespace() + "/" + m.getName())
            .toList();
    assertThat(roles).contains("team-a/tessera", "team-b/tessera");
    assertThat(chart.objects()).noneMatch(o -> o.getKind().equals("ClusterRole"));
    assertThat(chart.objects()).anyMatch(o -> o.getKind().equals("ServiceMonitor"));
    assertThat(chart.objects())
        .filteredOn(o -> o.getKind().equals("NetworkPolicy"))
        .extracting(o -> o.getMetadata().getNamespace())
        .contains("team-a", "team-b", RenderedChart.NAMESPACE);
  }
}

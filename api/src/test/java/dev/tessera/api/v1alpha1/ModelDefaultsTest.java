package dev.tessera.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.generator.annotation.Default;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The model applies the CRD's defaults itself, so that an object that reached the operator without
 * API-server defaulting (the embedded API of local mode does none) behaves the same.
 */
class ModelDefaultsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void javaInitialValuesEqualTheCrdDefaults() throws Exception {
    List<String> mismatches = new ArrayList<>();
    for (Class<?> type : modelClasses()) {
      Object instance = type.getDeclaredConstructor().newInstance();
      for (Field field : type.getDeclaredFields()) {
        Default declared = field.getAnnotation(Default.class);
        if (declared == null) {
          continue;
        }
        field.setAccessible(true);
        Object actual = field.get(instance);
        Object expected =
            JSON.readValue(quoteIfText(field.getType(), declared.value()), field.getType());
        // as JSON: the model's classes compare by identity
        if (!JSON.valueToTree(expected).equals(JSON.valueToTree(actual))) {
          mismatches.add(
              type.getSimpleName() + "." + field.getName() + ": " + actual + " != " + expected);
        }
      }
    }
    assertThat(mismatches).isEmpty();
  }

  @Test
  void validationDefaultsLiveOnTheSessionAndARunOverridesOnlyWhatItSets() throws Exception {
    AuthSessionSpec session =
        JSON.readValue("{\"project\":\"p\",\"type\":\"Credentials\"}", AuthSessionSpec.class);
    assertThat(session.getAutoRecreate()).isTrue();
    assertThat(session.getCheckAttempts()).isEqualTo(3);
    assertThat(session.getCreateAttempts()).isEqualTo(3);
    RunSpec spec =
        JSON.readValue(
            "{\"project\":\"p\",\"api\":\"a\",\"authSession\":{\"name\":\"s\"}}", RunSpec.class);
    assertThat(spec.getAuthSession().getAutoRecreate()).isNull();
    assertThat(spec.getAuthSession().getCheckAttempts()).isNull();
    ProjectSpec project = JSON.readValue("{\"apis\":{}}", ProjectSpec.class);
    assertThat(project.getRunner().getTimeoutSeconds()).isEqualTo(600);
  }

  private static String quoteIfText(Class<?> type, String value) {
    return type == String.class ? "\"" + value + "\"" : value;
  }

  private static List<Class<?>> modelClasses() throws Exception {
    List<Class<?>> classes = new ArrayList<>();
    var root = CrdFiles.repositoryRoot().resolve("api/src/main/java/dev/tessera/api/v1alpha1");
    try (var files = java.nio.file.Files.list(root)) {
      for (var file : files.toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(".java") && !name.equals("package-info.java")) {
          Class<?> type = Class.forName("dev.tessera.api.v1alpha1." + name.replace(".java", ""));
          if (!type.isInterface()
              && type.getSimpleName()
                  .matches(
                      ".*(Spec|Status|Action|Step|Definition|Item|Counts|Sink|Viewport|Reference|Condition|Error)$")) {
            if (java.lang.reflect.Modifier.isPublic(type.getDeclaredConstructor().getModifiers())) {
              classes.add(type);
            }
          }
        }
      }
    }
    assertThat(classes).hasSizeGreaterThan(20);
    return classes;
  }
}

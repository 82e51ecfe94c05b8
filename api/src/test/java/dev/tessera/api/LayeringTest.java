package dev.tessera.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.tessera.api.layeringfixture.ApiClassUsingOperatorSdk;
import dev.tessera.api.layeringfixture.ApiClassUsingPlaywright;
import dev.tessera.api.layeringfixture.ApiClassWithoutFrameworks;
import org.junit.jupiter.api.Test;

/**
 * The API module is the shared model of the operator and the runner: it must not pull in either
 * side's framework. The {@code @ArchTest} field checks the main classes; the {@code @Test} methods
 * check the same rule against fixtures in the test sources, to show it can fail.
 */
@AnalyzeClasses(packages = "dev.tessera.api", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

  @ArchTest
  static final ArchRule API_IS_FREE_OF_OPERATOR_AND_RUNNER_FRAMEWORKS =
      noClasses()
          .that()
          .resideInAPackage("dev.tessera.api..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.javaoperatorsdk..", "com.microsoft.playwright..")
          .because(
              "the API (custom resources, step language, runner protocol) is shared by the operator"
                  + " and the runner: it must not depend on the Java Operator SDK (the operator's"
                  + " framework) nor on Playwright (the runner's browser), so that each side can"
                  + " use it without the other's framework");

  // The api module has neither JOSDK nor Playwright on its classpath: the fixtures depend on
  // stand-in
  // classes in those packages (io.javaoperatorsdk.layeringstub,
  // com.microsoft.playwright.layeringstub).

  @Test
  void dependencyOnOperatorSdkIsReported() {
    JavaClasses classes = new ClassFileImporter().importClasses(ApiClassUsingOperatorSdk.class);
    assertThatThrownBy(() -> API_IS_FREE_OF_OPERATOR_AND_RUNNER_FRAMEWORKS.check(classes))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(ApiClassUsingOperatorSdk.class.getName())
        .hasMessageContaining("io.javaoperatorsdk.layeringstub.OperatorSdkStub");
  }

  @Test
  void dependencyOnPlaywrightIsReported() {
    JavaClasses classes = new ClassFileImporter().importClasses(ApiClassUsingPlaywright.class);
    assertThatThrownBy(() -> API_IS_FREE_OF_OPERATOR_AND_RUNNER_FRAMEWORKS.check(classes))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(ApiClassUsingPlaywright.class.getName())
        .hasMessageContaining("com.microsoft.playwright.layeringstub.PlaywrightStub");
  }

  @Test
  void apiClassWithoutFrameworksPasses() {
    JavaClasses classes = new ClassFileImporter().importClasses(ApiClassWithoutFrameworks.class);
    assertThat(API_IS_FREE_OF_OPERATOR_AND_RUNNER_FRAMEWORKS.evaluate(classes).hasViolation())
        .isFalse();
  }
}

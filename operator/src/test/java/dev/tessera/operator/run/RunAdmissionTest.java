package dev.tessera.operator.run;

import static dev.tessera.operator.run.Runs.catalogProject;
import static dev.tessera.operator.run.Runs.project;
import static dev.tessera.operator.run.Runs.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.api.v1alpha1.Reason;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunAdmissionTest {
  private static Optional<RunAdmission.Rejection> check(String spec, ProjectSpec project) {
    return RunAdmission.check(run(spec).getSpec(), "ns", project, null, null, false);
  }

  @Test
  void validRunIsAdmitted() {
    assertThat(check("{project: catalog, api: list, parameters: {page: 1}}", catalogProject()))
        .isEmpty();
  }

  @Test
  void missingApiIsRejectedNamingTheApisThereAre() {
    assertThat(check("{project: catalog, api: lst}", catalogProject()))
        .hasValueSatisfying(
            r -> {
              assertThat(r.reason()).isEqualTo(Reason.ApiNotFound);
              assertThat(r.message()).contains("\"lst\"", "its APIs: list");
            });
  }

  @Test
  void parametersThatAreNotAnObjectAreRejected() {
    assertThat(check("{project: catalog, api: list, parameters: [1, 2]}", catalogProject()))
        .hasValueSatisfying(
            r -> {
              assertThat(r.reason()).isEqualTo(Reason.InvalidParameters);
              assertThat(r.message()).contains("JSON object", "array");
            });
  }

  @Test
  void parametersBreakingTheApisSchemaAreRejectedWithWhatIsWrong() {
    assertThat(check("{project: catalog, api: list, parameters: {page: 0}}", catalogProject()))
        .hasValueSatisfying(
            r -> {
              assertThat(r.reason()).isEqualTo(Reason.InvalidParameters);
              assertThat(r.message()).contains("parametersSchema of API \"list\"", "page");
            });
    assertThat(check("{project: catalog, api: list, parameters: {page: two}}", catalogProject()))
        .hasValueSatisfying(r -> assertThat(r.message()).contains("integer"));
  }

  @Test
  void runsOfAuthenticatedProjectsNeedTheirOwnReadySession() throws Exception {
    ProjectSpec authenticated =
        project(
            """
            apis: {me: {className: com.example.Me}}
            authentication: {enabled: true, check: {className: com.example.Check}, create: {className: com.example.Login}}
            """);
    String spec = "{project: p, api: me, authSession: {name: s}}";
    assertThat(RunAdmission.check(run(spec).getSpec(), "ns", authenticated, null, null, false))
        .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(Reason.AuthSessionNotFound));
    dev.tessera.api.v1alpha1.AuthSession other = new dev.tessera.api.v1alpha1.AuthSession();
    other.setSpec(
        new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
            .readValue(
                "{project: q, type: Runtime}", dev.tessera.api.v1alpha1.AuthSessionSpec.class));
    assertThat(RunAdmission.check(run(spec).getSpec(), "ns", authenticated, other, null, false))
        .hasValueSatisfying(
            r -> assertThat(r.reason()).isEqualTo(Reason.AuthSessionOfAnotherProject));
    dev.tessera.api.v1alpha1.AuthSession creating = new dev.tessera.api.v1alpha1.AuthSession();
    creating.setSpec(
        new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
            .readValue(
                "{project: p, type: Credentials, credentialsSecretRef: {name: c}}",
                dev.tessera.api.v1alpha1.AuthSessionSpec.class));
    assertThat(RunAdmission.check(run(spec).getSpec(), "ns", authenticated, creating, null, false))
        .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(Reason.AuthSessionNotReady));
    creating.setStatus(new dev.tessera.api.v1alpha1.AuthSessionStatus());
    creating.getStatus().setPhase("Ready");
    assertThat(RunAdmission.check(run(spec).getSpec(), "ns", authenticated, creating, null, false))
        .isEmpty();
  }

  @Test
  void authenticationMismatchesAreRejectedWithTheirOwnReasons() {
    ProjectSpec authenticated =
        project(
            """
            apis: {me: {className: com.example.Me}}
            authentication: {enabled: true, check: {className: com.example.Check}, create: {className: com.example.Login}}
            """);
    assertThat(check("{project: p, api: me}", authenticated))
        .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(Reason.AuthSessionRequired));
    assertThat(check("{project: p, api: list, authSession: {name: s}}", catalogProject()))
        .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(Reason.AuthenticationDisabled));
  }
}

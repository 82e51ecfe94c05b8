package dev.tessera.operator.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tessera.api.protocol.AttemptResult;
import dev.tessera.api.protocol.ErrorCode;
import dev.tessera.api.protocol.Outcome;
import dev.tessera.api.protocol.RunnerError;
import dev.tessera.api.protocol.Validation;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.RunSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

/** Runs, projects, Pods and reports for table tests of the Run state machine. */
final class Runs {
  static final ObjectMapper JSON = new ObjectMapper();

  private Runs() {}

  static Run run(String specYaml) {
    try {
      Run run = new Run();
      run.setMetadata(
          new ObjectMetaBuilder()
              .withName("r1")
              .withNamespace("ns")
              .withUid("uid-1")
              .withGeneration(1L)
              .build());
      run.setSpec(new YAMLMapper().readValue(specYaml, RunSpec.class));
      return run;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static ProjectSpec project(String specYaml) {
    try {
      return new YAMLMapper().readValue(specYaml, ProjectSpec.class);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static ProjectSpec catalogProject() {
    return project(
        """
        apis:
          list:
            steps: [{goto: "http://site/catalog"}]
            parametersSchema: {type: object, properties: {page: {type: integer, minimum: 1}}}
        runner: {maxAttempts: 3, timeoutSeconds: 60}
        """);
  }

  static Pod pod(String phase, String reason, Integer exitCode, String terminatedReason) {
    PodBuilder builder =
        new PodBuilder()
            .withNewMetadata()
            .withName("r1-uid1-a1")
            .withNamespace("ns")
            .endMetadata()
            .withNewSpec()
            .withActiveDeadlineSeconds(60L)
            .endSpec()
            .withNewStatus()
            .withPhase(phase)
            .withReason(reason)
            .endStatus();
    if (exitCode != null) {
      builder
          .editStatus()
          .addNewContainerStatus()
          .withName("runner")
          .withNewState()
          .withNewTerminated()
          .withExitCode(exitCode)
          .withReason(terminatedReason)
          .withMessage("boom")
          .endTerminated()
          .endState()
          .endContainerStatus()
          .endStatus();
    }
    return builder.build();
  }

  static AttemptResult succeeded(String resultJson) {
    try {
      return AttemptResult.of(
          Outcome.SUCCEEDED,
          Validation.notRequired(),
          JSON.readTree(resultJson),
          null,
          null,
          null,
          null);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static AttemptResult failed(ErrorCode code) {
    return AttemptResult.of(
        Outcome.FAILED,
        Validation.notRequired(),
        null,
        null,
        RunnerError.ofStep(code, "step 2 (click #missing)", "no element matches #missing"),
        null,
        null);
  }
}

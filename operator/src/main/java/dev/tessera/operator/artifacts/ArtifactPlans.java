package dev.tessera.operator.artifacts;

import dev.tessera.api.protocol.ArtifactPlan;
import dev.tessera.api.v1alpha1.ApiDefinition;
import dev.tessera.api.v1alpha1.ArtifactsSpec;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.api.v1alpha1.Run;
import dev.tessera.api.v1alpha1.step.Screenshot;
import dev.tessera.api.v1alpha1.step.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an API Attempt keeps, as the runner is told: one presigned URL per file the Run's settings
 * want, valid for that Attempt's object only and for as long as the Attempt may run.
 */
public final class ArtifactPlans {
  /** How long an upload URL outlives the Attempt's time limit (results are reported after it). */
  static final Duration MARGIN = Duration.ofMinutes(10);

  private ArtifactPlans() {}

  /**
   * The plan of an API Attempt, or null when it keeps nothing ({@code when: Never}, or the API is
   * Java code with no kinds the runner can produce for it).
   */
  public static ArtifactPlan plan(
      ArtifactStore store, Run run, ProjectSpec project, int attempt, int timeoutSeconds) {
    ArtifactsSpec settings =
        ArtifactsSpec.effective(project.getArtifacts(), run.getSpec().getArtifacts());
    if (ArtifactsSpec.NEVER.equals(settings.getWhen())) {
      return null;
    }
    Duration validFor = Duration.ofSeconds(timeoutSeconds).plus(MARGIN);
    Map<String, String> uploads = new LinkedHashMap<>();
    for (String file : files(settings.getKinds(), api(run, project))) {
      uploads.put(file, store.presignPut(ArtifactKeys.of(run, attempt, file), validFor).toString());
    }
    return uploads.isEmpty() ? null : new ArtifactPlan(settings.getWhen(), uploads);
  }

  /** The files these kinds make of an API: step pictures by the position of their step. */
  public static List<String> files(List<String> kinds, ApiDefinition api) {
    List<String> files = new ArrayList<>();
    if (kinds.contains(ArtifactsSpec.TRACE)) {
      files.add(ArtifactPlan.TRACE);
    }
    if (kinds.contains(ArtifactsSpec.SCREENSHOT)) {
      files.add(ArtifactPlan.SCREENSHOT);
    }
    if (kinds.contains(ArtifactsSpec.HTML)) {
      files.add(ArtifactPlan.HTML);
    }
    if (kinds.contains(ArtifactsSpec.STEP_SCREENSHOTS) && api != null && api.getSteps() != null) {
      List<Step> steps = api.getSteps();
      for (int i = 0; i < steps.size(); i++) {
        if (steps.get(i).action() instanceof Screenshot) {
          files.add(ArtifactPlan.stepScreenshot(i + 1));
        }
      }
    }
    return files;
  }

  private static ApiDefinition api(Run run, ProjectSpec project) {
    return project.getApis() == null ? null : project.getApis().get(run.getSpec().getApi());
  }
}

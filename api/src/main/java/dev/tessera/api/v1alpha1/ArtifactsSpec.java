package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import java.util.List;

/**
 * What an API Attempt keeps of what the browser saw, in the operator's artifact store: set on a
 * Project, and overridden field by field on a Run.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ArtifactsSpec {
  public static final String ON_FAILURE = "OnFailure";
  public static final String ALWAYS = "Always";
  public static final String NEVER = "Never";

  /** A Playwright trace of the check and the API, with screenshots and DOM snapshots. */
  public static final String TRACE = "Trace";

  /** A screenshot of the page at the end (at the failure). */
  public static final String SCREENSHOT = "Screenshot";

  /** The page's HTML at the end. */
  public static final String HTML = "Html";

  /** The pictures of the API's screenshot steps. */
  public static final String STEP_SCREENSHOTS = "StepScreenshots";

  /** Every kind, the default. */
  public static final List<String> ALL_KINDS = List.of(TRACE, SCREENSHOT, HTML, STEP_SCREENSHOTS);

  @JsonPropertyDescription(
      "When an Attempt keeps its artifacts: OnFailure (the default), Always or Never.")
  @Pattern("^(OnFailure|Always|Never)$")
  private String when;

  @JsonPropertyDescription(
      "Which artifacts: Trace (a Playwright trace of the check and the API), Screenshot (the page"
          + " at the end), Html (the page's HTML at the end), StepScreenshots (the API's"
          + " screenshot steps). All four when omitted.")
  private List<@Pattern("^(Trace|Screenshot|Html|StepScreenshots)$") String> kinds;

  public String getWhen() {
    return when;
  }

  public void setWhen(String when) {
    this.when = when;
  }

  public List<String> getKinds() {
    return kinds;
  }

  public void setKinds(List<String> kinds) {
    this.kinds = kinds;
  }

  /**
   * The settings of a Run: its own fields over its Project's, then the defaults (OnFailure, every
   * kind).
   */
  public static ArtifactsSpec effective(ArtifactsSpec project, ArtifactsSpec run) {
    ArtifactsSpec effective = new ArtifactsSpec();
    effective.setWhen(
        first(run == null ? null : run.getWhen(), project == null ? null : project.getWhen()));
    if (effective.getWhen() == null) {
      effective.setWhen(ON_FAILURE);
    }
    List<String> kinds =
        first(run == null ? null : run.getKinds(), project == null ? null : project.getKinds());
    effective.setKinds(kinds == null ? ALL_KINDS : List.copyOf(kinds));
    return effective;
  }

  private static <T> T first(T a, T b) {
    return a != null ? a : b;
  }
}

package dev.tessera.api.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * What an API Attempt keeps of what the browser saw, and where each file goes: a presigned PUT URL
 * per object, valid for this Attempt's objects only, so the runner holds no store credential.
 *
 * <p>Names: {@value #TRACE} (a Playwright trace of the check and the API, with screenshots and DOM
 * snapshots), {@value #SCREENSHOT} (the page at the end), {@value #HTML} (the page's HTML at the
 * end), and {@code step-<n>.png} for the {@code screenshot} step at position {@code n} (from 1) of
 * the API's steps. The runner uploads only files it has a URL for.
 *
 * @param when {@code OnFailure} (the default) or {@code Always}; the operator sends no plan for
 *     {@code Never}
 * @param uploads file name -> presigned PUT URL
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArtifactPlan(String when, Map<String, String> uploads) {
  public static final String ON_FAILURE = "OnFailure";
  public static final String ALWAYS = "Always";
  public static final String TRACE = "trace.zip";
  public static final String SCREENSHOT = "screenshot.png";
  public static final String HTML = "page.html";

  public ArtifactPlan {
    if (when != null && !when.equals(ON_FAILURE) && !when.equals(ALWAYS)) {
      throw new IllegalArgumentException("artifacts.when is OnFailure or Always, not " + when);
    }
    uploads = uploads == null ? Map.of() : Map.copyOf(uploads);
  }

  /** The name of the screenshot of the API's step at {@code position} (from 1). */
  public static String stepScreenshot(int position) {
    return "step-" + position + ".png";
  }

  /** Whether an Attempt that ended so keeps its artifacts. */
  public boolean keeps(boolean succeeded) {
    return !succeeded || ALWAYS.equals(when);
  }

  /** Whether the plan has a URL for this file. */
  public boolean wants(String name) {
    return uploads.containsKey(name);
  }

  /** The names of the files an Attempt's trace, screenshot and HTML are kept under. */
  public static List<String> pageFiles() {
    return List.of(TRACE, SCREENSHOT, HTML);
  }
}

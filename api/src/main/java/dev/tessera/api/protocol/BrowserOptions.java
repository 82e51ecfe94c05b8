package dev.tessera.api.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Browser context options of one Attempt (from the project's runner settings). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BrowserOptions(
    Integer viewportWidth,
    Integer viewportHeight,
    String locale,
    String timezoneId,
    String userAgent) {

  /** No options: Chromium's defaults. */
  public static BrowserOptions defaults() {
    return new BrowserOptions(null, null, null, null, null);
  }
}

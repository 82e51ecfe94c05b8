package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Browser context options used for every Attempt of the project. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BrowserSpec {
  @JsonPropertyDescription("Viewport size. Default 1280x720.")
  private Viewport viewport;

  @JsonPropertyDescription("Browser locale, e.g. en-US.")
  private String locale;

  @JsonPropertyDescription("IANA time zone of the browser, e.g. Europe/Paris.")
  private String timezoneId;

  @JsonPropertyDescription("User agent string; Chromium's own when omitted.")
  private String userAgent;

  public Viewport getViewport() {
    return viewport;
  }

  public void setViewport(Viewport viewport) {
    this.viewport = viewport;
  }

  public String getLocale() {
    return locale;
  }

  public void setLocale(String locale) {
    this.locale = locale;
  }

  public String getTimezoneId() {
    return timezoneId;
  }

  public void setTimezoneId(String timezoneId) {
    this.timezoneId = timezoneId;
  }

  public String getUserAgent() {
    return userAgent;
  }

  public void setUserAgent(String userAgent) {
    this.userAgent = userAgent;
  }
}

package dev.tessera.api.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A recording: a human logs in through the hosted browser the runner serves.
 *
 * @param startUrl where the browser opens
 * @param finishUrl glob of the URL that means the login is done ({@code **} any characters, {@code
 *     *} any but a slash), or null when only the Done button ends it
 * @param timeoutSeconds how long the human may take
 * @param port the port the hosted browser listens on
 * @param token the one-time token every request to the hosted browser must carry
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecordingOptions(
    String startUrl, String finishUrl, int timeoutSeconds, int port, String token) {

  /** The port of the hosted browser, in the Pod and behind {@code kubectl port-forward}. */
  public static final int DEFAULT_PORT = 8090;

  @Override
  public String toString() {
    return "RecordingOptions[startUrl="
        + startUrl
        + ", finishUrl="
        + finishUrl
        + ", timeoutSeconds="
        + timeoutSeconds
        + ", port="
        + port
        + "]";
  }
}

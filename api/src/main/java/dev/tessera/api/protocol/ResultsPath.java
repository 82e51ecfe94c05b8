package dev.tessera.api.protocol;

import java.net.URI;

/**
 * Where a runner reports its Attempt's result: {@code POST <results
 * URL>/v1/attempts/<namespace>/<pod>/result} with {@code Authorization: Bearer <token>}.
 */
public final class ResultsPath {
  /** The path, with the namespace and the Pod's name to fill in. */
  public static final String FORMAT = "/v1/attempts/%s/%s/result";

  private ResultsPath() {}

  /** The report URL of an Attempt's Pod under the operator's results URL. */
  public static URI of(URI resultsUrl, String namespace, String pod) {
    String root = resultsUrl.toString().replaceAll("/+$", "");
    return URI.create(root + String.format(FORMAT, namespace, pod));
  }
}

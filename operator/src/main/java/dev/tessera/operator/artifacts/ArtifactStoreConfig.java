package dev.tessera.operator.artifacts;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Where the operator keeps the artifacts of Attempts: an S3-compatible store, from environment
 * variables (the chart sets them from {@code artifacts.*}).
 *
 * @param endpoint the store's URL ({@code TESSERA_ARTIFACTS_ENDPOINT}); runner Pods upload to it,
 *     so it must be reachable from them; null for AWS S3's own endpoint of the region
 * @param bucket the bucket ({@code TESSERA_ARTIFACTS_BUCKET}); artifacts are off without one
 * @param region the region signed for ({@code TESSERA_ARTIFACTS_REGION}, default us-east-1)
 * @param pathStyle whether the bucket goes in the path rather than the host name ({@code
 *     TESSERA_ARTIFACTS_PATH_STYLE}, default true, which most S3-compatible stores need)
 * @param accessKeyId the access key ({@code TESSERA_ARTIFACTS_ACCESS_KEY_ID}); when unset, the AWS
 *     SDK's default credentials (an IAM role for the Pod's ServiceAccount, ...)
 * @param secretAccessKey its secret ({@code TESSERA_ARTIFACTS_SECRET_ACCESS_KEY})
 * @param sweepInterval how often the artifacts of deleted Runs are deleted ({@code
 *     TESSERA_ARTIFACTS_SWEEP_SECONDS}, default 300)
 */
public record ArtifactStoreConfig(
    URI endpoint,
    String bucket,
    String region,
    boolean pathStyle,
    String accessKeyId,
    String secretAccessKey,
    Duration sweepInterval) {

  @Override
  public String toString() {
    // never the secret
    return "ArtifactStoreConfig[endpoint="
        + endpoint
        + ", bucket="
        + bucket
        + ", region="
        + region
        + ", pathStyle="
        + pathStyle
        + "]";
  }

  /** The store the environment names, or null when it names no bucket (artifacts are off). */
  public static ArtifactStoreConfig fromEnv(Map<String, String> env) {
    String bucket = blankToNull(env.get("TESSERA_ARTIFACTS_BUCKET"));
    if (bucket == null) {
      return null;
    }
    String endpoint = blankToNull(env.get("TESSERA_ARTIFACTS_ENDPOINT"));
    return new ArtifactStoreConfig(
        endpoint == null ? null : URI.create(endpoint),
        bucket,
        env.getOrDefault("TESSERA_ARTIFACTS_REGION", "us-east-1"),
        Boolean.parseBoolean(env.getOrDefault("TESSERA_ARTIFACTS_PATH_STYLE", "true")),
        blankToNull(env.get("TESSERA_ARTIFACTS_ACCESS_KEY_ID")),
        blankToNull(env.get("TESSERA_ARTIFACTS_SECRET_ACCESS_KEY")),
        Duration.ofSeconds(
            Long.parseLong(env.getOrDefault("TESSERA_ARTIFACTS_SWEEP_SECONDS", "300"))));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}

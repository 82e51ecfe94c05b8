package dev.tessera.operator.artifacts;

import java.io.InputStream;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PutObjectPresignRequest;

/**
 * The artifact store, through the AWS SDK: presigned uploads for runner Pods (which hold no store
 * credential), and the listing, reading and deleting the operator and the CLI do.
 */
public final class ArtifactStore implements AutoCloseable {
  private final ArtifactStoreConfig config;
  private final S3Client client;
  private final S3Presigner presigner;

  public ArtifactStore(ArtifactStoreConfig config) {
    this.config = config;
    AwsCredentialsProvider credentials =
        config.accessKeyId() == null
            ? DefaultCredentialsProvider.builder().build()
            : StaticCredentialsProvider.create(
                AwsBasicCredentials.create(config.accessKeyId(), config.secretAccessKey()));
    S3Configuration s3 =
        S3Configuration.builder().pathStyleAccessEnabled(config.pathStyle()).build();
    Region region = Region.of(config.region());
    var clientBuilder =
        S3Client.builder()
            .region(region)
            .credentialsProvider(credentials)
            .serviceConfiguration(s3)
            // checksums only where S3 requires them: S3-compatible stores (s3proxy, older MinIO,
            // Ceph) refuse the newer checksum headers the SDK would otherwise send
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .httpClientBuilder(UrlConnectionHttpClient.builder());
    var presignerBuilder =
        S3Presigner.builder()
            .region(region)
            .credentialsProvider(credentials)
            .serviceConfiguration(s3);
    if (config.endpoint() != null) {
      clientBuilder.endpointOverride(config.endpoint());
      presignerBuilder.endpointOverride(config.endpoint());
    }
    this.client = clientBuilder.build();
    this.presigner = presignerBuilder.build();
  }

  public ArtifactStoreConfig config() {
    return config;
  }

  /** A URL that lets its holder PUT this one object, and nothing else, until it expires. */
  public URL presignPut(String key, Duration validFor) {
    return presigner
        .presignPutObject(
            PutObjectPresignRequest.builder()
                .signatureDuration(validFor)
                .putObjectRequest(
                    PutObjectRequest.builder().bucket(config.bucket()).key(key).build())
                .build())
        .url();
  }

  /**
   * The objects under a prefix, with their sizes and times; folder markers (keys ending in {@code
   * /}, which some stores list for their directories) are not objects.
   */
  public List<S3Object> list(String prefix) {
    List<S3Object> objects = new ArrayList<>();
    client
        .listObjectsV2Paginator(
            ListObjectsV2Request.builder().bucket(config.bucket()).prefix(prefix).build())
        .contents()
        .forEach(
            object -> {
              if (!object.key().endsWith("/")) {
                objects.add(object);
              }
            });
    return objects;
  }

  /** Reads one object. */
  public InputStream get(String key) {
    ResponseInputStream<GetObjectResponse> in =
        client.getObject(GetObjectRequest.builder().bucket(config.bucket()).key(key).build());
    return in;
  }

  /**
   * Deletes these keys, one request each: DeleteObjects needs an integrity checksum that
   * S3-compatible stores take in different forms (s3proxy refuses the SDK's CRC32 header), and a
   * Run leaves a handful of objects.
   */
  public void delete(List<String> keys) {
    for (String key : keys) {
      client.deleteObject(DeleteObjectRequest.builder().bucket(config.bucket()).key(key).build());
    }
  }

  @Override
  public void close() {
    presigner.close();
    client.close();
  }
}

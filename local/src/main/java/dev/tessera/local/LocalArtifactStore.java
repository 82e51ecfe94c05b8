package dev.tessera.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * Local mode's artifact store: s3proxy, a real S3-compatible server, on loopback, keeping objects
 * as files under {@code .tessera/artifacts/}. The operator presigns uploads for runners and reads
 * and deletes through the AWS SDK exactly as with a cluster's store; only the server differs.
 *
 * <p>Its address and keys are written to {@code .tessera/artifact-store.json} (readable by the user
 * only), where {@code tessera-local artifacts} finds them; the keys are made once and kept, the
 * port is new at each start.
 */
public final class LocalArtifactStore implements AutoCloseable {
  /** The one bucket of local mode. */
  public static final String BUCKET = "tessera-artifacts";

  /** The file that tells where the store is and how to sign for it, beside the kubeconfig. */
  public static final String SETTINGS_FILE = "artifact-store.json";

  /** How often local mode deletes the artifacts of deleted Runs. */
  static final Duration SWEEP = Duration.ofSeconds(10);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final S3Proxy proxy;
  private final BlobStoreContext context;
  private final Map<String, String> env;

  private LocalArtifactStore(S3Proxy proxy, BlobStoreContext context, Map<String, String> env) {
    this.proxy = proxy;
    this.context = context;
    this.env = env;
  }

  /**
   * Starts the store on a free loopback port, with its objects under {@code
   * stateDirectory/artifacts} and its settings in {@code stateDirectory/}{@value #SETTINGS_FILE}.
   */
  public static LocalArtifactStore start(Path stateDirectory) throws IOException {
    Path objects = stateDirectory.resolve("artifacts").toAbsolutePath();
    Files.createDirectories(objects);
    Path settings = stateDirectory.resolve(SETTINGS_FILE);
    Keys keys = Keys.readOrMake(settings);
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", objects.toString());
    BlobStoreContext context =
        ContextBuilder.newBuilder("filesystem")
            .overrides(properties)
            .credentials("local", "local")
            .build(BlobStoreContext.class);
    BlobStore blobs = context.getBlobStore();
    blobs.createContainerInLocation(null, BUCKET);
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(blobs)
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, keys.id(), keys.secret())
            .build();
    try {
      proxy.start();
      Instant deadline = Instant.now().plusSeconds(30);
      while (!"STARTED".equals(proxy.getState())) {
        if (Instant.now().isAfter(deadline)) {
          throw new IOException("the artifact store did not start within 30 s");
        }
        Thread.sleep(20);
      }
    } catch (IOException e) {
      context.close();
      throw e;
    } catch (Exception e) {
      context.close();
      throw new IOException("the artifact store could not start: " + e.getMessage(), e);
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put("TESSERA_ARTIFACTS_ENDPOINT", "http://127.0.0.1:" + proxy.getPort());
    env.put("TESSERA_ARTIFACTS_BUCKET", BUCKET);
    env.put("TESSERA_ARTIFACTS_REGION", "us-east-1");
    env.put("TESSERA_ARTIFACTS_PATH_STYLE", "true");
    env.put("TESSERA_ARTIFACTS_ACCESS_KEY_ID", keys.id());
    env.put("TESSERA_ARTIFACTS_SECRET_ACCESS_KEY", keys.secret());
    env.put("TESSERA_ARTIFACTS_SWEEP_SECONDS", Long.toString(SWEEP.toSeconds()));
    writeSettings(settings, env);
    return new LocalArtifactStore(proxy, context, env);
  }

  /** The operator's {@code TESSERA_ARTIFACTS_*} variables for this store. */
  public Map<String, String> env() {
    return env;
  }

  /** The settings of a running (or the last) local mode's store, for the CLI. */
  public static Map<String, String> readSettings(Path file) throws IOException {
    Map<String, String> settings = new LinkedHashMap<>();
    JSON.readTree(file.toFile())
        .fields()
        .forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
    return settings;
  }

  private static void writeSettings(Path file, Map<String, String> env) throws IOException {
    ObjectNode json = JSON.createObjectNode();
    env.forEach(json::put);
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temporary);
    Files.createFile(
        temporary,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    Files.move(
        temporary,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** The store's access key: made once per state directory and kept in its settings. */
  private record Keys(String id, String secret) {
    static Keys readOrMake(Path settings) throws IOException {
      if (Files.isRegularFile(settings)) {
        Map<String, String> known = readSettings(settings);
        String id = known.get("TESSERA_ARTIFACTS_ACCESS_KEY_ID");
        String secret = known.get("TESSERA_ARTIFACTS_SECRET_ACCESS_KEY");
        if (id != null && secret != null) {
          return new Keys(id, secret);
        }
      }
      SecureRandom random = new SecureRandom();
      byte[] id = new byte[10];
      byte[] secret = new byte[30];
      random.nextBytes(id);
      random.nextBytes(secret);
      return new Keys(
          "LOCAL" + HexFormat.of().withUpperCase().formatHex(id), HexFormat.of().formatHex(secret));
    }
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      // stopping is best effort: the process ends next
    }
    context.close();
  }
}

package dev.tessera.local;

import com.sun.net.httpserver.HttpServer;
import dev.tessera.api.protocol.ArtifactPlan;
import dev.tessera.api.v1alpha1.ApiDefinition;
import dev.tessera.api.v1alpha1.ArtifactsSpec;
import dev.tessera.operator.artifacts.ArtifactPlans;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where {@code try} keeps what the browser saw: a folder per API Attempt, filled through the
 * runner's own upload path (one PUT URL per file) by a loopback HTTP endpoint that writes each
 * upload to its file. A random path part keeps other local processes from writing there.
 */
final class ArtifactFolder implements AutoCloseable {
  private final HttpServer server;
  private final Path root;
  private final String secret;

  private ArtifactFolder(HttpServer server, Path root, String secret) {
    this.server = server;
    this.root = root;
    this.secret = secret;
  }

  /** Starts the endpoint; files go under {@code root}. */
  static ArtifactFolder start(Path root) throws IOException {
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    String secret = HexFormat.of().formatHex(random);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ArtifactFolder folder = new ArtifactFolder(server, root.toAbsolutePath(), secret);
    server.createContext(
        "/" + secret + "/",
        exchange -> {
          try (exchange) {
            String relative = exchange.getRequestURI().getPath().substring(secret.length() + 2);
            Path file = folder.root.resolve(relative).normalize();
            if (!"PUT".equals(exchange.getRequestMethod())
                || !file.startsWith(folder.root)
                || relative.split("/").length != 2) {
              exchange.sendResponseHeaders(403, -1);
              return;
            }
            Files.createDirectories(file.getParent());
            try (InputStream body = exchange.getRequestBody()) {
              Files.copy(body, file, StandardCopyOption.REPLACE_EXISTING);
            }
            exchange.sendResponseHeaders(200, -1);
          }
        });
    server.start();
    return folder;
  }

  /** The folder of one Attempt's files. */
  Path folder(String attempt) {
    return root.resolve(attempt);
  }

  /** A plan that keeps every kind of an API Attempt, on failure, in {@link #folder(String)}. */
  ArtifactPlan plan(String attempt, ApiDefinition api) {
    Map<String, String> uploads = new LinkedHashMap<>();
    for (String file : ArtifactPlans.files(ArtifactsSpec.ALL_KINDS, api)) {
      uploads.put(
          file,
          "http://127.0.0.1:"
              + server.getAddress().getPort()
              + "/"
              + secret
              + "/"
              + attempt
              + "/"
              + file);
    }
    return new ArtifactPlan(ArtifactPlan.ON_FAILURE, uploads);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

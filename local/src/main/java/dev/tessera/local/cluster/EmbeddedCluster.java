package dev.tessera.local.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.MockServerExpectation;
import io.fabric8.mockwebserver.internal.MockServerExpectationImpl;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * An in-process Kubernetes API for local mode: fabric8's CRUD mock (its object store and its
 * watches) behind {@link LocalApiDispatcher}, served over HTTPS on 127.0.0.1 by {@link
 * LocalApiServer}, with the Tessera CRDs registered before anything else can use it, the {@code
 * default} namespace, and owner-reference garbage collection. kubectl works against it through
 * {@link #writeKubeconfig(Path)}.
 *
 * <pre>{@code
 * try (EmbeddedCluster cluster = EmbeddedCluster.builder().crds(Path.of("crds")).start()) {
 *   cluster.writeKubeconfig(Path.of("kubeconfig"));
 *   cluster.kubernetesClient().resources(Run.class).inNamespace("default").list();
 * }
 * }</pre>
 *
 * <p>Every write of a custom resource is checked against its CRD's schema and CEL rules. What it
 * does not emulate is listed in docs/local-mode.md: among others, grace periods, server side apply,
 * RBAC and admission policies.
 */
public final class EmbeddedCluster implements AutoCloseable {
  /** Name of the cluster, user and context of the written kubeconfig. */
  public static final String NAME = "tessera-local";

  /** The namespace that always exists and that clients and kubectl use by default. */
  public static final String DEFAULT_NAMESPACE = "default";

  /** Numbers the audit logs of the embedded APIs of one process. */
  private static final AtomicInteger AUDIT_LOGS = new AtomicInteger();

  private static final String HOST = "127.0.0.1";

  /**
   * fabric8's mock web server classes log every request at INFO through java.util.logging. Held
   * strongly: a logger only weakly referenced may be collected and its level forgotten.
   */
  private static final Logger MOCK_SERVER_LOGGER = Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_SERVER_LOGGER.setLevel(Level.WARNING);
  }

  private final Map<ServerRequest, Queue<ServerResponse>> expectations;
  private final LocalApiDispatcher dispatcher;
  private final LocalApiServer server;
  private final KubernetesClient client;
  private final OwnerReferenceCollector collector;
  private final ApiAudit audit;

  /** The bearer token every request must carry; in the kubeconfig, never in a Pod. */
  private final String token;

  /** The API's TLS certificate, which the kubeconfig trusts. */
  private final LocalCertificate certificate;

  private EmbeddedCluster(Builder builder) {
    expectations = new ConcurrentHashMap<>();
    dispatcher =
        new LocalApiDispatcher(
            new PartitionedStore(expectations),
            expectations,
            builder.requireNamespaces,
            Clock.systemUTC());
    token = newToken();
    certificate = LocalCertificate.create();
    server = new LocalApiServer(dispatcher, HOST, builder.port, token, certificate);
    dispatcher.serverAddress(HOST + ":" + server.port());
    audit = builder.auditLog == null ? null : ApiAudit.toFile(builder.auditLog);
    if (audit != null) {
      server.audit(audit::record);
    }
    server.faults(builder.faults);
    client = new KubernetesClientBuilder().withConfig(config()).build();
    OwnerReferenceCollector startedCollector = null;
    try {
      for (Path crd : builder.crds) {
        registerCrds(crd);
      }
      ensureNamespace(DEFAULT_NAMESPACE);
      if (builder.garbageCollection != null) {
        startedCollector =
            new OwnerReferenceCollector(
                    new KubernetesClientBuilder().withConfig(config()).build(),
                    builder.garbageCollection,
                    true)
                .onDeletionOnly()
                .start();
        dispatcher.onDeletion(startedCollector::objectsDeleted);
      }
    } catch (RuntimeException e) {
      client.close();
      server.close();
      throw e;
    }
    collector = startedCollector;
  }

  /** A builder: the CRD directory, the port, garbage collection. */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts an embedded API on a free port with the CRDs of a directory (e.g. {@code crds/}). */
  public static EmbeddedCluster start(Path crdDirectory) {
    return builder().crds(crdDirectory).start();
  }

  /** A client of this API (namespace {@code default}); closed with the cluster. */
  public KubernetesClient kubernetesClient() {
    return client;
  }

  /** A new random token: 256 bits, URL-safe base64. */
  private static String newToken() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * The bearer token of this API: every request without it is answered 401. It is in {@link
   * #config()} and in the kubeconfig {@link #writeKubeconfig} writes, and nowhere else.
   */
  public String token() {
    return token;
  }

  /** A fresh client configuration for this API, for callers that build their own client. */
  public Config config() {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url())
        .withOauthToken(token)
        .withCaCertData(
            Base64.getEncoder()
                .encodeToString(certificate.certificatePem().getBytes(StandardCharsets.UTF_8)))
        .withNamespace(DEFAULT_NAMESPACE)
        .withHttp2Disable(true)
        .build();
  }

  /** The API's URL, {@code https://127.0.0.1:PORT}. */
  public String url() {
    return "https://" + HOST + ":" + server.port();
  }

  /**
   * A TLS context that trusts this API's certificate, for callers that speak HTTP to it without a
   * Kubernetes client (the kubeconfig and {@link #config()} carry the certificate already).
   */
  public SSLContext sslContext() {
    return certificate.sslContext();
  }

  public int port() {
    return server.port();
  }

  /**
   * Writes a kubeconfig whose cluster, user and current context are {@code tessera-local}, in
   * namespace {@code default}, with the API's token; the file is readable by its owner only.
   */
  public Path writeKubeconfig(Path file) {
    String kubeconfig =
        """
        apiVersion: v1
        kind: Config
        clusters:
          - name: %1$s
            cluster:
              server: %2$s
              certificate-authority-data: %5$s
        users:
          - name: %1$s
            user:
              token: %4$s
        contexts:
          - name: %1$s
            context:
              cluster: %1$s
              user: %1$s
              namespace: %3$s
        current-context: %1$s
        preferences: {}
        """
            .formatted(
                NAME,
                url(),
                DEFAULT_NAMESPACE,
                token,
                Base64.getEncoder()
                    .encodeToString(certificate.certificatePem().getBytes(StandardCharsets.UTF_8)));
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      // owner-only from the start: the file holds the API's token
      Files.deleteIfExists(file);
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the file gets the default permissions
      }
      Files.writeString(file, kubeconfig);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Registers the CRDs of a YAML file, or of every {@code *.yaml}/{@code *.yml} file of a
   * directory, and waits until the API serves them.
   */
  public List<CustomResourceDefinition> registerCrds(Path fileOrDirectory) {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(fileOrDirectory)) {
      try (Stream<Path> entries = Files.list(fileOrDirectory)) {
        entries
            .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
            .sorted()
            .forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      files.add(fileOrDirectory);
    }
    List<CustomResourceDefinition> registered = new ArrayList<>();
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        for (HasMetadata item : client.load(in).items()) {
          if (item instanceof CustomResourceDefinition crd) {
            registered.add(client.resource(crd).createOr(existing -> existing.update()));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return registered;
  }

  /** Creates a namespace unless it exists. */
  public void ensureNamespace(String name) {
    if (client.namespaces().withName(name).get() != null) {
      return;
    }
    try {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
          .create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  /** Makes {@code kubectl logs} (and {@code GET .../pods/NAME/log}) read Pod logs from a source. */
  public void podLogs(PodLogs source) {
    dispatcher.podLogs(Objects.requireNonNull(source));
  }

  /**
   * Records a canned answer that takes precedence over the API (for tests), as on fabric8's mock
   * server.
   */
  public MockServerExpectation expect() {
    return new MockServerExpectationImpl(expectations, new Context(Json.MAPPER));
  }

  /**
   * How many faults this API injected so far (none unless the builder asked for {@link Faults}).
   */
  public Faults.Injected faultsInjected() {
    return server.faultsInjected();
  }

  /** Stops garbage collection, closes the client and stops the server. */
  @Override
  public void close() {
    if (collector != null) {
      collector.close();
    }
    client.close();
    server.close();
    if (audit != null) {
      audit.close();
    }
  }

  /** Options of an {@link EmbeddedCluster}. */
  public static final class Builder {
    private final List<Path> crds = new ArrayList<>();
    private int port;
    private boolean requireNamespaces = true;
    private Duration garbageCollection = Duration.ofSeconds(1);
    private Path auditLog = auditLogFromEnvironment();
    private Faults faults = Faults.NONE;

    private Builder() {}

    private static Path auditLogFromEnvironment() {
      String directory = System.getenv("TESSERA_AUDIT_LOG_DIR");
      if (directory == null || directory.isBlank()) {
        return null;
      }
      return Path.of(directory)
          .resolve(
              "audit-"
                  + ProcessHandle.current().pid()
                  + "-"
                  + AUDIT_LOGS.incrementAndGet()
                  + ".jsonl");
    }

    /** A CRD YAML file or a directory of them, registered before the API is handed out. */
    public Builder crds(Path fileOrDirectory) {
      crds.add(Objects.requireNonNull(fileOrDirectory));
      return this;
    }

    /** The port on 127.0.0.1; 0 (the default) picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /**
     * Whether creating an object in a namespace that does not exist fails with 404, as on a real
     * server (the default).
     */
    public Builder requireNamespaces(boolean require) {
      this.requireNamespaces = require;
      return this;
    }

    /**
     * How often owner-reference garbage collection sweeps (default one second); {@code null} turns
     * it off.
     */
    public Builder garbageCollection(Duration interval) {
      this.garbageCollection = interval;
      return this;
    }

    /**
     * Writes an audit log of every request to this file (see {@link ApiAudit}); {@code null} turns
     * it off. By default each embedded API writes a new file under the directory {@code
     * TESSERA_AUDIT_LOG_DIR} names, and none when it is not set.
     */
    public Builder auditLog(Path file) {
      this.auditLog = file;
      return this;
    }

    /**
     * Faults to inject into the requests of one client (by its User-Agent), to test how it copes
     * with a failing API server; {@link Faults#NONE} (the default) injects none.
     */
    public Builder faults(Faults faults) {
      this.faults = Objects.requireNonNull(faults);
      return this;
    }

    public EmbeddedCluster start() {
      return new EmbeddedCluster(this);
    }
  }
}

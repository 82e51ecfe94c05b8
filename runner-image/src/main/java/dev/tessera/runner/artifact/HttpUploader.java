package dev.tessera.runner.artifact;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Uploads with an HTTP PUT to a presigned URL of an S3-compatible store: the URL carries the
 * signature, so the runner holds no credential of the store.
 */
public final class HttpUploader implements Uploader {
  /** How long a connection to the store may take to open. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private static final Pattern S3_ERROR_CODE = Pattern.compile("<Code>([^<]{1,80})</Code>");

  private final Duration connectTimeout;
  private HttpClient client;
  private Thread selector;

  /** An uploader whose client is made on first use: an Attempt that keeps nothing pays nothing. */
  public HttpUploader(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  private synchronized HttpClient client() {
    if (client == null) {
      Set<Thread> before = selectorThreads();
      client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(connectTimeout)
              .followRedirects(HttpClient.Redirect.NEVER)
              .build();
      Set<Thread> made = selectorThreads();
      made.removeAll(before);
      selector = made.size() == 1 ? made.iterator().next() : null;
    }
    return client;
  }

  /**
   * Stops this client's selector thread. JDK 17's client has no {@code close()}, and its thread
   * waits in native code, which holds the JVM's exit back by 300 ms (HotSpot waits that long for
   * such threads); interrupted, the thread ends. Only this uploader's thread is stopped: the result
   * sink's client delivers the result after the uploads.
   */
  @Override
  public synchronized void release() {
    if (selector != null) {
      selector.interrupt();
    }
    selector = null;
    client = null;
  }

  /** This uploader's selector thread, or null. */
  synchronized Thread selectorThread() {
    return selector;
  }

  /** The JDK HTTP clients' selector threads ({@code HttpClient-<n>-SelectorManager}). */
  private static Set<Thread> selectorThreads() {
    Set<Thread> threads = new HashSet<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith("HttpClient-")
          && thread.getName().endsWith("-SelectorManager")) {
        threads.add(thread);
      }
    }
    return threads;
  }

  /** Makes the client in the background: the JDK's HTTP client takes ~200 ms to load. */
  @Override
  public void prepare() {
    Thread warmUp =
        new Thread(
            () -> {
              client();
              // loads what building a request takes too; nothing is sent
              HttpRequest.newBuilder(URI.create("http://127.0.0.1/"))
                  .timeout(connectTimeout)
                  .header("Content-Type", "application/octet-stream")
                  .PUT(HttpRequest.BodyPublishers.noBody())
                  .build();
              HttpResponse.BodyHandlers.ofString();
            },
            "tessera-uploader-warm-up");
    warmUp.setDaemon(true);
    warmUp.start();
  }

  /** An uploader with {@link #CONNECT_TIMEOUT}. */
  public static HttpUploader withDefaults() {
    return new HttpUploader(CONNECT_TIMEOUT);
  }

  @Override
  public void put(URI url, Path file, String contentType, Duration timeout)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", contentType)
            .PUT(HttpRequest.BodyPublishers.ofFile(file))
            .build();
    HttpResponse<String> response;
    try {
      response = client().send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpConnectTimeoutException | ConnectException | UnknownHostException e) {
      throw new Uploader.Unreachable(
          "the store cannot be reached: "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage()),
          e);
    } catch (IOException e) {
      // the JDK's messages name the host at most, never the query; say what kind of failure
      throw new IOException(
          e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    }
    int status = response.statusCode();
    if (status / 100 != 2) {
      // An S3 error names its code (AccessDenied, SignatureDoesNotMatch, ...); the rest of the
      // body may repeat the signed request, so only the code is said.
      Matcher code = S3_ERROR_CODE.matcher(response.body() == null ? "" : response.body());
      throw new IOException(
          "the store answered HTTP " + status + (code.find() ? " " + code.group(1) : ""));
    }
  }
}

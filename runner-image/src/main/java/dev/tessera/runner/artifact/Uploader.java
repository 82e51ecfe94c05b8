package dev.tessera.runner.artifact;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/** Puts a file where a presigned URL says: the runner's only way to store an artifact. */
@FunctionalInterface
public interface Uploader {
  /**
   * Uploads the file; returns normally only when the store took it.
   *
   * @param timeout how long the upload may take, connection included
   * @throws Unreachable when no connection to the store could be made
   * @throws IOException when the store did not take it (the message never holds the URL's query)
   */
  void put(URI url, Path file, String contentType, Duration timeout)
      throws IOException, InterruptedException;

  /** No connection to the store could be made: later uploads to it would fail the same way. */
  final class Unreachable extends IOException {
    public Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Gets ready to upload (loads what an upload needs) without waiting, while the Attempt runs; an
   * Attempt that keeps nothing never calls it.
   */
  default void prepare() {}

  /** Frees what uploading holds (threads); a later upload gets it again. */
  default void release() {}

  /** The URL without its query (the signature) and fragment: what a log line may show. */
  static String shown(URI url) {
    return url.getScheme()
        + "://"
        + url.getRawAuthority().replaceFirst("^.*@", "")
        + (url.getRawPath() == null ? "" : url.getRawPath());
  }
}

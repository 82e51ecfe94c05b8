package dev.tessera.runner.result;

import java.io.IOException;

/**
 * Where the runner delivers its {@link dev.tessera.api.protocol.AttemptResult}: a file or stdout
 * today; an authenticated results endpoint of the operator can be another implementation.
 */
public interface ResultSink {
  /**
   * Delivers the serialized result. Throws when it could not be delivered: the runner then exits
   * non-zero so that the Attempt counts as crashed.
   */
  void deliver(byte[] resultJson) throws IOException;

  /** Where results go, for logs. */
  String describe();
}

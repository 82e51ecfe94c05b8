package dev.tessera.runner.attempt;

import com.fasterxml.jackson.databind.JsonNode;

/** A started browser that opens isolated {@link Session}s. */
public interface Browser {
  /**
   * Opens a new context, with the given storage state or empty when it is null.
   *
   * @throws SessionException when the context cannot be created
   */
  Session open(JsonNode storageState) throws SessionException;
}

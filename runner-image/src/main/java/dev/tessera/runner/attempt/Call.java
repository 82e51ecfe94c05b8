package dev.tessera.runner.attempt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.api.protocol.RunnerError;

/**
 * How one run of an API definition (a check, a create or an API) ended: its JSON result, or the
 * error that stopped it.
 */
public record Call(JsonNode result, RunnerError error) {

  /** A call that finished with this result. */
  public static Call succeeded(JsonNode result) {
    return new Call(result, null);
  }

  /** A call that failed with this error. */
  public static Call failed(RunnerError error) {
    return new Call(null, error);
  }

  /** Whether the call finished without an error. */
  public boolean ok() {
    return error == null;
  }
}

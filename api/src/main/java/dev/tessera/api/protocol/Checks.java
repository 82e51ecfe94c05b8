package dev.tessera.api.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.api.v1alpha1.ApiDefinition;

/** What the records of {@link AttemptInput} refuse in their constructors, in one place. */
final class Checks {
  private Checks() {}

  static <T> T required(T value, String message) {
    if (value == null) {
      throw new IllegalArgumentException(message);
    }
    return value;
  }

  /** An API is steps or a Java class, as the CRD says; null passes (an optional API). */
  static void definition(String what, ApiDefinition api) {
    if (api == null) {
      return;
    }
    boolean hasSteps = api.getSteps() != null;
    boolean hasClass = api.getClassName() != null && !api.getClassName().isBlank();
    if (hasSteps == hasClass) {
      throw new IllegalArgumentException(what + ": " + ApiDefinition.ONE_KIND);
    }
  }

  static void positive(String field, Integer value) {
    if (value != null && value < 1) {
      throw new IllegalArgumentException(field + " must be at least 1, got " + value);
    }
  }

  static void state(JsonNode storageState) {
    if (storageState != null && !storageState.isObject()) {
      throw new IllegalArgumentException("storageState must be an object with cookies and origins");
    }
  }

  static void limits(Integer stepTimeoutSeconds, Integer resultLimitBytes) {
    positive("stepTimeoutSeconds", stepTimeoutSeconds);
    positive("resultLimitBytes", resultLimitBytes);
  }

  /** An input for logs: never credentials, state, tokens or a proxy password. */
  static String describe(AttemptInput input, String details) {
    return "AttemptInput[run="
        + input.run()
        + ", attempt="
        + input.attempt()
        + ", operation="
        + input.operation()
        + ", "
        + details
        + "]";
  }
}

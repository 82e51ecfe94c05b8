package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a session operation Run does to its AuthSession. Only the session's own controller starts
 * one; it records the Run's UID in {@code status.operation}, and any other Run that names an
 * operation is Rejected ({@code OperationNotAllowed}).
 */
public enum SessionOperation {
  /** Logs the session in for the first time, or after its credentials were changed. */
  @JsonProperty("AuthSession:Create")
  CREATE("AuthSession:Create"),
  /** Logs in again with new credentials or a new proxy; the state is replaced only on success. */
  @JsonProperty("AuthSession:Update")
  UPDATE("AuthSession:Update"),
  /** Checks the state once more and logs in when every check fails: a recreation. */
  @JsonProperty("AuthSession:Validate")
  VALIDATE("AuthSession:Validate");

  private final String value;

  SessionOperation(String value) {
    this.value = value;
  }

  /** The name users see, as in {@code spec.operation}: {@code AuthSession:Create}. */
  public String value() {
    return value;
  }

  @Override
  public String toString() {
    return value;
  }
}

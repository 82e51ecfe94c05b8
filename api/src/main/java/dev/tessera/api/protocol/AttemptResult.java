package dev.tessera.api.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a runner reports after one Attempt.
 *
 * @param apiVersion {@link AttemptInput#API_VERSION}
 * @param kind {@link #KIND}
 * @param outcome how the Attempt ended
 * @param validation what the validate-first phase did
 * @param result the API's JSON result (a check's is {@code true} or {@code false})
 * @param storageState the new browser state, after a create
 * @param error why the Attempt did not succeed
 * @param artifacts files the Attempt produced
 * @param timings where the time went
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AttemptResult(
    String apiVersion,
    String kind,
    Outcome outcome,
    Validation validation,
    JsonNode result,
    JsonNode storageState,
    RunnerError error,
    List<Artifact> artifacts,
    Timings timings) {

  /** The kind of this document. */
  public static final String KIND = "AttemptResult";

  /** A result of this build's version. */
  public static AttemptResult of(
      Outcome outcome,
      Validation validation,
      JsonNode result,
      JsonNode storageState,
      RunnerError error,
      List<Artifact> artifacts,
      Timings timings) {
    return new AttemptResult(
        AttemptInput.API_VERSION,
        KIND,
        outcome,
        validation,
        result,
        storageState,
        error,
        artifacts,
        timings);
  }

  /** Never prints the storage state or the result's content. */
  @Override
  public String toString() {
    return "AttemptResult[outcome="
        + outcome
        + ", validation="
        + validation
        + ", error="
        + (error == null ? "none" : error.code())
        + ", storageState="
        + (storageState == null ? "none" : "present")
        + "]";
  }
}

package dev.tessera.api.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where an Attempt spent its time, in milliseconds since the runner process started: when the
 * browser was ready, when validation ended, when the operation ended.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Timings(Long browserReadyMs, Long validatedMs, Long finishedMs) {}

package dev.tessera.runner.spi;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An API written as Java code instead of declarative steps. Name the implementing class in the
 * project's API definition ({@code className}) and put its jar on the runner's plugin path.
 *
 * <p>An implementation needs a public no-argument constructor. The runner creates one instance per
 * call. As a {@code check}, return {@code true} when the browser is still logged in and {@code
 * false} otherwise; as a {@code create}, log in and return anything (the runner captures the
 * browser state); as an API, return the JSON result. Throwing fails the call with {@code ApiError}
 * and the exception's message (keep secrets out of it).
 */
@FunctionalInterface
public interface BrowserApi {
  /** Runs the API in the given context and returns its JSON result. */
  JsonNode run(ApiContext context) throws Exception;
}

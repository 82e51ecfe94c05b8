package dev.tessera.runner.attempt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.api.v1alpha1.ApiDefinition;

/**
 * One browser context with its page: the unit in which a check, a create and an API run one after
 * the other, sharing cookies and localStorage.
 */
public interface Session extends AutoCloseable {
  /** Runs an API definition in this context; never throws for a failure of the API itself. */
  Call call(ApiDefinition api, Role role, String name);

  /** The session's page, for a human to drive from afar (a recording). */
  default LivePage live() {
    throw new UnsupportedOperationException("this session has no live page");
  }

  /** The context's current storage state: cookies and every origin's localStorage. */
  JsonNode storageState();

  /** Closes the context. */
  @Override
  void close();
}

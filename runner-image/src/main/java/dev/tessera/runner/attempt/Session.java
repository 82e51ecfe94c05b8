package dev.tessera.runner.attempt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.api.v1alpha1.ApiDefinition;
import java.nio.file.Path;

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

  /**
   * The context's cookies and localStorage as they are now, without opening a page for it: what an
   * artifact must not show.
   */
  default JsonNode storageStateSoFar() {
    return storageState();
  }

  /**
   * Starts a trace of everything the session does from now on, with screenshots and DOM snapshots
   * and without sources; each later {@link #call} is a group of the trace.
   *
   * @param title the trace's title in the trace viewer
   */
  default void startTracing(String title) {
    throw new UnsupportedOperationException("this session cannot be traced");
  }

  /**
   * Stops the trace started by {@link #startTracing}, writing it to {@code file}, or dropping it
   * when {@code file} is null. Does nothing when no trace runs.
   */
  default void stopTracing(Path file) {}

  /** A PNG of the page's viewport as it is now, or null when the session opened no page. */
  default byte[] screenshot() {
    return null;
  }

  /** The page's HTML as it is now, or null when the session opened no page. */
  default String html() {
    return null;
  }

  /** Closes the context. */
  @Override
  void close();
}

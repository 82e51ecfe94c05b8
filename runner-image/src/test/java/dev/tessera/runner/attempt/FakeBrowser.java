package dev.tessera.runner.attempt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tessera.api.v1alpha1.ApiDefinition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A browser whose calls answer from a script: one queue of {@link Call}s per role. It records which
 * session each call ran in, and which sessions were opened and closed.
 */
final class FakeBrowser implements BrowserLauncher, Browser {
  /** One call the runner made. */
  record Made(Role role, int session) {}

  final Map<Role, Deque<Call>> script = new EnumMap<>(Role.class);
  final List<FakeSession> sessions = new ArrayList<>();
  final List<Made> calls = new ArrayList<>();
  int launches;
  SessionException launchFailure;

  FakeBrowser answer(Role role, Call... calls) {
    script.computeIfAbsent(role, r -> new ArrayDeque<>()).addAll(List.of(calls));
    return this;
  }

  @Override
  public Browser launch() throws SessionException {
    launches++;
    if (launchFailure != null) {
      throw launchFailure;
    }
    return this;
  }

  @Override
  public Session open(JsonNode storageState) {
    FakeSession session = new FakeSession(sessions.size(), storageState);
    sessions.add(session);
    return session;
  }

  List<Role> roles() {
    return calls.stream().map(Made::role).toList();
  }

  final class FakeSession implements Session {
    final int index;
    final JsonNode openedWith;
    boolean closed;

    FakeSession(int index, JsonNode openedWith) {
      this.index = index;
      this.openedWith = openedWith;
    }

    @Override
    public Call call(ApiDefinition api, Role role, String name) {
      if (closed) {
        throw new IllegalStateException("call on a closed session");
      }
      calls.add(new Made(role, index));
      Deque<Call> queue = script.get(role);
      if (queue == null || queue.isEmpty()) {
        throw new IllegalStateException("no scripted answer left for " + role);
      }
      return queue.poll();
    }

    @Override
    public JsonNode storageState() {
      return JsonNodeFactory.instance.objectNode().put("session", index);
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}

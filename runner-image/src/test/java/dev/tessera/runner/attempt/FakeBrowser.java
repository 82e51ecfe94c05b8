package dev.tessera.runner.attempt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tessera.api.v1alpha1.ApiDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

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

  /** What each session did, in order: calls, trace starts and stops, captures. */
  final List<String> events = new ArrayList<>();

  /** The trace a session writes when its trace is stopped into a file: entry name -> content. */
  Map<String, String> trace = Map.of("trace.trace", "{\"type\":\"before\"}\n");

  /** The HTML of the page at the end; null as if no page was opened. */
  String html = "<html><body>the page</body></html>";

  /** The context's state at the end. */
  JsonNode stateSoFar = JsonNodeFactory.instance.objectNode();

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
      events.add("call " + role);
      Deque<Call> queue = script.get(role);
      if (queue == null || queue.isEmpty()) {
        throw new IllegalStateException("no scripted answer left for " + role);
      }
      return queue.poll();
    }

    @Override
    public void startTracing(String title) {
      events.add("trace start " + title);
    }

    @Override
    public void stopTracing(Path file) {
      events.add(file == null ? "trace drop" : "trace save");
      if (file == null) {
        return;
      }
      try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
        for (Map.Entry<String, String> entry : trace.entrySet()) {
          zip.putNextEntry(new ZipEntry(entry.getKey()));
          zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
          zip.closeEntry();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public byte[] screenshot() {
      events.add("screenshot");
      return html == null ? null : new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
    }

    @Override
    public String html() {
      events.add("html");
      return html;
    }

    @Override
    public JsonNode storageStateSoFar() {
      return stateSoFar;
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

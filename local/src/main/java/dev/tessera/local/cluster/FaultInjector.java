package dev.tessera.local.cluster;

import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Draws the {@link Faults} of each request the embedded API serves, and counts them. */
final class FaultInjector {
  /** What to do to one request. */
  enum Fault {
    NONE,
    SERVER_ERROR,
    CONFLICT,
    DROP_WATCH,
    SLOW
  }

  private final Faults faults;
  private final AtomicLong serverErrors = new AtomicLong();
  private final AtomicLong conflicts = new AtomicLong();
  private final AtomicLong droppedWatches = new AtomicLong();
  private final AtomicLong slowAnswers = new AtomicLong();

  FaultInjector(Faults faults) {
    this.faults = faults;
  }

  Fault draw(RecordedRequest request) {
    if (!faults.enabled()) {
      return Fault.NONE;
    }
    String agent = request.getHeader("User-Agent");
    if (agent == null || !agent.startsWith(faults.userAgent())) {
      return Fault.NONE;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (LocalApiDispatcher.isWatch(request)) {
      if (random.nextDouble() < faults.droppedWatches()) {
        droppedWatches.incrementAndGet();
        return Fault.DROP_WATCH;
      }
      return Fault.NONE;
    }
    if (isWrite(request.method())) {
      double draw = random.nextDouble();
      if (draw < faults.serverErrors()) {
        serverErrors.incrementAndGet();
        return Fault.SERVER_ERROR;
      }
      // a real server answers 409 Conflict only to an update of a stale version; a create's 409
      // says the object exists, and clients rightly take that as done
      boolean update = request.method() == HttpMethod.PUT || request.method() == HttpMethod.PATCH;
      if (update && draw < faults.serverErrors() + faults.conflicts()) {
        conflicts.incrementAndGet();
        return Fault.CONFLICT;
      }
    }
    if (random.nextDouble() < faults.slowAnswers()) {
      slowAnswers.incrementAndGet();
      return Fault.SLOW;
    }
    return Fault.NONE;
  }

  /** How long a watch that is cut lives: a random time within the configured lifetime. */
  Duration watchLifetime() {
    long max = Math.max(1, faults.watchLifetime().toMillis());
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(max / 10, max + 1));
  }

  Duration slowDelay() {
    return faults.slowDelay();
  }

  Faults.Injected injected() {
    return new Faults.Injected(
        serverErrors.get(), conflicts.get(), droppedWatches.get(), slowAnswers.get());
  }

  /** The answer to a write that draws a fault, in the API server's words. */
  static String status(Fault fault, RecordedRequest request) {
    boolean conflict = fault == Fault.CONFLICT;
    String path = request.getPath();
    return Json.write(
        Json.object()
            .put("kind", "Status")
            .put("apiVersion", "v1")
            .put("status", "Failure")
            .put(
                "message",
                conflict
                    ? "Operation cannot be fulfilled on "
                        + path
                        + ": the object has been modified; please apply your changes to the"
                        + " latest version and try again (injected fault)"
                    : "an error on the server has prevented the request from succeeding"
                        + " (injected fault)")
            .put("reason", conflict ? "Conflict" : "InternalError")
            .put("code", conflict ? 409 : 500));
  }

  private static boolean isWrite(HttpMethod method) {
    return method == HttpMethod.POST
        || method == HttpMethod.PUT
        || method == HttpMethod.PATCH
        || method == HttpMethod.DELETE;
  }
}

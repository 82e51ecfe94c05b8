package dev.tessera.runner.result;

import dev.tessera.api.protocol.AttemptResult;
import dev.tessera.api.protocol.RunnerError;

/**
 * The one-line summary written to the termination-message file, which Kubernetes shows in the Pod's
 * status: the outcome, the error code and the failed step. Never a message, a value or a result, so
 * that nothing secret or large reaches the Pod's status.
 */
public final class TerminationMessage {
  /** Kubernetes keeps at most 4096 bytes of a termination message; stay well under it. */
  static final int MAX_LENGTH = 1024;

  private TerminationMessage() {}

  /** The summary of a delivered result. */
  public static String of(AttemptResult result) {
    StringBuilder line = new StringBuilder("outcome=").append(result.outcome());
    if (result.validation() != null) {
      line.append(" validation=")
          .append(result.validation().outcome())
          .append(" checks=")
          .append(result.validation().checks())
          .append(" creates=")
          .append(result.validation().creates());
    }
    RunnerError error = result.error();
    if (error != null) {
      line.append(" code=").append(error.code());
      if (error.step() != null) {
        line.append(" step=\"").append(error.step().replace('"', '\'')).append('"');
      }
    }
    return oneLine(line.toString());
  }

  /** The summary when no result could be delivered. */
  public static String undelivered(String reason) {
    return oneLine("outcome=none code=ResultNotDelivered reason=\"" + reason + "\"");
  }

  private static String oneLine(String text) {
    String line = text.replace('\n', ' ').replace('\r', ' ');
    return line.length() > MAX_LENGTH ? line.substring(0, MAX_LENGTH) : line;
  }
}

package dev.tessera.operator.status;

import dev.tessera.api.v1alpha1.Reason;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events on Tessera objects, with reasons from the closed {@link Reason} set. An
 * Event that cannot be written is logged and dropped: Events inform, they never block work.
 */
public class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final String COMPONENT = "tessera-operator";

  /** Kubernetes refuses an Event whose message (note) is longer than 1 KiB. */
  static final int MAX_MESSAGE_BYTES = 1024;

  private final KubernetesClient client;
  private final Clock clock;
  private final String instance;

  public EventRecorder(KubernetesClient client, Clock clock, String instance) {
    this.client = client;
    this.clock = clock;
    this.instance = instance;
  }

  /** Records an Event about {@code object}. The message must not hold secrets. */
  public void record(HasMetadata object, Reason reason, String message) {
    String now = clock.instant().toString();
    String text = shorten(message, MAX_MESSAGE_BYTES);
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                object.getMetadata().getName()
                    + "."
                    + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()))
            .withNamespace(object.getMetadata().getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(object.getApiVersion())
                    .withKind(object.getKind())
                    .withName(object.getMetadata().getName())
                    .withNamespace(object.getMetadata().getNamespace())
                    .withUid(object.getMetadata().getUid())
                    .build())
            .withReason(reason.name())
            .withMessage(text)
            .withType(reason.type().value())
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .withReportingInstance(instance)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .build();
    try {
      client
          .v1()
          .events()
          .inNamespace(object.getMetadata().getNamespace())
          .resource(event)
          .create();
    } catch (KubernetesClientException e) {
      LOG.warn(
          "could not record event {} on {}/{}: {}",
          reason,
          object.getKind(),
          object.getMetadata().getName(),
          e.getMessage());
    }
  }

  /**
   * A message that fits {@code maxBytes} of UTF-8: as it is when it fits, else cut at the last
   * space that leaves room for an ellipsis, which ends it.
   */
  static String shorten(String message, int maxBytes) {
    if (message.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
      return message;
    }
    String ellipsis = "\u2026";
    int budget = maxBytes - ellipsis.getBytes(StandardCharsets.UTF_8).length;
    int end = 0;
    int bytes = 0;
    while (end < message.length()) {
      int codePoint = message.codePointAt(end);
      int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + size > budget) {
        break;
      }
      bytes += size;
      end += Character.charCount(codePoint);
    }
    int space = message.lastIndexOf(' ', end);
    int cut = space > 0 ? space : end;
    return message.substring(0, cut).stripTrailing() + ellipsis;
  }
}

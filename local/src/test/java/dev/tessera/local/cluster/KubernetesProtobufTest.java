package dev.tessera.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KubernetesProtobufTest {

  @Test
  void readsASecretAsKubectlCreateSecretSendsIt() {
    byte[] metadata =
        concat(
            string(1, "credentials"),
            string(3, "default"),
            message(11, concat(string(1, "app"), string(2, "demo"))));
    byte[] secret =
        concat(
            message(1, metadata),
            message(2, concat(string(1, "username"), string(2, "alice"))),
            string(3, "Opaque"));
    byte[] unknown =
        concat(message(1, concat(string(1, "v1"), string(2, "Secret"))), message(2, secret));
    byte[] body = concat(new byte[] {'k', '8', 's', 0}, unknown);

    ObjectNode decoded = KubernetesProtobuf.decode(body).orElseThrow();

    assertThat(decoded)
        .isEqualTo(
            Json.parse(
                """
                {"apiVersion": "v1", "kind": "Secret",
                 "metadata": {"name": "credentials", "namespace": "default", "labels": {"app": "demo"}},
                 "data": {"username": "YWxpY2U="}, "type": "Opaque"}
                """));
  }

  @Test
  void otherKindsAreLeftToJson() {
    byte[] unknown = message(1, concat(string(1, "v1"), string(2, "Pod")));
    assertThat(KubernetesProtobuf.decode(concat(new byte[] {'k', '8', 's', 0}, unknown))).isEmpty();
  }

  static byte[] string(int field, String value) {
    return message(field, value.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] message(int field, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(field << 3 | 2);
    int length = content.length;
    while (length >= 0x80) {
      out.write((length & 0x7F) | 0x80);
      length >>>= 7;
    }
    out.write(length);
    out.writeBytes(content);
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}

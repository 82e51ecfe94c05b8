package dev.tessera.local.cluster;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * Reads the few protobuf request bodies kubectl sends for built-in kinds that users create from the
 * command line ({@code kubectl create namespace|secret|configmap|serviceaccount}); kubectl sends
 * every other object as JSON. The encoding is Kubernetes' envelope ({@code k8s\0} then a {@code
 * runtime.Unknown} holding the kind and the object's own message); the field numbers are those of
 * {@code k8s.io/api/core/v1/generated.proto}.
 */
final class KubernetesProtobuf {
  static final String CONTENT_TYPE = "application/vnd.kubernetes.protobuf";
  private static final byte[] MAGIC = {'k', '8', 's', 0};

  private KubernetesProtobuf() {}

  /** The object as JSON, or empty when its kind is not one of those this reader knows. */
  static Optional<ObjectNode> decode(byte[] body) {
    if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, 4), MAGIC)) {
      throw new IllegalArgumentException("not a Kubernetes protobuf body");
    }
    Reader unknown = new Reader(Arrays.copyOfRange(body, 4, body.length));
    String apiVersion = "";
    String kind = "";
    byte[] raw = new byte[0];
    while (unknown.hasMore()) {
      int tag = unknown.tag();
      switch (tag >>> 3) {
        case 1 -> {
          Reader typeMeta = unknown.message();
          while (typeMeta.hasMore()) {
            int field = typeMeta.tag();
            switch (field >>> 3) {
              case 1 -> apiVersion = typeMeta.string();
              case 2 -> kind = typeMeta.string();
              default -> typeMeta.skip(field);
            }
          }
        }
        case 2 -> raw = unknown.bytes();
        default -> unknown.skip(tag);
      }
    }
    if (!apiVersion.equals("v1")) {
      return Optional.empty();
    }
    ObjectNode object = Json.object().put("apiVersion", apiVersion).put("kind", kind);
    Reader message = new Reader(raw);
    switch (kind) {
      case "Namespace" -> {
        while (message.hasMore()) {
          int tag = message.tag();
          switch (tag >>> 3) {
            case 1 -> object.set("metadata", objectMeta(message.message()));
            case 2 -> {
              Reader spec = message.message();
              ArrayNode finalizers = Json.array();
              while (spec.hasMore()) {
                int field = spec.tag();
                if (field >>> 3 == 1) {
                  finalizers.add(spec.string());
                } else {
                  spec.skip(field);
                }
              }
              if (!finalizers.isEmpty()) {
                object.putObject("spec").set("finalizers", finalizers);
              }
            }
            default -> message.skip(tag);
          }
        }
      }
      case "Secret" -> {
        while (message.hasMore()) {
          int tag = message.tag();
          switch (tag >>> 3) {
            case 1 -> object.set("metadata", objectMeta(message.message()));
            case 2 -> mapEntry(message.message(), child(object, "data"), true);
            case 3 -> putIfNotEmpty(object, "type", message.string());
            case 4 -> mapEntry(message.message(), child(object, "stringData"), false);
            case 5 -> object.put("immutable", message.varint() != 0);
            default -> message.skip(tag);
          }
        }
      }
      case "ConfigMap" -> {
        while (message.hasMore()) {
          int tag = message.tag();
          switch (tag >>> 3) {
            case 1 -> object.set("metadata", objectMeta(message.message()));
            case 2 -> mapEntry(message.message(), child(object, "data"), false);
            case 3 -> mapEntry(message.message(), child(object, "binaryData"), true);
            case 4 -> object.put("immutable", message.varint() != 0);
            default -> message.skip(tag);
          }
        }
      }
      case "ServiceAccount" -> {
        while (message.hasMore()) {
          int tag = message.tag();
          if (tag >>> 3 == 1) {
            object.set("metadata", objectMeta(message.message()));
          } else {
            message.skip(tag);
          }
        }
      }
      default -> {
        return Optional.empty();
      }
    }
    return Optional.of(object);
  }

  private static ObjectNode objectMeta(Reader meta) {
    ObjectNode metadata = Json.object();
    while (meta.hasMore()) {
      int tag = meta.tag();
      switch (tag >>> 3) {
        case 1 -> putIfNotEmpty(metadata, "name", meta.string());
        case 2 -> putIfNotEmpty(metadata, "generateName", meta.string());
        case 3 -> putIfNotEmpty(metadata, "namespace", meta.string());
        case 6 -> putIfNotEmpty(metadata, "resourceVersion", meta.string());
        case 11 -> mapEntry(meta.message(), child(metadata, "labels"), false);
        case 12 -> mapEntry(meta.message(), child(metadata, "annotations"), false);
        case 14 -> {
          ArrayNode finalizers =
              metadata.get("finalizers") instanceof ArrayNode existing
                  ? existing
                  : metadata.putArray("finalizers");
          finalizers.add(meta.string());
        }
        default -> meta.skip(tag);
      }
    }
    return metadata;
  }

  private static void putIfNotEmpty(ObjectNode object, String field, String value) {
    if (!value.isEmpty()) {
      object.put(field, value);
    }
  }

  private static ObjectNode child(ObjectNode parent, String name) {
    return parent.get(name) instanceof ObjectNode existing ? existing : parent.putObject(name);
  }

  private static void mapEntry(Reader entry, ObjectNode target, boolean bytesValue) {
    String key = "";
    String value = "";
    while (entry.hasMore()) {
      int tag = entry.tag();
      switch (tag >>> 3) {
        case 1 -> key = entry.string();
        case 2 -> {
          byte[] bytes = entry.bytes();
          value =
              bytesValue
                  ? Base64.getEncoder().encodeToString(bytes)
                  : new String(bytes, StandardCharsets.UTF_8);
        }
        default -> entry.skip(tag);
      }
    }
    target.put(key, value);
  }

  /** The protobuf wire format: varints, length-delimited fields, fixed 32 and 64 bit fields. */
  private static final class Reader {
    private final byte[] data;
    private int position;

    Reader(byte[] data) {
      this.data = data;
    }

    boolean hasMore() {
      return position < data.length;
    }

    int tag() {
      return (int) varint();
    }

    long varint() {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte b = data[position++];
        result |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return result;
        }
      }
      throw new IllegalArgumentException("malformed varint");
    }

    byte[] bytes() {
      int length = (int) varint();
      byte[] result = Arrays.copyOfRange(data, position, position + length);
      position += length;
      return result;
    }

    String string() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    Reader message() {
      return new Reader(bytes());
    }

    void skip(int tag) {
      switch (tag & 7) {
        case 0 -> varint();
        case 1 -> position += 8;
        case 2 -> bytes();
        case 5 -> position += 4;
        default -> throw new IllegalArgumentException("unsupported wire type " + (tag & 7));
      }
    }
  }
}

package dev.tessera.local.cluster;

/**
 * OpenAPI v3 schemas of the few built-in kinds whose fields the embedded API checks (unknown fields
 * are reported the way a real API server does) and {@code kubectl explain} describes. Other
 * built-in kinds are stored as sent.
 */
final class BuiltInSchemas {
  static final String SECRET =
      """
      {"type": "object",
       "description": "Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.",
       "properties": {
         "data": {"type": "object", "additionalProperties": {"type": "string", "format": "byte"},
           "description": "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string."},
         "stringData": {"type": "object", "additionalProperties": {"type": "string"},
           "description": "stringData allows specifying non-binary secret data in string form. It is provided as a write-only input field for convenience. All keys and values are merged into the data field on write, overwriting any existing values."},
         "type": {"type": "string", "description": "Used to facilitate programmatic handling of secret data."},
         "immutable": {"type": "boolean", "description": "Immutable, if set to true, ensures that data stored in the Secret cannot be updated (only object metadata can be modified)."}
       }}
      """;

  static final String CONFIG_MAP =
      """
      {"type": "object",
       "description": "ConfigMap holds configuration data for pods to consume.",
       "properties": {
         "data": {"type": "object", "additionalProperties": {"type": "string"},
           "description": "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'."},
         "binaryData": {"type": "object", "additionalProperties": {"type": "string", "format": "byte"},
           "description": "BinaryData contains the binary data. Each key must consist of alphanumeric characters, '-', '_' or '.'."},
         "immutable": {"type": "boolean", "description": "Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated (only object metadata can be modified)."}
       }}
      """;

  static final String NAMESPACE =
      """
      {"type": "object",
       "description": "Namespace provides a scope for Names. Use of multiple namespaces is optional.",
       "properties": {
         "spec": {"type": "object", "description": "Spec defines the behavior of the Namespace.",
           "properties": {"finalizers": {"type": "array", "items": {"type": "string"},
             "description": "Finalizers is an opaque list of values that must be empty to permanently remove object from storage."}}},
         "status": {"type": "object", "description": "Status describes the current status of a Namespace.",
           "x-kubernetes-preserve-unknown-fields": true,
           "properties": {"phase": {"type": "string", "description": "Phase is the current lifecycle phase of the namespace."}}}
       }}
      """;

  private BuiltInSchemas() {}
}

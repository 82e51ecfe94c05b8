package dev.tessera.operator;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** Model objects written as YAML in tests. */
public final class TestYaml {
  private static final YAMLMapper YAML = new YAMLMapper();

  private TestYaml() {}

  /** Reads YAML into a model type. */
  public static <T> T read(String yaml, Class<T> type) {
    try {
      return YAML.readValue(yaml, type);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

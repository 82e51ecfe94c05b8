package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A file an Attempt kept in the artifact store. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ArtifactStatus {
  @JsonPropertyDescription("File name: trace.zip, screenshot.png, page.html or step-<n>.png.")
  private String name;

  @JsonPropertyDescription("Trace, Screenshot, Html or StepScreenshot.")
  private String kind;

  @JsonPropertyDescription("Size in bytes.")
  private Long size;

  @JsonPropertyDescription("Object key in the operator's artifact store (bucket not included).")
  private String key;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }

  public Long getSize() {
    return size;
  }

  public void setSize(Long size) {
    this.size = size;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }
}

package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** Browser viewport size in CSS pixels. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Viewport {
  @JsonPropertyDescription("Width in pixels.")
  @Required
  @Min(200)
  @Max(7680)
  private Integer width;

  @JsonPropertyDescription("Height in pixels.")
  @Required
  @Min(200)
  @Max(4320)
  private Integer height;

  public Integer getWidth() {
    return width;
  }

  public void setWidth(Integer width) {
    this.width = width;
  }

  public Integer getHeight() {
    return height;
  }

  public void setHeight(Integer height) {
    this.height = height;
  }
}

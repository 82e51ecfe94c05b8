package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Map;

/** Reads data from the page into the result: one value, a list of values, or a list of records. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExtractAction {
  @JsonPropertyDescription("Name of the result field that receives the data.")
  @Required
  @Pattern("^[A-Za-z_][A-Za-z0-9_]*$")
  private String as;

  @JsonPropertyDescription(
      "Playwright selector of the element (one value) or of each item (lists).")
  @Required
  private String selector;

  @JsonPropertyDescription("Attribute to read instead of the trimmed text content.")
  private String attribute;

  @JsonPropertyDescription(
      "Read every matching element as a list of values instead of the first one. Implied by fields.")
  private Boolean multiple;

  @JsonPropertyDescription(
      "Record fields: name -> selector relative to each matched item; each value is the trimmed text. Makes the result a list of records.")
  private Map<String, String> fields;

  public String getAs() {
    return as;
  }

  public void setAs(String as) {
    this.as = as;
  }

  public String getSelector() {
    return selector;
  }

  public void setSelector(String selector) {
    this.selector = selector;
  }

  public String getAttribute() {
    return attribute;
  }

  public void setAttribute(String attribute) {
    this.attribute = attribute;
  }

  public Boolean getMultiple() {
    return multiple;
  }

  public void setMultiple(Boolean multiple) {
    this.multiple = multiple;
  }

  public Map<String, String> getFields() {
    return fields;
  }

  public void setFields(Map<String, String> fields) {
    this.fields = fields;
  }
}

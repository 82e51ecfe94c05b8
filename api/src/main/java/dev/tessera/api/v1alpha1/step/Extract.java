package dev.tessera.api.v1alpha1.step;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Map;

/** Reads data from the page into the result: one value, a list of values, or a list of records. */
@JsonTypeName("extract")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Extract(
    @JsonPropertyDescription("Name of the result field that receives the data.")
        @Required
        @Pattern("^[A-Za-z_][A-Za-z0-9_]*$")
        String as,
    @JsonPropertyDescription(
            "Playwright selector of the element (one value) or of each item (lists).")
        @Required
        String selector,
    @JsonPropertyDescription("Attribute to read instead of the trimmed text content.")
        String attribute,
    @JsonPropertyDescription(
            "Read every matching element as a list of values instead of the first one. Implied by fields.")
        Boolean multiple,
    @JsonPropertyDescription(
            "Record fields: name -> selector relative to each matched item; each value is the trimmed text. Makes the result a list of records.")
        Map<String, String> fields)
    implements Action {
  public Extract {
    Action.required(as, "extract.as");
    Action.required(selector, "extract.selector");
  }

  @Override
  public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
    return visitor.visit(this);
  }
}

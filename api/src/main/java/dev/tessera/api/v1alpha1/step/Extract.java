package dev.tessera.api.v1alpha1.step;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Map;

/**
 * Reads data from the page into the result: one value, a list of values, or a list of records. It
 * waits until the selector matches and, for a list, until the list stops growing, so that content a
 * page draws after it loads is read whole.
 */
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
        Map<String, String> fields,
    @JsonPropertyDescription(
            "Accept that nothing matches: an empty list (or null for one value) once the page has"
                + " been still for a moment. By default the step waits until the selector matches,"
                + " and fails when it does not within the step timeout.")
        Boolean allowEmpty,
    @JsonPropertyDescription(
            "How long a list must keep the same length to count as complete, in milliseconds."
                + " Default 500; 0 reads the list as soon as the selector matches.")
        @Min(0)
        @Max(60000)
        Integer stableForMillis)
    implements Action {
  public Extract {
    Action.required(as, "extract.as");
    Action.required(selector, "extract.selector");
  }

  /** How long a list must keep its length, 500 ms when not said. */
  public int stableForMillisOrDefault() {
    return stableForMillis == null ? DEFAULT_STABLE_FOR_MILLIS : stableForMillis;
  }

  /** How long a list must keep its length by default. */
  public static final int DEFAULT_STABLE_FOR_MILLIS = 500;

  @Override
  public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
    return visitor.visit(this);
  }
}

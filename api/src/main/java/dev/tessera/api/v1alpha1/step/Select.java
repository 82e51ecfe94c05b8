package dev.tessera.api.v1alpha1.step;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.fabric8.generator.annotation.Required;

/** Chooses an option of a select element. */
@JsonTypeName("select")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Select(
    @JsonPropertyDescription("Playwright selector of the select element.") @Required
        String selector,
    @JsonPropertyDescription("Value or label of the option to choose.") @Required String value)
    implements Action {
  public Select {
    Action.required(selector, "select.selector");
    Action.required(value, "select.value");
  }

  @Override
  public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
    return visitor.visit(this);
  }
}

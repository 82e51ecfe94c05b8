package dev.tessera.api.v1alpha1.step;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Navigates to a URL ({@code goto: https://...}): the one action written as a plain string.
 *
 * @param url where to go; may use templates
 */
@JsonTypeName("goto")
public record Goto(@JsonValue String url) implements Action {
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public Goto {
    Action.required(url, "goto");
  }

  @Override
  public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
    return visitor.visit(this);
  }
}

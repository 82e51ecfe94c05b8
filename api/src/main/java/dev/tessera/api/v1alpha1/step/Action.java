package dev.tessera.api.v1alpha1.step;

import com.fasterxml.jackson.annotation.JsonTypeName;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a step does: one record per action, each named in YAML by its {@link JsonTypeName} ({@code
 * goto}, {@code click}, ...). A record's constructor refuses what the CRD refuses (a missing
 * required field, a combination a CEL rule forbids), so an action that exists can run.
 */
public sealed interface Action
    permits Goto, Fill, Click, Press, Select, WaitFor, Expect, Extract, Request, Screenshot {

  /** The action's YAML key of each record, in the order of {@code permits}. */
  Map<String, Class<? extends Action>> KEYS = keys();

  /** Calls the visitor's method for this record. */
  <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X;

  /**
   * The action's YAML key, e.g. {@code click}. Static, so that it cannot clash with a record's
   * component (a {@code key()} method would be {@link Press}'s key).
   */
  static String keyOf(Action action) {
    return keyOf(action.getClass());
  }

  /** The YAML key of an action record. */
  static String keyOf(Class<? extends Action> type) {
    JsonTypeName name = type.getAnnotation(JsonTypeName.class);
    if (name == null) {
      throw new IllegalStateException(type.getName() + " has no @JsonTypeName");
    }
    return name.value();
  }

  /**
   * Something done per action. Adding a record to {@link Action} adds a method here, so every
   * implementation names the place the new action must be handled.
   *
   * @param <R> what the visit returns
   * @param <X> what it may throw ({@link RuntimeException} for nothing checked)
   */
  interface Visitor<R, X extends Exception> {
    R visit(Goto action) throws X;

    R visit(Fill action) throws X;

    R visit(Click action) throws X;

    R visit(Press action) throws X;

    R visit(Select action) throws X;

    R visit(WaitFor action) throws X;

    R visit(Expect action) throws X;

    R visit(Extract action) throws X;

    R visit(Request action) throws X;

    R visit(Screenshot action) throws X;
  }

  /**
   * Refuses a missing required field, as the CRD does and in its words.
   *
   * @param field the field's path from the step, e.g. {@code click.selector}
   * @throws IllegalArgumentException {@code click.selector: Required value}
   */
  static <T> T required(T value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + ": Required value");
    }
    return value;
  }

  private static Map<String, Class<? extends Action>> keys() {
    Map<String, Class<? extends Action>> keys = new LinkedHashMap<>();
    Arrays.stream(Action.class.getPermittedSubclasses())
        .map(c -> c.asSubclass(Action.class))
        .forEach(c -> keys.put(keyOf(c), c));
    return Collections.unmodifiableMap(keys);
  }
}

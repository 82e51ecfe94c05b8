package dev.tessera.api.v1alpha1.step;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fields of an action that the runner renders as templates, each with its path from the step
 * ({@code fill.value}, {@code request.headers.Authorization}), so that a Project's templates are
 * checked where they are written. A new {@link Action} does not compile until it says its fields
 * here.
 */
public final class TemplatedFields
    implements Action.Visitor<List<TemplatedFields.Field>, RuntimeException> {
  private static final TemplatedFields INSTANCE = new TemplatedFields();

  /** A templated field and its value as written (never null). */
  public record Field(String path, String value) {}

  private TemplatedFields() {}

  /** The templated fields of an action that are set, in the order the runner renders them. */
  public static List<Field> of(Action action) {
    return action.accept(INSTANCE);
  }

  private static List<Field> fields(String... pathsAndValues) {
    List<Field> fields = new ArrayList<>();
    for (int i = 0; i < pathsAndValues.length; i += 2) {
      if (pathsAndValues[i + 1] != null) {
        fields.add(new Field(pathsAndValues[i], pathsAndValues[i + 1]));
      }
    }
    return fields;
  }

  @Override
  public List<Field> visit(Goto action) {
    return fields("goto", action.url());
  }

  @Override
  public List<Field> visit(Fill action) {
    return fields("fill.selector", action.selector(), "fill.value", action.value());
  }

  @Override
  public List<Field> visit(Click action) {
    return fields("click.selector", action.selector());
  }

  @Override
  public List<Field> visit(Press action) {
    return fields("press.selector", action.selector(), "press.key", action.key());
  }

  @Override
  public List<Field> visit(Select action) {
    return fields("select.selector", action.selector(), "select.value", action.value());
  }

  @Override
  public List<Field> visit(WaitFor action) {
    List<Field> fields = fields("waitFor.selector", action.selector(), "waitFor.url", action.url());
    if (action.anyOf() != null) {
      for (int i = 0; i < action.anyOf().size(); i++) {
        Outcome outcome = action.anyOf().get(i);
        String at = "waitFor.anyOf[" + i + "].";
        fields.addAll(fields(at + "selector", outcome.selector(), at + "url", outcome.url()));
      }
    }
    return fields;
  }

  @Override
  public List<Field> visit(Expect action) {
    return fields(
        "expect.selector",
        action.selector(),
        "expect.text",
        action.text(),
        "expect.url",
        action.url());
  }

  @Override
  public List<Field> visit(Extract action) {
    List<Field> fields = fields("extract.selector", action.selector());
    if (action.fields() != null) {
      new TreeMap<>(action.fields())
          .forEach((name, selector) -> fields.addAll(fields("extract.fields." + name, selector)));
    }
    return fields;
  }

  @Override
  public List<Field> visit(Request action) {
    List<Field> fields = fields("request.url", action.url());
    if (action.headers() != null) {
      for (Map.Entry<String, String> header : new TreeMap<>(action.headers()).entrySet()) {
        fields.addAll(fields("request.headers." + header.getKey(), header.getValue()));
      }
    }
    fields.addAll(fields("request.body", action.body()));
    return fields;
  }

  @Override
  public List<Field> visit(Screenshot action) {
    return fields("screenshot.as", action.as());
  }
}

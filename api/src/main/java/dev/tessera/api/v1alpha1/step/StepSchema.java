package dev.tessera.api.v1alpha1.step;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The shape of a {@link Step} in YAML, as a class the CRD generator can read (it cannot read {@link
 * StepJson}): one optional property per action, and a rule that exactly one is set. Never
 * instantiated; {@link Property} makes a new {@link Action} fail to compile until it is added here,
 * and {@code StepSchemaTest} checks it lists every {@link Action}.
 */
@ValidationRule(value = StepSchema.ONE_ACTION_RULE, message = StepSchema.ONE_ACTION_MESSAGE)
public final class StepSchema {
  /** Exactly one action key is set, in the order of {@link Action}'s {@code permits}. */
  public static final String ONE_ACTION_RULE =
      "[has(self.goto), has(self.fill), has(self.click), has(self.press), has(self.select),"
          + " has(self.waitFor), has(self.expect), has(self.extract), has(self.request),"
          + " has(self.screenshot)].exists_one(x, x)";

  public static final String ONE_ACTION_MESSAGE =
      "a step has exactly one action: goto, fill, click, press, select, waitFor, expect, extract,"
          + " request, screenshot";

  @JsonPropertyDescription(
      "Name shown in errors and logs; defaults to the action and its position.")
  public String name;

  @JsonPropertyDescription(
      "How long this step may take before it fails with StepTimeout. Default: the project's stepTimeoutSeconds.")
  @Min(1)
  @Max(3600)
  public Integer timeoutSeconds;

  @JsonProperty("goto")
  @JsonPropertyDescription("Navigates to a URL. May use templates.")
  public String goTo;

  @JsonPropertyDescription("Types a value into an input.")
  public Fill fill;

  @JsonPropertyDescription("Clicks an element.")
  public Click click;

  @JsonPropertyDescription("Presses a key.")
  public Press press;

  @JsonPropertyDescription("Chooses an option of a select element.")
  public Select select;

  @JsonPropertyDescription("Waits for an element, URL or load state.")
  public WaitFor waitFor;

  @JsonPropertyDescription("Asserts a condition on the page.")
  public Expect expect;

  @JsonPropertyDescription("Reads data into the result.")
  public Extract extract;

  @JsonPropertyDescription("Sends an HTTP request with the session's cookies.")
  public Request request;

  @JsonPropertyDescription("Takes a screenshot.")
  public Screenshot screenshot;

  private StepSchema() {}

  /**
   * The property of this class that holds each action. Nothing calls it to read YAML: it is here so
   * that a new {@link Action} record does not compile until this class has a visit for it, next to
   * the property, the rule and the message the record needs here ({@code StepSchemaTest} checks
   * that they agree).
   */
  static final class Property implements Action.Visitor<String, RuntimeException> {
    @Override
    public String visit(Goto action) {
      return "goto";
    }

    @Override
    public String visit(Fill action) {
      return "fill";
    }

    @Override
    public String visit(Click action) {
      return "click";
    }

    @Override
    public String visit(Press action) {
      return "press";
    }

    @Override
    public String visit(Select action) {
      return "select";
    }

    @Override
    public String visit(WaitFor action) {
      return "waitFor";
    }

    @Override
    public String visit(Expect action) {
      return "expect";
    }

    @Override
    public String visit(Extract action) {
      return "extract";
    }

    @Override
    public String visit(Request action) {
      return "request";
    }

    @Override
    public String visit(Screenshot action) {
      return "screenshot";
    }
  }
}

package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** One declarative browser step: exactly one action, with an optional name and timeout. */
@ValidationRule(
    value =
        "[has(self.goto), has(self.fill), has(self.click), has(self.press), has(self.select), has(self.waitFor), has(self.expect), has(self.extract), has(self.request), has(self.screenshot)].exists_one(x, x)",
    message =
        "a step has exactly one action: goto, fill, click, press, select, waitFor, expect, extract, request, screenshot")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Step {
  @JsonPropertyDescription(
      "Name shown in errors and logs; defaults to the action and its position.")
  private String name;

  @JsonPropertyDescription(
      "How long this step may take before it fails with StepTimeout. Default: the project's stepTimeoutSeconds.")
  @Min(1)
  @Max(3600)
  private Integer timeoutSeconds;

  @JsonProperty("goto")
  @JsonPropertyDescription("Navigates to a URL. May use templates.")
  private String goTo;

  @JsonPropertyDescription("Types a value into an input.")
  private FillAction fill;

  @JsonPropertyDescription("Clicks an element.")
  private ClickAction click;

  @JsonPropertyDescription("Presses a key.")
  private PressAction press;

  @JsonPropertyDescription("Chooses an option of a select element.")
  private SelectAction select;

  @JsonPropertyDescription("Waits for an element, URL or load state.")
  private WaitForAction waitFor;

  @JsonPropertyDescription("Asserts a condition on the page.")
  private ExpectAction expect;

  @JsonPropertyDescription("Reads data into the result.")
  private ExtractAction extract;

  @JsonPropertyDescription("Sends an HTTP request with the session's cookies.")
  private RequestAction request;

  @JsonPropertyDescription("Takes a screenshot.")
  private ScreenshotAction screenshot;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Integer getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Integer timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }

  public String getGoTo() {
    return goTo;
  }

  public void setGoTo(String goTo) {
    this.goTo = goTo;
  }

  public FillAction getFill() {
    return fill;
  }

  public void setFill(FillAction fill) {
    this.fill = fill;
  }

  public ClickAction getClick() {
    return click;
  }

  public void setClick(ClickAction click) {
    this.click = click;
  }

  public PressAction getPress() {
    return press;
  }

  public void setPress(PressAction press) {
    this.press = press;
  }

  public SelectAction getSelect() {
    return select;
  }

  public void setSelect(SelectAction select) {
    this.select = select;
  }

  public WaitForAction getWaitFor() {
    return waitFor;
  }

  public void setWaitFor(WaitForAction waitFor) {
    this.waitFor = waitFor;
  }

  public ExpectAction getExpect() {
    return expect;
  }

  public void setExpect(ExpectAction expect) {
    this.expect = expect;
  }

  public ExtractAction getExtract() {
    return extract;
  }

  public void setExtract(ExtractAction extract) {
    this.extract = extract;
  }

  public RequestAction getRequest() {
    return request;
  }

  public void setRequest(RequestAction request) {
    this.request = request;
  }

  public ScreenshotAction getScreenshot() {
    return screenshot;
  }

  public void setScreenshot(ScreenshotAction screenshot) {
    this.screenshot = screenshot;
  }
}

package dev.tessera.runner.attempt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tessera.api.protocol.AttemptInput;
import dev.tessera.api.protocol.Operation;
import dev.tessera.api.v1alpha1.ApiDefinition;
import dev.tessera.api.v1alpha1.ClickAction;
import dev.tessera.api.v1alpha1.FillAction;
import dev.tessera.api.v1alpha1.Step;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputCheckTest {
  @Test
  void aWellFormedApiAttemptPasses() {
    assertThat(InputCheck.problem(input(Operation.API, api(goTo()), api(goTo())))).isEmpty();
  }

  @Test
  void aStepWithTwoActionsIsRefused() {
    Step both = goTo();
    ClickAction click = new ClickAction();
    click.setSelector("#b");
    both.setClick(click);

    assertThat(InputCheck.problem(input(Operation.API, api(goTo(), both), null)))
        .contains(
            "api list: step 2 has the actions [goto, click]; a step has exactly one of goto, fill,"
                + " click, press, select, waitFor, expect, extract, request, screenshot");
  }

  @Test
  void aStepWithoutItsRequiredFieldIsRefusedByName() {
    FillAction fill = new FillAction();
    fill.setSelector("#user");
    Step step = new Step();
    step.setName("type the user");
    step.setFill(fill);

    assertThat(InputCheck.problem(input(Operation.API, api(step), null)))
        .contains("api list: type the user needs fill.value");
  }

  @Test
  void aDefinitionNeedsExactlyOneOfStepsAndClassName() {
    ApiDefinition both = api(goTo());
    both.setClassName("com.example.Api");

    assertThat(InputCheck.problem(input(Operation.API, both, null)))
        .contains("api list: set exactly one of steps or className");
    assertThat(InputCheck.problem(input(Operation.API, new ApiDefinition(), null)))
        .contains("api list: set exactly one of steps or className");
  }

  @Test
  void eachOperationNeedsItsDefinitions() {
    assertThat(InputCheck.problem(input(Operation.CREATE, null, api(goTo()))))
        .contains("a CREATE needs create");
    assertThat(InputCheck.problem(input(Operation.CHECK, null, null)))
        .contains("a CHECK needs check");
  }

  private static AttemptInput input(Operation operation, ApiDefinition api, ApiDefinition check) {
    return new AttemptInput(
        AttemptInput.API_VERSION,
        AttemptInput.KIND,
        "ns/run",
        1,
        operation,
        "list",
        api,
        check,
        null,
        null,
        null,
        null,
        null,
        JsonNodeFactory.instance.objectNode(),
        null,
        null,
        null,
        null);
  }

  private static ApiDefinition api(Step... steps) {
    ApiDefinition api = new ApiDefinition();
    api.setSteps(List.of(steps));
    return api;
  }

  private static Step goTo() {
    Step step = new Step();
    step.setGoTo("https://example.test/");
    return step;
  }
}

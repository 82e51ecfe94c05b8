package dev.tessera.runner.attempt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tessera.api.protocol.AttemptInput;
import dev.tessera.api.protocol.Operation;
import dev.tessera.api.v1alpha1.ApiDefinition;
import dev.tessera.api.v1alpha1.step.Goto;
import dev.tessera.api.v1alpha1.step.Step;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputCheckTest {
  @Test
  void aWellFormedApiAttemptPasses() {
    assertThat(InputCheck.problem(input(Operation.API, api(goTo()), api(goTo())))).isEmpty();
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
    return Step.of(new Goto("https://example.test/"));
  }
}

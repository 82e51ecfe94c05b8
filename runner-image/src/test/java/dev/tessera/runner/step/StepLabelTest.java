package dev.tessera.runner.step;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.v1alpha1.step.Click;
import dev.tessera.api.v1alpha1.step.Fill;
import dev.tessera.api.v1alpha1.step.Goto;
import dev.tessera.api.v1alpha1.step.Outcome;
import dev.tessera.api.v1alpha1.step.Request;
import dev.tessera.api.v1alpha1.step.Step;
import dev.tessera.api.v1alpha1.step.WaitFor;
import org.junit.jupiter.api.Test;

class StepLabelTest {
  @Test
  void anUnnamedStepIsNamedByPositionAndAction() {
    Step step = Step.of(new Click("#login-button"));

    assertThat(StepLabel.of(step, 3)).isEqualTo("step 3 (click #login-button)");
  }

  @Test
  void aNamedStepKeepsItsName() {
    Step step = Step.of(new Goto("$(params.baseUrl)/login")).named("open the login page");

    assertThat(StepLabel.of(step, 1)).isEqualTo("open the login page");
  }

  @Test
  void labelsShowTemplatesNeverRenderedValues() {
    Step step = Step.of(new Fill("#password", "$(credentials.password)"));

    assertThat(StepLabel.of(step, 2)).isEqualTo("step 2 (fill #password)");
  }

  @Test
  void requestsAndWaitsShowWhatTheyTarget() {
    Step requestStep = Step.of(Request.get("$(params.baseUrl)/api/me"));
    Step waitStep = Step.of(new WaitFor(null, null, "**/dashboard", null, null));

    assertThat(StepLabel.of(requestStep, 1))
        .isEqualTo("step 1 (request GET $(params.baseUrl)/api/me)");
    assertThat(StepLabel.of(waitStep, 5)).isEqualTo("step 5 (waitFor **/dashboard)");
    Step outcomes =
        Step.of(
            WaitFor.anyOf(
                new Outcome("#welcome", null, null),
                new Outcome(null, "**/login*", Outcome.Then.Fail)));
    assertThat(StepLabel.of(outcomes, 2)).isEqualTo("step 2 (waitFor anyOf #welcome | **/login*)");
  }
}

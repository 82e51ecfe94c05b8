package dev.tessera.runner.step;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.v1alpha1.ClickAction;
import dev.tessera.api.v1alpha1.FillAction;
import dev.tessera.api.v1alpha1.RequestAction;
import dev.tessera.api.v1alpha1.Step;
import dev.tessera.api.v1alpha1.WaitForAction;
import org.junit.jupiter.api.Test;

class StepLabelTest {
  @Test
  void anUnnamedStepIsNamedByPositionAndAction() {
    ClickAction click = new ClickAction();
    click.setSelector("#login-button");
    Step step = new Step();
    step.setClick(click);

    assertThat(StepLabel.of(step, 3)).isEqualTo("step 3 (click #login-button)");
  }

  @Test
  void aNamedStepKeepsItsName() {
    Step step = new Step();
    step.setName("open the login page");
    step.setGoTo("$(params.baseUrl)/login");

    assertThat(StepLabel.of(step, 1)).isEqualTo("open the login page");
  }

  @Test
  void labelsShowTemplatesNeverRenderedValues() {
    FillAction fill = new FillAction();
    fill.setSelector("#password");
    fill.setValue("$(credentials.password)");
    Step step = new Step();
    step.setFill(fill);

    assertThat(StepLabel.of(step, 2)).isEqualTo("step 2 (fill #password)");
  }

  @Test
  void requestsAndWaitsShowWhatTheyTarget() {
    RequestAction request = new RequestAction();
    request.setUrl("$(params.baseUrl)/api/me");
    Step requestStep = new Step();
    requestStep.setRequest(request);
    WaitForAction wait = new WaitForAction();
    wait.setUrl("**/dashboard");
    Step waitStep = new Step();
    waitStep.setWaitFor(wait);

    assertThat(StepLabel.of(requestStep, 1))
        .isEqualTo("step 1 (request GET $(params.baseUrl)/api/me)");
    assertThat(StepLabel.of(waitStep, 5)).isEqualTo("step 5 (waitFor **/dashboard)");
  }
}

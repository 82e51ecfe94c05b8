package dev.tessera.runner.result;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.BooleanNode;
import dev.tessera.api.protocol.AttemptResult;
import dev.tessera.api.protocol.ErrorCode;
import dev.tessera.api.protocol.Outcome;
import dev.tessera.api.protocol.RunnerError;
import dev.tessera.api.protocol.Validation;
import dev.tessera.api.protocol.ValidationOutcome;
import org.junit.jupiter.api.Test;

class TerminationMessageTest {
  @Test
  void namesTheOutcomeTheCodeAndTheStepButNeverTheMessage() {
    AttemptResult result =
        AttemptResult.of(
            Outcome.DEPENDENCY_FAILED,
            new Validation(3, 0, ValidationOutcome.Invalid),
            BooleanNode.FALSE,
            null,
            RunnerError.ofStep(
                ErrorCode.CheckAttemptsFailed,
                "step 1 (request GET \"x\")",
                "GET https://site/?token=abc answered 401"),
            null,
            null);

    assertThat(TerminationMessage.of(result))
        .isEqualTo(
            "outcome=DEPENDENCY_FAILED validation=Invalid checks=3 creates=0"
                + " code=CheckAttemptsFailed step=\"step 1 (request GET 'x')\"");
  }

  @Test
  void staysShortAndOnOneLine() {
    String line = TerminationMessage.undelivered("x\n".repeat(2000));

    assertThat(line).hasSize(TerminationMessage.MAX_LENGTH).doesNotContain("\n");
  }
}

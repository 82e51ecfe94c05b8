package dev.tessera.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class FieldSelectorTest {
  static final JsonNode EVENT =
      Json.parse(
          """
          {"metadata": {"name": "e1", "namespace": "default"}, "type": "Warning",
           "involvedObject": {"kind": "Run", "name": "r1"}}
          """);

  @Test
  void matchesEqualityAndInequality() {
    assertThat(
            FieldSelector.parse("involvedObject.kind=Run,involvedObject.name==r1").matches(EVENT))
        .isTrue();
    assertThat(FieldSelector.parse("type!=Normal,metadata.namespace=default").matches(EVENT))
        .isTrue();
    assertThat(FieldSelector.parse("involvedObject.name=r2").matches(EVENT)).isFalse();
  }

  @Test
  void aMissingFieldIsTheEmptyString() {
    assertThat(FieldSelector.parse("involvedObject.uid=").matches(EVENT)).isTrue();
    assertThat(FieldSelector.parse("involvedObject.uid!=").matches(EVENT)).isFalse();
  }

  @Test
  void rejectsTermsWithoutOperator() {
    assertThatThrownBy(() -> FieldSelector.parse("type"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

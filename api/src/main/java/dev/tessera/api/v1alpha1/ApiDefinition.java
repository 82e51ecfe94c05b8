package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.api.v1alpha1.step.Step;
import dev.tessera.api.v1alpha1.step.StepSchema;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** One automation: declarative steps, or a Java class implementing the runner SPI. */
@ValidationRule(value = "has(self.steps) != has(self.className)", message = ApiDefinition.ONE_KIND)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApiDefinition {
  /** The message of the rule that an API is steps or Java; the operator and runner say it too. */
  public static final String ONE_KIND = "set exactly one of steps or className";

  @JsonPropertyDescription("What the API does, for humans.")
  private String description;

  @JsonPropertyDescription("Declarative steps, run in order in one page.")
  @SchemaFrom(type = StepSchema[].class)
  private List<Step> steps;

  @JsonPropertyDescription(
      "Fully qualified name of a class on the runner's classpath implementing dev.tessera.runner.spi.BrowserApi.")
  @Pattern("^([A-Za-z_$][A-Za-z0-9_$]*\\.)*[A-Za-z_$][A-Za-z0-9_$]*$")
  private String className;

  @JsonPropertyDescription("JSON Schema that a Run's parameters must satisfy.")
  @PreserveUnknownFields
  private JsonNode parametersSchema;

  public String getDescription() {
    return description;
  }

  public void setDescription(String description) {
    this.description = description;
  }

  public List<Step> getSteps() {
    return steps;
  }

  public void setSteps(List<Step> steps) {
    this.steps = steps;
  }

  public String getClassName() {
    return className;
  }

  public void setClassName(String className) {
    this.className = className;
  }

  public JsonNode getParametersSchema() {
    return parametersSchema;
  }

  public void setParametersSchema(JsonNode parametersSchema) {
    this.parametersSchema = parametersSchema;
  }
}

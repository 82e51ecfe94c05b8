package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One execution of one API with parameters (or one session operation), made of Attempts. */
@JsonClassDescription(
    "One execution of one API with parameters (or one session operation), made of Attempts.")
@Group(Tessera.GROUP)
@Version(Tessera.VERSION)
@Plural("runs")
@ShortNames("trun")
@Categories(Tessera.CATEGORY)
@AdditionalPrinterColumn(
    name = "Project",
    jsonPath = ".spec.project",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "API",
    jsonPath = ".spec.api",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Session",
    jsonPath = ".spec.authSession.name",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.reason",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Attempts",
    jsonPath = ".status.attemptCount",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Operation",
    jsonPath = ".spec.operation",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Run extends CustomResource<RunSpec, RunStatus> implements Namespaced {
  @Override
  @Required
  @JsonPropertyDescription(
      "What to run (an API and its parameters, as which AuthSession); immutable after creation except cancel.")
  public RunSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "Observed state of the Run: phase, reason, every Attempt and the result.")
  public RunStatus getStatus() {
    return super.getStatus();
  }
}

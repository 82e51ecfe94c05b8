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

/** One execution of a Job, scheduled or manual; owns its Runs. */
@JsonClassDescription("One execution of a Job, scheduled or manual; owns its Runs.")
@Group(Tessera.GROUP)
@Version(Tessera.VERSION)
@Plural("jobruns")
@ShortNames("tjr")
@Categories(Tessera.CATEGORY)
@AdditionalPrinterColumn(
    name = "Job",
    jsonPath = ".spec.job",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Succeeded",
    jsonPath = ".status.counts.succeeded",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Failed",
    jsonPath = ".status.counts.failed",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Payloads",
    jsonPath = ".status.counts.payloads",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.reason",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class JobRun extends CustomResource<JobRunSpec, JobRunStatus> implements Namespaced {
  @Override
  @Required
  @JsonPropertyDescription("Which Job to run, and whether it is paused or canceled.")
  public JobRunSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "Observed state of the JobRun: phase, the Job snapshot and counts of Runs.")
  public JobRunStatus getStatus() {
    return super.getStatus();
  }
}

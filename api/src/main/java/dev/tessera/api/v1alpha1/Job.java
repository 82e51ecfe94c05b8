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

/** A blueprint of API calls with an optional cron schedule and one AuthSession. */
@JsonClassDescription(
    "A blueprint of API calls with an optional cron schedule and one AuthSession.")
@Group(Tessera.GROUP)
@Version(Tessera.VERSION)
@Plural("jobs")
@ShortNames("tjob")
@Categories(Tessera.CATEGORY)
@AdditionalPrinterColumn(
    name = "Project",
    jsonPath = ".spec.project",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Schedule",
    jsonPath = ".spec.schedule",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Suspend",
    jsonPath = ".spec.suspend",
    type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(
    name = "Last Schedule",
    jsonPath = ".status.lastScheduleTime",
    type = AdditionalPrinterColumn.Type.DATE)
// a string: kubectl prints a date column as an age, and a time to come as <invalid>
@AdditionalPrinterColumn(
    name = "Next Schedule",
    jsonPath = ".status.nextScheduleTime",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Job extends CustomResource<JobSpec, JobStatus> implements Namespaced {
  @Override
  @Required
  @JsonPropertyDescription(
      "The payload of API calls, the schedule and the AuthSession of every JobRun.")
  public JobSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Observed state of the Job: active JobRuns and schedule times.")
  public JobStatus getStatus() {
    return super.getStatus();
  }
}

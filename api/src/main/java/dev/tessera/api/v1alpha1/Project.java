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

/**
 * The automation code: its APIs and whether Runs must authenticate, with the create and check APIs.
 */
@JsonClassDescription(
    "The automation code: its APIs and whether Runs must authenticate, with the create and check APIs.")
@Group(Tessera.GROUP)
@Version(Tessera.VERSION)
@Plural("projects")
@ShortNames("tproj")
@Categories(Tessera.CATEGORY)
@AdditionalPrinterColumn(
    name = "Auth",
    jsonPath = ".spec.authentication.enabled",
    type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Project extends CustomResource<ProjectSpec, ProjectStatus> implements Namespaced {
  @Override
  @Required
  @JsonPropertyDescription("What the project automates and how it authenticates.")
  public ProjectSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Observed state of the project: whether it is valid.")
  public ProjectStatus getStatus() {
    return super.getStatus();
  }
}

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
 * One identity's reusable, logged-in browser state, kept in a Secret and validated before every
 * Attempt.
 */
@JsonClassDescription(
    "One identity's reusable, logged-in browser state, kept in a Secret and validated before every Attempt.")
@Group(Tessera.GROUP)
@Version(Tessera.VERSION)
@Plural("authsessions")
@ShortNames("tas")
@Categories(Tessera.CATEGORY)
@AdditionalPrinterColumn(
    name = "Project",
    jsonPath = ".spec.project",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Type",
    jsonPath = ".spec.type",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Last Validated",
    jsonPath = ".status.lastValidated",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Recreations",
    jsonPath = ".status.recreations",
    type = AdditionalPrinterColumn.Type.INTEGER,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Lock Holder",
    jsonPath = ".status.lockHolder",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class AuthSession extends CustomResource<AuthSessionSpec, AuthSessionStatus>
    implements Namespaced {
  @Override
  @Required
  @JsonPropertyDescription(
      "Which project, which session type, and where credentials and proxy come from.")
  public AuthSessionSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "Observed state of the session: phase, browser state Secret, validation times, lock holder.")
  public AuthSessionStatus getStatus() {
    return super.getStatus();
  }
}

/**
 * The step language: a {@link dev.tessera.api.v1alpha1.step.Step} is a name, a time limit and one
 * {@link dev.tessera.api.v1alpha1.step.Action}, a sealed interface with one record per action.
 *
 * <p>Code that does something per action implements {@link
 * dev.tessera.api.v1alpha1.step.Action.Visitor}, so adding an action fails to compile wherever it
 * is not handled yet. {@link dev.tessera.api.v1alpha1.step.StepJson} reads and writes the YAML
 * users write ({@code - click: {selector: "#login"}}); {@link
 * dev.tessera.api.v1alpha1.step.StepSchema} is the same shape as a class, for the CRD generator.
 */
package dev.tessera.api.v1alpha1.step;

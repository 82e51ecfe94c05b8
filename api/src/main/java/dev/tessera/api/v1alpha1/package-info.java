/**
 * The Tessera custom resources, API group {@code tessera.dev}, version {@code v1alpha1}.
 *
 * <p>Projects hold automation code, AuthSessions hold reusable logged-in browser states, Runs
 * execute one API, Jobs describe batches and JobRuns execute them. Every field carries the
 * description that {@code kubectl explain} shows; defaults, bounds and cross-field rules are
 * annotations that the CRD generator turns into the OpenAPI schema.
 */
package dev.tessera.api.v1alpha1;

package dev.tessera.api.protocol;

/**
 * What the validate-first phase of an Attempt did: how many checks and creates ran, and how it
 * ended.
 */
public record Validation(int checks, int creates, ValidationOutcome outcome) {

  /** Validation that did not run (a project without authentication). */
  public static Validation notRequired() {
    return new Validation(0, 0, ValidationOutcome.NotRequired);
  }
}

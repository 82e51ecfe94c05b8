package dev.tessera.runner.attempt;

/** Why an API definition runs: it decides which credentials it may read and how it is logged. */
public enum Role {
  /** The project's check: is the browser state still logged in? */
  CHECK("check"),
  /** The project's create: log in with the credentials. */
  CREATE("create"),
  /** The API a Run asked for. */
  API("api");

  private final String label;

  Role(String label) {
    this.label = label;
  }

  /** The lower-case word used in logs and messages. */
  public String label() {
    return label;
  }

  /**
   * What runs steps in this role, as logs and artifacts name it: {@code api <name>} for the API,
   * the label otherwise.
   */
  public String owner(String name) {
    return this == API ? "api " + name : label;
  }
}

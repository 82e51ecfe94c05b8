package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The last operation Run the session's controller started: the proof that an operation Run acts for
 * the session (its UID), and how it ended.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SessionOperationStatus {
  /** The operation Run runs. */
  public static final String RUNNING = "Running";

  /** It stored a state that passed its check, or found the state valid. */
  public static final String SUCCEEDED = "Succeeded";

  /** The site refused the login: its create or post-create check failed. */
  public static final String REFUSED = "Refused";

  /** It ended without the site's answer: runner crashed, Pod deleted, timed out. */
  public static final String INTERRUPTED = "Interrupted";

  @JsonPropertyDescription("Name of the operation Run.")
  private String name;

  @JsonPropertyDescription(
      "UID of the operation Run; a Run that names an operation is admitted only with this UID.")
  private String uid;

  @JsonPropertyDescription("AuthSession:Create, AuthSession:Update or AuthSession:Validate.")
  private SessionOperation kind;

  @JsonPropertyDescription(
      "For a recreation: the generation of the state found invalid, which it replaces.")
  private Integer replacesGeneration;

  @JsonPropertyDescription(
      "Running, Succeeded, Refused (the site refused the login) or Interrupted (it ended before"
          + " the site answered: runner crashed, Pod deleted, timeout).")
  private String outcome;

  @JsonPropertyDescription("Error code of the operation when it did not succeed.")
  private String code;

  @JsonPropertyDescription(
      "How many operations of this kind in a row were interrupted; the next waits longer.")
  private Integer interruptions;

  @JsonPropertyDescription("When the operation was started (RFC 3339).")
  private String startTime;

  @JsonPropertyDescription("When the operation ended (RFC 3339).")
  private String completionTime;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getUid() {
    return uid;
  }

  public void setUid(String uid) {
    this.uid = uid;
  }

  public SessionOperation getKind() {
    return kind;
  }

  public void setKind(SessionOperation kind) {
    this.kind = kind;
  }

  public Integer getReplacesGeneration() {
    return replacesGeneration;
  }

  public void setReplacesGeneration(Integer replacesGeneration) {
    this.replacesGeneration = replacesGeneration;
  }

  public String getOutcome() {
    return outcome;
  }

  public void setOutcome(String outcome) {
    this.outcome = outcome;
  }

  public String getCode() {
    return code;
  }

  public void setCode(String code) {
    this.code = code;
  }

  public Integer getInterruptions() {
    return interruptions;
  }

  public void setInterruptions(Integer interruptions) {
    this.interruptions = interruptions;
  }

  public String getStartTime() {
    return startTime;
  }

  public void setStartTime(String startTime) {
    this.startTime = startTime;
  }

  public String getCompletionTime() {
    return completionTime;
  }

  public void setCompletionTime(String completionTime) {
    this.completionTime = completionTime;
  }
}

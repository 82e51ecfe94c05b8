package dev.tessera.operator.naming;

import java.util.Map;

/** The labels and annotations the operator puts on what it creates, and selects by. */
public final class Labels {
  /** Every object the operator creates carries this label with value {@link #MANAGED_BY_VALUE}. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  public static final String MANAGED_BY_VALUE = "tessera";

  /** What an object is for: {@link #ATTEMPT}, {@link #ATTEMPT_INPUT}, {@link #ATTEMPT_RESULT}. */
  public static final String COMPONENT = "tessera.dev/component";

  public static final String ATTEMPT = "attempt";
  public static final String ATTEMPT_INPUT = "attempt-input";
  public static final String ATTEMPT_RESULT = "attempt-result";

  /** Marks a session's browser-state Secret. */
  public static final String SESSION_STATE = "session-state";

  /** Component of the Secret that holds a recording's hosted-browser token. */
  public static final String RECORDER_TOKEN = "recorder-token";

  /** Label of the Runs of a JobRun: its name. */
  public static final String JOB_RUN = "tessera.dev/job-run";

  /** Label of a JobRun: its Job's name. */
  public static final String JOB = "tessera.dev/job";

  /** Component of the Runs that operate on a session (create, validate). */
  public static final String SESSION_OPERATION = "session-operation";

  /** Component of a session's scheduled health checks: ordinary Runs that only validate. */
  public static final String SESSION_HEALTH = "session-health";

  /** Component of a JobRun's check of its session before its first Run: a validation Run. */
  public static final String JOB_RUN_CHECK = "jobrun-check";

  /** The AuthSession an object belongs to. */
  public static final String SESSION = "tessera.dev/auth-session";

  /** The Run an object belongs to. */
  public static final String RUN = "tessera.dev/run";

  /** The Attempt number an object belongs to. */
  public static final String ATTEMPT_NUMBER = "tessera.dev/attempt";

  /** The Project of a Run's objects. */
  public static final String PROJECT = "tessera.dev/project";

  /** Selects every Secret the operator caches: only its own. */
  public static final String OWN_SECRETS_SELECTOR =
      MANAGED_BY
          + "="
          + MANAGED_BY_VALUE
          + ","
          + COMPONENT
          + " in ("
          + ATTEMPT_INPUT
          + ","
          + ATTEMPT_RESULT
          + ")";

  /** Selects the Pods of Attempts. */
  public static final String ATTEMPT_PODS_SELECTOR = managed(ATTEMPT);

  /** The label selector of the objects of one component the operator made. */
  public static String managed(String component) {
    return MANAGED_BY + "=" + MANAGED_BY_VALUE + "," + COMPONENT + "=" + component;
  }

  private Labels() {}

  /** Labels of an object of a Run's Attempt. */
  public static Map<String, String> forAttempt(
      String component, String run, String project, int attempt) {
    return Map.of(
        MANAGED_BY, MANAGED_BY_VALUE,
        COMPONENT, component,
        RUN, truncate(run),
        PROJECT, truncate(project),
        ATTEMPT_NUMBER, Integer.toString(attempt));
  }

  private static String truncate(String value) {
    return value.length() <= 63 ? value : value.substring(0, 63).replaceAll("[-.]+$", "");
  }
}

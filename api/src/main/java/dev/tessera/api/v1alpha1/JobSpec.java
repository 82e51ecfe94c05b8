package dev.tessera.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Desired state of a Job: a payload of API calls, when to run it, and as whom. */
@ValidationRule(
    value = "!has(self.timeZone) || has(self.schedule)",
    message = "timeZone needs a schedule",
    fieldPath = ".timeZone")
@ValidationRule(
    value = "!has(self.startingDeadlineSeconds) || has(self.schedule)",
    message = "startingDeadlineSeconds needs a schedule",
    fieldPath = ".startingDeadlineSeconds")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobSpec {
  @JsonPropertyDescription("Name of the Project (same namespace).")
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
  private String project;

  @JsonPropertyDescription("The API calls of each JobRun.")
  @Required
  @Size(min = 1, max = 10000)
  private List<PayloadItem> payload;

  @JsonPropertyDescription(
      "Cron schedule (5 fields, as CronJob); manual JobRuns only when omitted.")
  private String schedule;

  @JsonPropertyDescription("IANA time zone of the schedule; UTC when omitted.")
  private String timeZone;

  @JsonPropertyDescription(
      "A scheduled JobRun missed by more than this is skipped, as with CronJob.")
  @Min(0)
  @Max(86400)
  private Long startingDeadlineSeconds;

  @JsonPropertyDescription("Suspend scheduling; manual JobRuns still run.")
  @Default("false")
  private Boolean suspend = false;

  @JsonPropertyDescription(
      "What to do when a JobRun starts while another is active: Allow, Forbid or Replace.")
  @Default("Allow")
  @Pattern("^(Allow|Forbid|Replace)$")
  private String concurrencyPolicy = "Allow";

  @JsonPropertyDescription("How many Runs of one JobRun run at once.")
  @Default("5")
  @Min(1)
  @Max(1000)
  private Integer maxConcurrentRuns = 5;

  @JsonPropertyDescription("Attempts per Run; the project's maxAttempts when omitted.")
  private RetrySpec retry;

  @JsonPropertyDescription("Time limit of one Attempt; the project's when omitted.")
  @Min(1)
  @Max(86400)
  private Integer timeoutSeconds;

  @JsonPropertyDescription(
      "How long each JobRun may wait, Pending, for what it needs to start (this Job, its Project,"
          + " its AuthSession to exist and be Ready, the session's lock), counted from the JobRun's"
          + " creation; it then ends with the reason it waited for. 600 when omitted.")
  @Min(0)
  @Max(86400)
  private Integer startTimeoutSeconds;

  @JsonPropertyDescription(
      "The AuthSession of every Run; required when the project has authentication enabled.")
  private JobAuthSessionSpec authSession;

  @JsonPropertyDescription("How many succeeded JobRuns to keep.")
  @Default("3")
  @Min(0)
  @Max(100)
  private Integer successfulJobRunsHistoryLimit = 3;

  @JsonPropertyDescription("How many failed or canceled JobRuns to keep.")
  @Default("1")
  @Min(0)
  @Max(100)
  private Integer failedJobRunsHistoryLimit = 1;

  @JsonPropertyDescription("Optional webhook that receives each finished Run's result.")
  private WebhookSink sink;

  public String getProject() {
    return project;
  }

  public void setProject(String project) {
    this.project = project;
  }

  public List<PayloadItem> getPayload() {
    return payload;
  }

  public void setPayload(List<PayloadItem> payload) {
    this.payload = payload;
  }

  public String getSchedule() {
    return schedule;
  }

  public void setSchedule(String schedule) {
    this.schedule = schedule;
  }

  public String getTimeZone() {
    return timeZone;
  }

  public void setTimeZone(String timeZone) {
    this.timeZone = timeZone;
  }

  public Long getStartingDeadlineSeconds() {
    return startingDeadlineSeconds;
  }

  public void setStartingDeadlineSeconds(Long startingDeadlineSeconds) {
    this.startingDeadlineSeconds = startingDeadlineSeconds;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }

  public String getConcurrencyPolicy() {
    return concurrencyPolicy;
  }

  public void setConcurrencyPolicy(String concurrencyPolicy) {
    this.concurrencyPolicy = concurrencyPolicy;
  }

  public Integer getMaxConcurrentRuns() {
    return maxConcurrentRuns;
  }

  public void setMaxConcurrentRuns(Integer maxConcurrentRuns) {
    this.maxConcurrentRuns = maxConcurrentRuns;
  }

  public RetrySpec getRetry() {
    return retry;
  }

  public void setRetry(RetrySpec retry) {
    this.retry = retry;
  }

  public Integer getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Integer timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }

  public JobAuthSessionSpec getAuthSession() {
    return authSession;
  }

  public void setAuthSession(JobAuthSessionSpec authSession) {
    this.authSession = authSession;
  }

  public Integer getSuccessfulJobRunsHistoryLimit() {
    return successfulJobRunsHistoryLimit;
  }

  public void setSuccessfulJobRunsHistoryLimit(Integer successfulJobRunsHistoryLimit) {
    this.successfulJobRunsHistoryLimit = successfulJobRunsHistoryLimit;
  }

  public Integer getFailedJobRunsHistoryLimit() {
    return failedJobRunsHistoryLimit;
  }

  public void setFailedJobRunsHistoryLimit(Integer failedJobRunsHistoryLimit) {
    this.failedJobRunsHistoryLimit = failedJobRunsHistoryLimit;
  }

  public WebhookSink getSink() {
    return sink;
  }

  public void setSink(WebhookSink sink) {
    this.sink = sink;
  }

  public Integer getStartTimeoutSeconds() {
    return startTimeoutSeconds;
  }

  public void setStartTimeoutSeconds(Integer startTimeoutSeconds) {
    this.startTimeoutSeconds = startTimeoutSeconds;
  }
}

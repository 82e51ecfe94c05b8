package dev.tessera.local.chaos;

import dev.tessera.local.cluster.Faults;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a chaos run saw, and the checks that must hold whatever failed during it.
 *
 * @param elapsed how long the run took, start-up included
 * @param runsAsked how many Runs were asked for
 * @param runs how many Runs were created (those of the JobRun included)
 * @param outcomes Runs by kind and final phase/reason
 * @param unexpected Runs that ended otherwise than their kind should (information, not a check)
 * @param notFinished Runs of any kind (session operations too) without a final phase
 * @param podsRan Pods whose container started
 * @param ranTwice Pod names (one per Attempt, or continuation of one) that ran under two UIDs
 * @param continuedRuns Runs an Attempt of which went on in a second Pod after a recreation
 * @param operations session operation Runs (creates and recreations)
 * @param leasesHeld session locks still held at the end
 * @param logins per site user: logins against the logins needed
 * @param webhookRuns Runs of the JobRun
 * @param deliveries webhook deliveries received
 * @param lostDeliveries finished Runs of the JobRun the webhook never received
 * @param doubledDeliveries Runs of the JobRun the webhook received more than once
 * @param kills leader kills
 * @param takeoverMillis per kill, the time from the kill to a live leader
 * @param unexpectedExits operator processes that ended by themselves (and were restarted)
 * @param expiries times the site expired every session
 * @param faults faults the API injected into the operator's requests
 */
public record ChaosReport(
    Duration elapsed,
    int runsAsked,
    int runs,
    Map<String, Integer> outcomes,
    List<String> unexpected,
    List<String> notFinished,
    int podsRan,
    Map<String, Integer> ranTwice,
    int continuedRuns,
    int operations,
    List<String> leasesHeld,
    Map<String, Logins> logins,
    int webhookRuns,
    int deliveries,
    List<String> lostDeliveries,
    Map<String, Integer> doubledDeliveries,
    int kills,
    List<Long> takeoverMillis,
    int unexpectedExits,
    int expiries,
    Faults.Injected faults) {

  /**
   * The logins of one site user.
   *
   * @param succeeded logins the site counted
   * @param creates sessions of that user (each logs in once when created)
   * @param expiriesHit the user's expired site sessions that a runner presented again: each calls
   *     for one login
   * @param failed failed logins the site counted
   */
  public record Logins(long succeeded, long creates, long expiriesHit, long failed) {
    public long needed() {
      return creates + expiriesHit;
    }
  }

  /** The checks that failed, in words; empty when the run passed. */
  public List<String> failures() {
    List<String> failures = new ArrayList<>();
    if (runs < runsAsked) {
      failures.add("only " + runs + " of " + runsAsked + " Runs were created");
    }
    if (!notFinished.isEmpty()) {
      failures.add(notFinished.size() + " Runs did not end: " + notFinished);
    }
    if (!ranTwice.isEmpty()) {
      failures.add("Attempts executed twice: " + ranTwice);
    }
    if (!leasesHeld.isEmpty()) {
      failures.add("session locks still held: " + leasesHeld);
    }
    logins.forEach(
        (user, counts) -> {
          if (counts.succeeded() != counts.needed() || counts.failed() != 0) {
            failures.add(
                user
                    + " logged in "
                    + counts.succeeded()
                    + " times ("
                    + counts.failed()
                    + " failed) where "
                    + counts.needed()
                    + " logins were needed");
          }
        });
    if (!lostDeliveries.isEmpty()) {
      failures.add("webhook deliveries lost: " + lostDeliveries);
    }
    if (!doubledDeliveries.isEmpty()) {
      failures.add("webhook deliveries doubled: " + doubledDeliveries);
    }
    return failures;
  }

  public boolean passed() {
    return failures().isEmpty();
  }

  /** Prints the figures as a Markdown table, then the checks. */
  public void print(PrintStream out) {
    out.println();
    out.println("| figure | value |");
    out.println("|---|---:|");
    row(
        out,
        "wall time",
        String.format("%d min %02d s", elapsed.toMinutes(), elapsed.toSecondsPart()));
    row(out, "Runs created (JobRun's included)", runs);
    outcomes.forEach((outcome, count) -> row(out, "Runs " + outcome, count));
    row(out, "session operation Runs (creates, recreations)", operations);
    row(out, "Runs continued in a second Pod after a recreation", continuedRuns);
    row(out, "Pods that ran", podsRan);
    row(out, "leader kills (SIGKILL)", kills);
    row(
        out,
        "time from kill to a new leader, median / max (ms)",
        takeoverMillis.isEmpty()
            ? "-"
            : median(takeoverMillis)
                + " / "
                + takeoverMillis.stream().mapToLong(l -> l).max().orElse(0));
    row(out, "operator exits not caused by a kill", unexpectedExits);
    row(out, "site expiries of every session", expiries);
    row(out, "injected: writes answered 500", faults.serverErrors());
    row(out, "injected: writes answered 409", faults.conflicts());
    row(out, "injected: watches cut", faults.droppedWatches());
    row(out, "injected: answers delayed", faults.slowAnswers());
    row(out, "**Runs not ended**", notFinished.size());
    row(out, "**Attempts executed twice**", ranTwice.size());
    row(out, "**session locks still held**", leasesHeld.size());
    logins.forEach(
        (user, counts) ->
            row(
                out,
                "**logins of "
                    + user
                    + " / needed** ("
                    + counts.creates()
                    + " creates + "
                    + counts.expiriesHit()
                    + " expiries hit)",
                counts.succeeded() + " / " + counts.needed()));
    row(out, "webhook: Runs of the JobRun / deliveries", webhookRuns + " / " + deliveries);
    row(out, "**webhook deliveries lost**", lostDeliveries.size());
    row(out, "**webhook deliveries doubled**", doubledDeliveries.size());
    out.println();
    if (!unexpected.isEmpty()) {
      out.println("Runs that ended otherwise than their kind should:");
      unexpected.forEach(line -> out.println("  " + line));
    }
    List<String> failures = failures();
    if (failures.isEmpty()) {
      out.println("CHAOS RUN PASSED: every check holds");
    } else {
      out.println("CHAOS RUN FAILED:");
      failures.forEach(line -> out.println("  - " + line));
    }
  }

  private static void row(PrintStream out, String name, Object value) {
    out.println("| " + name + " | " + value + " |");
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}

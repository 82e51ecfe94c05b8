package dev.tessera.demosite;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Account lockout: counts the failed logins in a row of each demo account and locks the account
 * once they reach the threshold. Unknown usernames are never tracked, so never locked. A lock lasts
 * until the account is unlocked (or its password is set); resetting the stats leaves it alone.
 */
final class Lockouts {

  /** What became of one login step. */
  enum Verdict {
    /** The account is locked: refused whatever was submitted. */
    LOCKED,
    /** Wrong password or code (or an unknown username): one more failure in a row. */
    REJECTED,
    /** Right password or code. */
    ACCEPTED
  }

  private final int threshold;
  private final Map<String, Integer> failuresInARow = new HashMap<>();

  /** Locks an account after {@code threshold} failed logins in a row; 0 never locks. */
  Lockouts(int threshold) {
    if (threshold < 0) {
      throw new IllegalArgumentException("threshold must not be negative, got " + threshold);
    }
    this.threshold = threshold;
  }

  /** After how many failed logins in a row an account is locked; 0 when lockout is off. */
  int threshold() {
    return threshold;
  }

  /**
   * Decides one login step of {@code username} and records its outcome, atomically: a locked
   * account is refused without looking at {@code correct}; otherwise a wrong password or code is
   * one more failure in a row, and a right one that {@code completesLogin} (the last step of the
   * login) resets the count. A right password that still needs a second factor changes nothing.
   */
  synchronized Verdict attempt(String username, boolean correct, boolean completesLogin) {
    if (!tracked(username)) {
      return correct ? Verdict.ACCEPTED : Verdict.REJECTED;
    }
    if (lockedNow(username)) {
      return Verdict.LOCKED;
    }
    if (!correct) {
      failuresInARow.merge(username, 1, Integer::sum);
      return Verdict.REJECTED;
    }
    if (completesLogin) {
      failuresInARow.remove(username);
    }
    return Verdict.ACCEPTED;
  }

  /** Whether {@code username} is locked right now. */
  synchronized boolean isLocked(String username) {
    return tracked(username) && lockedNow(username);
  }

  /** Unlocks {@code username} and forgets its failures in a row; returns whether it was locked. */
  synchronized boolean unlock(String username) {
    boolean wasLocked = isLocked(username);
    failuresInARow.remove(username);
    return wasLocked;
  }

  /** The usernames locked right now, sorted. */
  synchronized List<String> locked() {
    return failuresInARow.keySet().stream().filter(this::lockedNow).sorted().toList();
  }

  private boolean tracked(String username) {
    return threshold > 0 && username != null && DemoUsers.find(username).isPresent();
  }

  private boolean lockedNow(String username) {
    return threshold > 0 && failuresInARow.getOrDefault(username, 0) >= threshold;
  }
}

package dev.tessera.operator.naming;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Every name the operator generates. Names are deterministic, so that an operator that restarts
 * finds what it created instead of creating it again, and fit Kubernetes' 63-character label limit.
 */
public final class Names {
  private static final int MAX = 63;

  private Names() {}

  /**
   * The Pod of Attempt {@code attempt} of a Run: {@code <run>-<uid>-a<attempt>}, where {@code uid}
   * is the end of the Run's UID. A Run deleted and created again under the same name is another
   * object, with Pods of its own: it never finds (and adopts) the Pod or input of the Run before
   * it, which garbage collection is about to delete.
   */
  public static String attemptPod(String run, String uid, int attempt) {
    return fit(run, incarnation(uid) + "-a" + attempt);
  }

  /**
   * The Secret that carries an Attempt's input (and its one-time results token) to its Pod, and
   * then, in their place, what the Pod reported.
   */
  public static String attemptInput(String pod) {
    return fit(pod, "-in");
  }

  /** The operation Run that creates a session's state for the {@code n}th time. */
  public static String sessionCreateRun(String session, int n) {
    return sessionOperationRun(session, "-create-", n);
  }

  /**
   * The {@code n}th operation Run of a kind: {@code -create-}, {@code -update-} or {@code -health-}
   * (a scheduled check).
   */
  public static String sessionOperationRun(String session, String kind, int n) {
    return fit(session, kind + n);
  }

  /**
   * The Pod that continues Attempt {@code attempt} after it waited for its session (the {@code k}th
   * Pod of the Attempt, from 2): it validates again, then runs the API.
   */
  public static String attemptContinuationPod(String run, String uid, int attempt, int k) {
    return fit(run, incarnation(uid) + "-a" + attempt + "-r" + k);
  }

  /**
   * The part of a Run's Pod names that tells its incarnations apart: the last 5 letters of its UID
   * (random in a cluster; some API servers number their UIDs, whose start is then all zeros).
   */
  static String incarnation(String uid) {
    if (uid == null) {
      return "";
    }
    String letters = uid.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    return letters.isEmpty() ? "" : "-" + letters.substring(Math.max(0, letters.length() - 5));
  }

  /**
   * The {@code AuthSession:Validate} Run that recreates a session whose state of the given
   * generation failed its checks. One name per generation: any number of Runs that find the same
   * state invalid ask for the same operation, and so cause one recreation.
   */
  public static String sessionValidateRun(String session, int stateGeneration) {
    return fit(session, "-validate-" + stateGeneration);
  }

  /** The plain check of its session a JobRun makes before its first Run. */
  public static String jobRunCheck(String jobRun) {
    return fit(jobRun, "-check");
  }

  /** The Run of payload item {@code index} (from 0) of a JobRun. */
  public static String jobRunRun(String jobRun, int index) {
    return fit(jobRun, "-" + index);
  }

  /** The Secret, owned by a recording's Run, that holds the token of its hosted browser. */
  public static String recorderToken(String run) {
    return fit(run, "-recorder");
  }

  /** The Secret, owned by the AuthSession, that holds its browser state. */
  public static String sessionState(String session) {
    return fit(session, "-state");
  }

  /** The Lease that locks a session while an operation changes its state. */
  public static String sessionLock(String session) {
    return fit(session, "-lock");
  }

  /** {@code base + suffix}, with base shortened and made unique by a hash when too long. */
  static String fit(String base, String suffix) {
    if (base.length() + suffix.length() <= MAX) {
      return base + suffix;
    }
    String hash = hash(base).substring(0, 8);
    int keep = MAX - suffix.length() - hash.length() - 1;
    String head = base.substring(0, keep).replaceAll("[-.]+$", "");
    return head + "-" + hash + suffix;
  }

  /** namespace/name, for logs and messages. */
  public static String ref(HasMetadata resource) {
    return resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
  }

  private static String hash(String value) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

package dev.tessera.operator.artifacts;

import dev.tessera.api.v1alpha1.ArtifactsSpec;
import dev.tessera.api.v1alpha1.Run;

/**
 * Where each artifact lives in the store: {@code runs/<namespace>/<run>/<run
 * uid>/attempt-<n>/<file>}. The Run's UID keeps a Run deleted and applied again under the same name
 * apart from the one before, and lets the sweeper tell which Runs are gone.
 */
public final class ArtifactKeys {
  /** The first segment of every key. */
  public static final String ROOT = "runs/";

  private ArtifactKeys() {}

  /** The folder of every artifact of a Run. */
  public static String run(Run run) {
    return run(
        run.getMetadata().getNamespace(), run.getMetadata().getName(), run.getMetadata().getUid());
  }

  /** The folder of every artifact of a Run. */
  public static String run(String namespace, String name, String uid) {
    return ROOT + namespace + "/" + name + "/" + uid + "/";
  }

  /** The key of one file of one Attempt. */
  public static String of(Run run, int attempt, String file) {
    return run(run) + "attempt-" + attempt + "/" + file;
  }

  /** The Run's UID in a key, or null when the key is not laid out as this class writes. */
  public static String uidOf(String key) {
    String[] parts = key.split("/");
    return parts.length >= 5 && key.startsWith(ROOT) ? parts[3] : null;
  }

  /** The folder of the Run a key belongs to, or null. */
  public static String runFolderOf(String key) {
    String[] parts = key.split("/");
    return parts.length >= 5 && key.startsWith(ROOT)
        ? ROOT + parts[1] + "/" + parts[2] + "/" + parts[3] + "/"
        : null;
  }

  /** The kind of an artifact, from its file name. */
  public static String kindOf(String file) {
    if (file.equals("trace.zip")) {
      return ArtifactsSpec.TRACE;
    }
    if (file.equals("screenshot.png")) {
      return ArtifactsSpec.SCREENSHOT;
    }
    if (file.equals("page.html")) {
      return ArtifactsSpec.HTML;
    }
    return "StepScreenshot";
  }
}

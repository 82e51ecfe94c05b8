package dev.tessera.api.v1alpha1;

/** Names shared by every Tessera resource: API group, version and category. */
public final class Tessera {
  /** The API group of every Tessera resource. */
  public static final String GROUP = "tessera.dev";

  /** The version of this model. */
  public static final String VERSION = "v1alpha1";

  /** {@code group/version}, as written in a manifest's apiVersion. */
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /** The category that makes {@code kubectl get tessera} list every Tessera resource. */
  public static final String CATEGORY = "tessera";

  private Tessera() {}
}

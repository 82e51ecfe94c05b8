package io.javaoperatorsdk.layeringstub;

/**
 * A stand-in for a Java Operator SDK class (the api module does not have JOSDK on its classpath):
 * lets a fixture of {@code dev.tessera.api.LayeringTest} depend on the {@code io.javaoperatorsdk}
 * packages.
 */
public final class OperatorSdkStub {
  private OperatorSdkStub() {}

  public static String reconcile() {
    return "reconciled";
  }
}

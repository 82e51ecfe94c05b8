package dev.tessera.api.layeringfixture;

import io.javaoperatorsdk.layeringstub.OperatorSdkStub;

/** Fixture of {@code dev.tessera.api.LayeringTest}: an API class that uses the operator's SDK. */
public final class ApiClassUsingOperatorSdk {
  private ApiClassUsingOperatorSdk() {}

  public static String use() {
    return OperatorSdkStub.reconcile();
  }
}

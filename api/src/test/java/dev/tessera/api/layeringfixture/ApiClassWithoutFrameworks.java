package dev.tessera.api.layeringfixture;

import java.time.Duration;

/** Fixture of {@code dev.tessera.api.LayeringTest}: an API class that uses only the JDK. */
public final class ApiClassWithoutFrameworks {
  private ApiClassWithoutFrameworks() {}

  public static long seconds(String iso) {
    return Duration.parse(iso).toSeconds();
  }
}

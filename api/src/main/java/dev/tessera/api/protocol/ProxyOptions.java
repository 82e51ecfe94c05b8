package dev.tessera.api.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The session's proxy, resolved by the operator (credentials included, for the Pod only). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProxyOptions(String server, String bypass, String username, String password) {
  @Override
  public String toString() {
    return "ProxyOptions[server=" + server + ", bypass=" + bypass + "]";
  }
}

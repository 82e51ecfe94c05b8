package dev.tessera.runner.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.api.protocol.ErrorCode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkGuardTest {
  private static final NetworkGuard.Resolver DNS =
      host ->
          switch (host) {
            case "metadata.example" -> new InetAddress[] {InetAddress.getByName("169.254.169.254")};
            case "kubernetes.default.svc" -> new InetAddress[] {InetAddress.getByName("10.96.0.1")};
            case "site.example" -> new InetAddress[] {InetAddress.getByName("93.184.216.34")};
            default -> throw new UnknownHostException(host);
          };

  private static final NetworkGuard GUARD =
      NetworkGuard.fromEnvironment(
          Map.of(
              "KUBERNETES_SERVICE_HOST",
              "10.96.0.1",
              "KUBERNETES_SERVICE_PORT",
              "443",
              NetworkGuard.BLOCKED_NETWORKS_ENV,
              "10.0.0.0/8, fd00::/8"),
          DNS);

  @Test
  void theMetadataAddressIsRefusedInEveryFormABrowserReads() {
    for (String url :
        new String[] {
          "http://169.254.169.254/latest",
          "http://2852039166/",
          "http://0xa9.0xfe.0xa9.0xfe/",
          "http://0251.0376.0251.0376/",
          "http://169.254.43518/",
          "http://169.254.169.254./",
          "http://%31%36%39.254.169.254/",
          "http://user@169.254.169.254:80/",
          "http:\\\\169.254.169.254\\x",
          "http://[::ffff:169.254.169.254]/",
          "http://[fe80::1]/",
          "http://metadata.example/",
          "ws://169.254.169.254/"
        }) {
      assertThat(GUARD.destinationRefusal(url))
          .as(url)
          .get()
          .satisfies(r -> assertThat(r.code()).isEqualTo(ErrorCode.AddressNotAllowed));
    }
  }

  @Test
  void theApiIsRefusedOnItsPortAndTheConfiguredNetworksEverywhere() {
    assertThat(GUARD.stepRefusal("https://kubernetes.default.svc/api/v1/secrets"))
        .get()
        .satisfies(r -> assertThat(r.message()).contains("Kubernetes API"));
    assertThat(GUARD.stepRefusal("https://10.96.0.1:443/")).isPresent();
    assertThat(GUARD.stepRefusal("http://10.1.2.3:8080/")).get().asString().contains("10.0.0.0/8");
    assertThat(GUARD.stepRefusal("http://[fd00::5]/")).isPresent();
    assertThat(GUARD.stepRefusal("https://site.example/x")).isEmpty();
    assertThat(GUARD.stepRefusal("https://unknown.example/x")).isEmpty();
  }

  @Test
  void aLocalApiIsRefusedOnItsPortOnly() {
    NetworkGuard local =
        NetworkGuard.fromEnvironment(
            Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1", "KUBERNETES_SERVICE_PORT", "6443"), DNS);
    assertThat(local.stepRefusal("http://127.0.0.1:6443/api")).isPresent();
    assertThat(local.stepRefusal("http://0.0.0.0:6443/api")).isPresent();
    assertThat(local.stepRefusal("http://127.0.0.2:6443/api")).isPresent();
    assertThat(local.stepRefusal("http://127.0.0.1:8080/login")).isEmpty();
  }

  @Test
  void stepsMayNameHttpAndHttpsOnlyWhileThePageKeepsItsOwnSchemes() {
    assertThat(GUARD.stepRefusal("file:///etc/passwd"))
        .get()
        .satisfies(r -> assertThat(r.code()).isEqualTo(ErrorCode.UrlNotAllowed));
    assertThat(GUARD.stepRefusal("about:blank")).isEmpty();
    assertThat(GUARD.destinationRefusal("data:text/html,hi")).isEmpty();
    assertThat(GUARD.destinationRefusal("blob:https://site.example/1")).isEmpty();
  }

  @Test
  void invalidBlockedNetworksAreRefusedSoThatNoStepRuns() {
    assertThatThrownBy(
            () ->
                NetworkGuard.fromEnvironment(
                    Map.of(NetworkGuard.BLOCKED_NETWORKS_ENV, "10/8"), DNS))
        .hasMessageContaining("TESSERA_BLOCKED_NETWORKS");
  }
}

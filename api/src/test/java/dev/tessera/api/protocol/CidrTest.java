package dev.tessera.api.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrTest {
  @Test
  void containsTheAddressesOfItsBlock() throws Exception {
    assertThat(Cidr.LINK_LOCAL_V4.contains(InetAddress.getByName("169.254.169.254"))).isTrue();
    assertThat(Cidr.LINK_LOCAL_V4.contains(InetAddress.getByName("169.255.0.1"))).isFalse();
    assertThat(Cidr.LINK_LOCAL_V6.contains(InetAddress.getByName("fe80::1"))).isTrue();
    assertThat(Cidr.LINK_LOCAL_V6.contains(InetAddress.getByName("fec0::1"))).isFalse();
    assertThat(Cidr.parse("10.1.2.3/8").contains(InetAddress.getByName("10.200.0.1"))).isTrue();
    assertThat(Cidr.parse("10.1.2.3/8")).isEqualTo(Cidr.parse("10.0.0.0/8"));
    assertThat(Cidr.parse("0.0.0.0/0").contains(InetAddress.getByName("8.8.8.8"))).isTrue();
  }

  @Test
  void anIpv4AddressIsFoundInItsIpv4MappedBlock() throws Exception {
    Cidr mapped = Cidr.parse("::ffff:169.254.0.0/112");
    assertThat(mapped.contains(InetAddress.getByName("169.254.169.254"))).isTrue();
    assertThat(mapped.contains(InetAddress.getByName("10.0.0.1"))).isFalse();
  }

  @Test
  void refusesWhatIsNotACidr() {
    for (String text :
        new String[] {"10.0.0.0", "10.0.0.0/33", "example.com/8", "fe80::/129", ""}) {
      assertThatThrownBy(() -> Cidr.parse(text))
          .as(text)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("\"" + text + "\"");
    }
  }

  @Test
  void readsACommaSeparatedList() {
    assertThat(Cidr.parseList(" 10.0.0.0/8, ,fd00::/8"))
        .containsExactly(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8"));
    assertThat(Cidr.parseList(null)).isEmpty();
  }
}

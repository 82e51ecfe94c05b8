package dev.tessera.api.protocol;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A block of IPv4 or IPv6 addresses in CIDR notation ({@code 169.254.0.0/16}, {@code fe80::/10}):
 * the networks a runner keeps away from.
 *
 * @param network the address bits (4 or 16 bytes), host bits cleared
 * @param prefix how many leading bits name the network
 */
public record Cidr(byte[] network, int prefix) {
  /**
   * What the CRD and the chart accept: an IPv4 or IPv6 address, a slash and a prefix length. {@link
   * #parse} checks the rest (a valid IPv6 address, a prefix within the address's length).
   */
  public static final String PATTERN =
      "^(((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])/([0-9]|[12][0-9]|3[0-2])"
          + "|[0-9a-fA-F]{0,4}:[0-9a-fA-F:.]*/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8]))$";

  private static final Pattern SYNTAX = Pattern.compile(PATTERN);

  /** Link-local IPv4 addresses; the cloud metadata service (169.254.169.254) is one of them. */
  public static final Cidr LINK_LOCAL_V4 = parse("169.254.0.0/16");

  /** Link-local IPv6 addresses. */
  public static final Cidr LINK_LOCAL_V6 = parse("fe80::/10");

  public Cidr {
    network = network.clone();
  }

  /**
   * Reads {@code address/prefix}.
   *
   * @throws IllegalArgumentException naming the value when it is not a CIDR
   */
  public static Cidr parse(String text) {
    String value = text == null ? "" : text.strip();
    if (!SYNTAX.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a CIDR such as 10.0.0.0/8 or fd00::/8");
    }
    int slash = value.indexOf('/');
    byte[] address;
    try {
      // Only literals reach here (the pattern admits digits, dots, hex and colons): no lookup.
      address = InetAddress.getByName(value.substring(0, slash)).getAddress();
    } catch (UnknownHostException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a CIDR such as 10.0.0.0/8 or fd00::/8", e);
    }
    boolean v6 = value.indexOf(':') >= 0;
    if (v6 && address.length == 4) {
      address = mapped(address);
    }
    int prefix = Integer.parseInt(value.substring(slash + 1));
    if (prefix > address.length * 8) {
      throw new IllegalArgumentException(
          "\"" + text + "\": the prefix is longer than the address (" + address.length * 8 + ")");
    }
    return new Cidr(masked(address, prefix), prefix);
  }

  /** Reads a comma-separated list of CIDRs; blanks are skipped. */
  public static List<Cidr> parseList(String text) {
    List<Cidr> cidrs = new ArrayList<>();
    if (text == null) {
      return cidrs;
    }
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        cidrs.add(parse(part));
      }
    }
    return cidrs;
  }

  /** Whether the address lies in this block (an IPv4 address also as its IPv4-mapped IPv6 form). */
  public boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length != network.length) {
      if (bytes.length == 4 && network.length == 16) {
        bytes = mapped(bytes);
      } else {
        return false;
      }
    }
    return java.util.Arrays.equals(masked(bytes, prefix), network);
  }

  @Override
  public byte[] network() {
    return network.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Cidr c
        && c.prefix == prefix
        && java.util.Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return 31 * java.util.Arrays.hashCode(network) + prefix;
  }

  /** The CIDR as written: {@code 169.254.0.0/16}, {@code fe80:0:0:0:0:0:0:0/10}. */
  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] mapped(byte[] v4) {
    byte[] v6 = new byte[16];
    v6[10] = (byte) 0xff;
    v6[11] = (byte) 0xff;
    System.arraycopy(v4, 0, v6, 12, 4);
    return v6;
  }

  private static byte[] masked(byte[] address, int prefix) {
    byte[] result = address.clone();
    for (int i = 0; i < result.length; i++) {
      int bits = Math.max(0, Math.min(8, prefix - i * 8));
      result[i] = (byte) (result[i] & (0xff << (8 - bits)));
    }
    return result;
  }
}

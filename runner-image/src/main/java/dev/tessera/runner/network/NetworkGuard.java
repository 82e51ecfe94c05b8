package dev.tessera.runner.network;

import dev.tessera.api.protocol.Cidr;
import dev.tessera.api.protocol.ErrorCode;
import dev.tessera.api.protocol.StepUrls;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where a runner never connects: the Kubernetes API (the address and port of the Pod's {@code
 * KUBERNETES_SERVICE_HOST} and {@code KUBERNETES_SERVICE_PORT}), link-local addresses
 * (169.254.0.0/16 with the cloud metadata service, fe80::/10) and the networks of {@code
 * TESSERA_BLOCKED_NETWORKS} (the chart's and the Project's). Steps may also name only http and
 * https URLs ({@link StepUrls}).
 *
 * <p>A host name is resolved before the decision, and refused when any of its addresses is blocked.
 * The browser resolves the name again when it connects, so a name whose answer changes in between
 * (DNS rebinding) can get past this check; the runners' NetworkPolicy, which the network enforces
 * on addresses, is what stops that (docs/security.md).
 */
public final class NetworkGuard {
  /** The blocked networks the operator adds, comma-separated CIDRs. */
  public static final String BLOCKED_NETWORKS_ENV = "TESSERA_BLOCKED_NETWORKS";

  /** Resolves host names (the JVM's resolver, or a fake in tests). */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /** Why a URL is refused: the code and a message that names the URL, never an answer. */
  public record Refusal(ErrorCode code, String message) {}

  /** An address and port that serve the Kubernetes API. */
  record Endpoint(InetAddress address, int port) {}

  private final List<Cidr> blocked;
  private final List<Endpoint> api;
  private final Resolver resolver;

  NetworkGuard(List<Cidr> blocked, List<Endpoint> api, Resolver resolver) {
    this.blocked = List.copyOf(blocked);
    this.api = List.copyOf(api);
    this.resolver = resolver;
  }

  /**
   * The guard of a runner process, from its environment.
   *
   * @throws IllegalArgumentException when {@code TESSERA_BLOCKED_NETWORKS} holds something that is
   *     not a CIDR (the runner then runs no step: it fails closed)
   */
  public static NetworkGuard fromEnvironment(Map<String, String> env) {
    return fromEnvironment(env, InetAddress::getAllByName);
  }

  static NetworkGuard fromEnvironment(Map<String, String> env, Resolver resolver) {
    List<Cidr> blocked = new ArrayList<>(List.of(Cidr.LINK_LOCAL_V4, Cidr.LINK_LOCAL_V6));
    try {
      blocked.addAll(Cidr.parseList(env.get(BLOCKED_NETWORKS_ENV)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(BLOCKED_NETWORKS_ENV + ": " + e.getMessage(), e);
    }
    List<Endpoint> api = new ArrayList<>();
    String host = env.get("KUBERNETES_SERVICE_HOST");
    String port = env.get("KUBERNETES_SERVICE_PORT");
    if (host != null && !host.isBlank()) {
      int apiPort = port == null || port.isBlank() ? 443 : Integer.parseInt(port.strip());
      try {
        String name = host.strip().toLowerCase(Locale.ROOT);
        InetAddress literal = Destination.literal(name.indexOf(':') >= 0 ? "[" + name + "]" : name);
        for (InetAddress address :
            literal != null ? new InetAddress[] {literal} : resolver.resolve(name)) {
          api.add(new Endpoint(address, apiPort));
        }
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(
            "KUBERNETES_SERVICE_HOST " + host + " cannot be resolved", e);
      }
    }
    return new NetworkGuard(blocked, api, resolver);
  }

  /** The networks refused besides the API, for the log. */
  public List<Cidr> blockedNetworks() {
    return blocked;
  }

  /**
   * A request the browser made because a response redirected it, to a destination the guard
   * refuses: Playwright does not route such requests, so the guard cannot stop them, only see them.
   * The first one seen waits here for {@link #takeRedirectRefusal()}, which fails the step that
   * caused it before anything of the page is read.
   */
  private final AtomicReference<Refusal> redirectRefusal = new AtomicReference<>();

  /** Notes a request a redirect made (see {@link #takeRedirectRefusal()}). */
  public void noteRedirect(String url) {
    destinationRefusal(url).ifPresent(refusal -> redirectRefusal.compareAndSet(null, refusal));
  }

  /** The refusal of a redirect to a refused destination noted since the last call, if any. */
  public Optional<Refusal> takeRedirectRefusal() {
    return Optional.ofNullable(redirectRefusal.getAndSet(null));
  }

  /** Why a step may not go to this URL (its scheme or its destination), or empty when it may. */
  public Optional<Refusal> stepRefusal(String url) {
    Optional<String> schemeProblem = StepUrls.problem(url);
    if (schemeProblem.isPresent()) {
      return Optional.of(new Refusal(ErrorCode.UrlNotAllowed, schemeProblem.get()));
    }
    return destinationRefusal(url);
  }

  /**
   * Why the browser may not send this request, or empty when it may. Only URLs that open a
   * connection (http, https, ws, wss) are judged; {@code data:} and {@code blob:} stay in the page.
   */
  public Optional<Refusal> destinationRefusal(String url) {
    Destination destination = Destination.of(url);
    if (destination == null) {
      return Optional.empty();
    }
    for (InetAddress address : addresses(destination.host())) {
      for (Endpoint endpoint : api) {
        if (endpoint.port() == destination.port() && sameHost(endpoint.address(), address)) {
          return Optional.of(refusal(url, destination.host() + " is the Kubernetes API's address"));
        }
      }
      for (Cidr cidr : blocked) {
        if (cidr.contains(address)) {
          return Optional.of(
              refusal(url, destination.host() + " is in a blocked network (" + cidr + ")"));
        }
      }
    }
    return Optional.empty();
  }

  private static Refusal refusal(String url, String why) {
    return new Refusal(
        ErrorCode.AddressNotAllowed, "the runner does not connect to " + url + ": " + why);
  }

  /**
   * Whether a connection to {@code address} reaches {@code api}: the same address, or both on this
   * machine (any loopback address, or the unspecified address, which connects to this machine).
   */
  private static boolean sameHost(InetAddress api, InetAddress address) {
    if (api.equals(address)) {
      return true;
    }
    return local(api) && local(address);
  }

  private static boolean local(InetAddress address) {
    return address.isLoopbackAddress() || address.isAnyLocalAddress();
  }

  private Set<InetAddress> addresses(String host) {
    Set<InetAddress> addresses = new LinkedHashSet<>();
    InetAddress literal = Destination.literal(host);
    if (literal != null) {
      addresses.add(literal);
      return addresses;
    }
    try {
      addresses.addAll(List.of(resolver.resolve(host)));
    } catch (UnknownHostException e) {
      // Nothing to connect to: the browser's own lookup fails as well.
    }
    return addresses;
  }

  /** The host and port a URL connects to, read as a browser reads them. */
  record Destination(String host, int port) {
    static Destination of(String url) {
      if (url == null) {
        return null;
      }
      String text = url.replace("\t", "").replace("\n", "").replace("\r", "").strip();
      int colon = text.indexOf(':');
      if (colon <= 0) {
        return null;
      }
      String scheme = text.substring(0, colon).toLowerCase(Locale.ROOT);
      int defaultPort =
          switch (scheme) {
            case "http", "ws" -> 80;
            case "https", "wss" -> 443;
            default -> -1;
          };
      if (defaultPort < 0) {
        return null;
      }
      int start = colon + 1;
      while (start < text.length() && (text.charAt(start) == '/' || text.charAt(start) == '\\')) {
        start++;
      }
      int end = start;
      while (end < text.length() && "/\\?#".indexOf(text.charAt(end)) < 0) {
        end++;
      }
      String authority = text.substring(start, end);
      authority = authority.substring(authority.lastIndexOf('@') + 1);
      String host = authority;
      int port = defaultPort;
      int portColon =
          authority.startsWith("[")
              ? authority.indexOf(':', authority.indexOf(']'))
              : authority.lastIndexOf(':');
      if (portColon >= 0) {
        host = authority.substring(0, portColon);
        String digits = authority.substring(portColon + 1);
        if (!digits.isEmpty()) {
          try {
            port = Integer.parseInt(digits);
          } catch (NumberFormatException e) {
            return null;
          }
        }
      }
      try {
        host = URLDecoder.decode(host.replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        // Kept as written: a browser refuses such a host too.
      }
      host = host.toLowerCase(Locale.ROOT);
      while (host.endsWith(".")) {
        host = host.substring(0, host.length() - 1);
      }
      return new Destination(host, port);
    }

    /**
     * The address a host names literally, or null for a name to resolve: an IPv6 literal in
     * brackets, or an IPv4 address in any form a browser reads (decimal, octal or hex parts, one to
     * four of them: {@code 2852039166} and {@code 0xa9.0xfe.0xa9.0xfe} are 169.254.169.254).
     */
    static InetAddress literal(String host) {
      try {
        if (host.startsWith("[") && host.endsWith("]")) {
          return InetAddress.getByName(host.substring(1, host.length() - 1));
        }
        byte[] v4 = ipv4(host);
        return v4 == null ? null : InetAddress.getByAddress(v4);
      } catch (UnknownHostException e) {
        return null;
      }
    }

    private static byte[] ipv4(String host) {
      String[] parts = host.split("\\.", -1);
      if (parts.length == 0 || parts.length > 4) {
        return null;
      }
      long[] numbers = new long[parts.length];
      for (int i = 0; i < parts.length; i++) {
        Long number = number(parts[i]);
        if (number == null) {
          return null;
        }
        numbers[i] = number;
      }
      long value = 0;
      for (int i = 0; i < numbers.length - 1; i++) {
        if (numbers[i] > 255) {
          return null;
        }
        value = value << 8 | numbers[i];
      }
      int lastBytes = 5 - numbers.length;
      long last = numbers[numbers.length - 1];
      if (last >= 1L << (8 * lastBytes)) {
        return null;
      }
      value = value << (8 * lastBytes) | last;
      return new byte[] {
        (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value
      };
    }

    private static Long number(String part) {
      try {
        if (part.isEmpty()) {
          return null;
        }
        if (part.startsWith("0x") || part.startsWith("0X")) {
          return part.length() == 2 ? 0L : Long.parseLong(part.substring(2), 16);
        }
        if (part.length() > 1 && part.startsWith("0")) {
          return Long.parseLong(part.substring(1), 8);
        }
        return Long.parseLong(part);
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }
}

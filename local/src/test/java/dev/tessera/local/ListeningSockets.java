package dev.tessera.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The addresses this machine listens on for a TCP port, read from {@code /proc/net/tcp} and {@code
 * /proc/net/tcp6} (as {@code ss -ltn} reads them): {@code 127.0.0.1} for a listener on loopback,
 * {@code 0.0.0.0} or {@code ::} for one on every address.
 */
final class ListeningSockets {
  private static final String LISTEN = "0A";

  private ListeningSockets() {}

  /** The local addresses of the listening sockets on {@code port}. */
  static List<InetAddress> addresses(int port) {
    List<InetAddress> addresses = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path file = Path.of(table);
      if (!Files.exists(file)) {
        continue;
      }
      try {
        // read once: the table changes between two reads as sockets open and close
        List<String> lines = Files.readAllLines(file);
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
          String[] fields = line.trim().split("\\s+");
          String[] local = fields[1].split(":");
          if (fields[3].equals(LISTEN) && Integer.parseInt(local[1], 16) == port) {
            addresses.add(address(local[0]));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return addresses;
  }

  /** An address as /proc writes it: the bytes of each 32-bit word in host (little-endian) order. */
  private static InetAddress address(String hex) {
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        int from = (word * 4 + 3 - i) * 2;
        bytes[word * 4 + i] = new BigInteger(hex.substring(from, from + 2), 16).byteValue();
      }
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(hex, e);
    }
  }
}

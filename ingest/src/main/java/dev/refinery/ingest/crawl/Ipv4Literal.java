package dev.refinery.ingest.crawl;

import java.math.BigInteger;
import java.util.Optional;

/**
 * The IPv4 host forms browsers and C resolvers accept (WHATWG URL "ends in a number"): dotted with 1 to 4
 * parts, each decimal, octal (leading 0) or hex (0x), e.g. {@code 2130706433}, {@code 0177.0.0.1},
 * {@code 0x7f.1}, {@code 127.1}. Such a host is parsed here and never handed to DNS, so no resolver can
 * read it differently from the guard.
 */
final class Ipv4Literal {
  private Ipv4Literal() {}

  /**
   * The four bytes when the host ends in a number; empty when it is a name.
   *
   * @throws Refusal when it ends in a number but is not a valid IPv4 address
   */
  static Optional<byte[]> parse(String host) throws Refusal {
    String[] parts = host.split("\\.", -1);
    int n = parts.length;
    if (n > 1 && parts[n - 1].isEmpty()) {
      n--;
    }
    if (n == 0 || !isNumber(parts[n - 1])) {
      return Optional.empty();
    }
    if (n > 4) {
      throw new Refusal("invalid numeric host '" + host + "'");
    }
    BigInteger value = BigInteger.ZERO;
    for (int i = 0; i < n; i++) {
      BigInteger part = number(parts[i], host);
      boolean last = i == n - 1;
      BigInteger limit = last ? BigInteger.ONE.shiftLeft(8 * (5 - n)) : BigInteger.valueOf(256);
      if (part.compareTo(limit) >= 0) {
        throw new Refusal("invalid numeric host '" + host + "'");
      }
      value = last ? value.shiftLeft(8 * (5 - n)).add(part) : value.shiftLeft(8).add(part);
    }
    long v = value.longValue();
    return Optional.of(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
  }

  private static boolean isNumber(String part) {
    if (part.isEmpty()) {
      return false;
    }
    if (part.startsWith("0x") || part.startsWith("0X")) {
      return part.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }
    return part.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static BigInteger number(String part, String host) throws Refusal {
    if (part.startsWith("0x") || part.startsWith("0X")) {
      String hex = part.substring(2);
      if (!hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        throw new Refusal("invalid numeric host '" + host + "'");
      }
      return hex.isEmpty() ? BigInteger.ZERO : new BigInteger(hex, 16);
    }
    if (part.isEmpty() || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new Refusal("invalid numeric host '" + host + "'");
    }
    if (part.length() > 1 && part.startsWith("0")) {
      if (!part.chars().allMatch(c -> c >= '0' && c <= '7')) {
        throw new Refusal("invalid numeric host '" + host + "'");
      }
      return new BigInteger(part.substring(1), 8);
    }
    return new BigInteger(part);
  }
}

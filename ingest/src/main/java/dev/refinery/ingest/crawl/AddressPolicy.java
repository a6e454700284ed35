package dev.refinery.ingest.crawl;

import java.net.IDN;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The SSRF guard: decides whether a URL may be fetched and, if so, the one address to connect to. Refused
 * (unless allow-listed): schemes other than http/https, user info, loopback, private (RFC 1918, CGNAT
 * 100.64/10), link-local (169.254/16 with the cloud metadata address, fe80::/10), unique-local fc00::/7,
 * unspecified, multicast, reserved and documentation ranges, IPv6 forms that embed an IPv4 address
 * (mapped, compatible, NAT64, 6to4, Teredo), numeric IPv4 spellings (decimal, octal, hex, short), and
 * metadata/local host names. A name is resolved once; if any answer is forbidden the URL is refused, else
 * the first answer is returned and is the only address the fetcher will connect to.
 */
public final class AddressPolicy {
  private static final List<CidrBlock> FORBIDDEN = List.of(
      "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
      "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
      "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
      "::/128", "::1/128", "100::/64", "2001::/32", "2001:db8::/32", "fc00::/7", "fe80::/10", "fec0::/10",
      "ff00::/8").stream().map(CidrBlock::parse).toList();
  /** IPv6 ranges whose last 32 bits are an IPv4 address (compatible, NAT64): that address is checked too. */
  private static final List<CidrBlock> EMBEDS_IPV4_AT_END = List.of("::/96", "64:ff9b::/96", "64:ff9b:1::/48")
      .stream().map(CidrBlock::parse).toList();
  private static final CidrBlock SIX_TO_FOUR = CidrBlock.parse("2002::/16");
  private static final Set<String> FORBIDDEN_NAMES = Set.of("localhost", "localhost.localdomain",
      "ip6-localhost", "ip6-loopback", "metadata", "metadata.google.internal", "metadata.goog",
      "instance-data", "instance-data.ec2.internal", "metadata.azure.com", "metadata.tencentyun.com");
  /** Suffixes of names that only mean something inside a network (mDNS, cloud-internal DNS). */
  private static final List<String> FORBIDDEN_SUFFIXES = List.of(".localhost", ".local", ".internal");

  private final List<CidrBlock> allowedRanges;
  private final Set<String> allowedHosts;
  private final HostResolver resolver;

  /**
   * @param allow allow-list entries: address ranges ("127.0.0.1/32", "10.0.0.0/8") or exact host names,
   *     which are then fetched whatever they resolve to
   */
  public AddressPolicy(List<String> allow, HostResolver resolver) {
    List<CidrBlock> ranges = new ArrayList<>();
    List<String> hosts = new ArrayList<>();
    for (String entry : allow) {
      String e = entry.trim().toLowerCase(Locale.ROOT);
      if (e.matches("[0-9a-f:.]+(/\\d+)?") && (e.contains(":") || e.matches("[0-9.]+(/\\d+)?"))) {
        ranges.add(CidrBlock.parse(e));
      } else {
        hosts.add(e.endsWith(".") ? e.substring(0, e.length() - 1) : e);
      }
    }
    this.allowedRanges = List.copyOf(ranges);
    this.allowedHosts = Set.copyOf(hosts);
    this.resolver = resolver;
  }

  /**
   * Checks without DNS: scheme, authority, numeric and literal hosts, forbidden names. Used when a URL is
   * discovered, so a refused one never reaches the frontier; {@link #destination} repeats it at fetch time.
   */
  public void precheck(URI uri) throws Refusal {
    Authority a = authority(uri);
    if (allowedHosts.contains(a.host)) {
      return;
    }
    Optional<InetAddress> literal = literal(a.host);
    if (literal.isPresent()) {
      checkAddress(a.host, literal.get());
    } else {
      checkName(a.host);
    }
  }

  /** The checked destination of one fetch: resolved once here, connected to exactly as returned. */
  public Destination destination(URI uri) throws Refusal {
    Authority a = authority(uri);
    Optional<InetAddress> literal = literal(a.host);
    InetAddress address;
    if (literal.isPresent()) {
      address = literal.get();
      if (!allowedHosts.contains(a.host)) {
        checkAddress(a.host, address);
      }
    } else {
      boolean trusted = allowedHosts.contains(a.host);
      if (!trusted) {
        checkName(a.host);
      }
      List<InetAddress> answers;
      try {
        answers = resolver.resolve(a.host);
      } catch (UnknownHostException e) {
        throw new Refusal("unknown host '" + a.host + "'");
      }
      if (answers.isEmpty()) {
        throw new Refusal("unknown host '" + a.host + "'");
      }
      if (!trusted) {
        for (InetAddress answer : answers) {
          checkAddress(a.host, answer);
        }
      }
      address = answers.get(0);
    }
    return new Destination(uri, a.host, a.port, a.https, address);
  }

  private record Authority(String host, int port, boolean https) {}

  private static Authority authority(URI uri) throws Refusal {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new Refusal("scheme '" + scheme + "' is not http or https");
    }
    boolean https = scheme.equals("https");
    // java.net.URI leaves getHost() null for hosts like 0x7f.1 or 127.1, so the authority is parsed here
    String auth = uri.getRawAuthority();
    if (auth == null || auth.isEmpty()) {
      throw new Refusal("URL has no host");
    }
    if (auth.contains("@")) {
      throw new Refusal("URL carries user info (credentials are never sent)");
    }
    String host;
    String portText = null;
    if (auth.startsWith("[")) {
      int close = auth.indexOf(']');
      if (close < 0) {
        throw new Refusal("malformed IPv6 host in '" + auth + "'");
      }
      host = auth.substring(1, close);
      String rest = auth.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new Refusal("malformed authority '" + auth + "'");
        }
        portText = rest.substring(1);
      }
      if (!host.matches("[0-9a-fA-F:.]+")) {
        throw new Refusal("malformed IPv6 host '" + host + "' (zone ids are not allowed)");
      }
    } else {
      int colon = auth.lastIndexOf(':');
      host = colon < 0 ? auth : auth.substring(0, colon);
      portText = colon < 0 ? null : auth.substring(colon + 1);
    }
    int port = https ? 443 : 80;
    if (portText != null && !portText.isEmpty()) {
      if (!portText.matches("\\d{1,5}") || Integer.parseInt(portText) > 65535 || Integer.parseInt(portText) == 0) {
        throw new Refusal("invalid port '" + portText + "'");
      }
      port = Integer.parseInt(portText);
    }
    if (host.contains("%")) {
      throw new Refusal("percent-encoded host '" + host + "'");
    }
    if (!auth.startsWith("[")) {
      try {
        host = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED);
      } catch (IllegalArgumentException e) {
        throw new Refusal("invalid host name '" + host + "'");
      }
      host = host.toLowerCase(Locale.ROOT);
      if (host.endsWith(".")) {
        host = host.substring(0, host.length() - 1);
      }
      if (host.isEmpty() || !host.matches("[a-z0-9._-]+")) {
        throw new Refusal("invalid host name '" + host + "'");
      }
    } else {
      host = host.toLowerCase(Locale.ROOT);
    }
    return new Authority(host, port, https);
  }

  /** The address when the host is an IP literal (any IPv4 spelling, or IPv6): parsed here, never resolved. */
  private static Optional<InetAddress> literal(String host) throws Refusal {
    try {
      if (host.contains(":")) {
        return Optional.of(InetAddress.getByName("[" + host + "]")); // a literal: no lookup happens
      }
      Optional<byte[]> v4 = Ipv4Literal.parse(host);
      return v4.isEmpty() ? Optional.empty() : Optional.of(InetAddress.getByAddress(v4.get()));
    } catch (UnknownHostException e) {
      throw new Refusal("invalid IP address '" + host + "'");
    }
  }

  private static void checkName(String host) throws Refusal {
    if (FORBIDDEN_NAMES.contains(host) || FORBIDDEN_SUFFIXES.stream().anyMatch(host::endsWith)) {
      throw new Refusal("host '" + host + "' is a local or cloud-metadata name");
    }
  }

  private void checkAddress(String host, InetAddress address) throws Refusal {
    if (allowedRanges.stream().anyMatch(r -> r.contains(address))) {
      return;
    }
    String why = forbiddenBecause(address);
    if (why != null) {
      throw new Refusal("host '" + host + "' is " + address.getHostAddress() + ", " + why
          + " (not in ingest.crawl.allow)");
    }
  }

  /** Why an address may not be fetched, or null when it is public. */
  static String forbiddenBecause(InetAddress address) {
    for (CidrBlock block : FORBIDDEN) {
      if (block.contains(address)) {
        return "in the non-public range " + block;
      }
    }
    if (address instanceof Inet6Address) {
      byte[] a = address.getAddress();
      byte[] embedded = null;
      if (EMBEDS_IPV4_AT_END.stream().anyMatch(b -> b.contains(address))) {
        embedded = new byte[] {a[12], a[13], a[14], a[15]};
      } else if (SIX_TO_FOUR.contains(address)) {
        embedded = new byte[] {a[2], a[3], a[4], a[5]};
      }
      if (embedded != null) {
        try {
          String inner = forbiddenBecause(Inet4Address.getByAddress(embedded));
          return inner == null ? null : "an IPv6 form of " + Inet4Address.getByAddress(embedded).getHostAddress()
              + ", " + inner;
        } catch (UnknownHostException e) {
          return "an unparseable embedded IPv4 address";
        }
      }
    }
    return null;
  }
}

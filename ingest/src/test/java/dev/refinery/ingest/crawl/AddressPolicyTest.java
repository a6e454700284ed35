package dev.refinery.ingest.crawl;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SSRF guard alone, with a scripted resolver: no network. */
class AddressPolicyTest {
  private final List<String> lookups = new ArrayList<>();

  private HostResolver dns(Map<String, List<String>> answers) {
    return host -> {
      lookups.add(host);
      List<String> a = answers.get(host);
      if (a == null) {
        throw new UnknownHostException(host);
      }
      List<InetAddress> out = new ArrayList<>();
      for (String ip : a) {
        out.add(InetAddress.getByName(ip)); // literals only: no real lookup
      }
      return out;
    };
  }

  /** Every loopback, private, link-local, metadata and reserved spelling is refused before any lookup. */
  @Test
  void refusesEveryNonPublicAddressFormWithoutDns() {
    AddressPolicy policy = new AddressPolicy(List.of(), dns(Map.of()));
    List<String> urls = List.of(
        "http://127.0.0.1/", "http://127.0.0.1:8080/x", "http://127.255.255.254/",
        "http://2130706433/", "http://0177.0.0.1/", "http://0x7f.1/", "http://0x7f000001/", "http://127.1/",
        "http://0177.1/", "http://017700000001/", "http://127.0.1/", "http://0x7F.0.0.1/", "http://127.0.0.1./",
        "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/", "http://[0:0:0:0:0:ffff:127.0.0.1]/",
        "http://[::127.0.0.1]/", "http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::]/",
        "http://0.0.0.0/", "http://0/", "http://[::]/",
        "http://10.0.0.1/", "http://172.16.5.4/", "http://172.31.255.255/", "http://192.168.1.1/",
        "http://100.64.0.1/", "http://100.127.255.255/",
        "http://169.254.169.254/latest/meta-data/", "http://2852039166/", "http://0xa9fea9fe/",
        "http://[::ffff:169.254.169.254]/", "http://[fe80::1]/", "http://[fc00::1]/", "http://[fd00:ec2::254]/",
        "http://224.0.0.1/", "http://[ff02::1]/", "http://255.255.255.255/", "http://192.0.2.1/",
        "http://localhost/", "http://LOCALHOST./", "http://foo.localhost/", "http://metadata.google.internal/",
        "http://metadata/", "http://instance-data/", "http://printer.local/",
        "ftp://example.org/", "file:///etc/passwd", "gopher://example.org/", "http://user:pw@example.org/",
        "http://example.org@127.0.0.1/", "http://127.0.0.%31/", "http://[fe80::1%25eth0]/",
        "http://1.2.3.4.5/", "http://256.1.1.1/", "http://08.0.0.1/", "http://example.org:0/");
    for (String url : urls) {
      URI uri = URI.create(url);
      Refusal pre = assertThrows(Refusal.class, () -> policy.precheck(uri), url);
      Refusal at = assertThrows(Refusal.class, () -> policy.destination(uri), url);
      assertEquals(pre.reason(), at.reason(), url);
    }
    assertEquals(List.of(), lookups, "no URL above may reach DNS");
  }

  @Test
  void refusesNamesThatResolveToForbiddenAddressesAndPinsTheCheckedAnswer() throws Exception {
    AddressPolicy policy = new AddressPolicy(List.of(), dns(Map.of(
        "public.test", List.of("93.184.216.34"),
        "inside.test", List.of("10.1.2.3"),
        "mixed.test", List.of("93.184.216.34", "127.0.0.1"),
        "mapped.test", List.of("::ffff:169.254.169.254"),
        "six.test", List.of("2606:2800:220:1:248:1893:25c8:1946"))));
    Destination d = policy.destination(URI.create("https://public.test/page?q=1"));
    assertEquals(InetAddress.getByName("93.184.216.34"), d.address());
    assertEquals("public.test", d.hostHeader());
    assertEquals("/page?q=1", d.requestTarget());
    assertDoesNotThrow(() -> policy.destination(URI.create("http://six.test/")));
    assertThrows(Refusal.class, () -> policy.destination(URI.create("http://inside.test/")));
    Refusal mixed = assertThrows(Refusal.class, () -> policy.destination(URI.create("http://mixed.test/")));
    assertTrue(mixed.reason().contains("127.0.0.1"), mixed.reason());
    assertThrows(Refusal.class, () -> policy.destination(URI.create("http://mapped.test/")));
    assertThrows(Refusal.class, () -> policy.destination(URI.create("http://unknown.test/")));
    assertEquals(List.of("public.test", "six.test", "inside.test", "mixed.test", "mapped.test", "unknown.test"),
        lookups, "one lookup per destination");
  }

  @Test
  void allowListOpensExactlyWhatItNames() throws Exception {
    AddressPolicy policy = new AddressPolicy(List.of("127.0.0.1/32", "10.9.0.0/16", "site.test"),
        dns(Map.of("site.test", List.of("127.0.0.1"), "other.test", List.of("127.0.0.3"))));
    assertEquals(InetAddress.getByName("127.0.0.1"),
        policy.destination(URI.create("http://2130706433:8080/")).address());
    assertDoesNotThrow(() -> policy.destination(URI.create("http://10.9.200.1/")));
    assertDoesNotThrow(() -> policy.destination(URI.create("http://site.test:81/")));
    assertThrows(Refusal.class, () -> policy.destination(URI.create("http://127.0.0.2/")));
    assertThrows(Refusal.class, () -> policy.destination(URI.create("http://10.10.0.1/")));
    assertThrows(Refusal.class, () -> policy.destination(URI.create("http://other.test/")));
    assertThrows(Refusal.class, () -> policy.destination(URI.create("http://169.254.169.254/")));
  }

  @Test
  void numericHostFormsParseLikeBrowsers() throws Exception {
    assertEquals("127.0.0.1", ip("2130706433"));
    assertEquals("127.0.0.1", ip("0177.0.0.1"));
    assertEquals("127.0.0.1", ip("0x7f.1"));
    assertEquals("127.0.0.1", ip("127.1"));
    assertEquals("127.0.1.2", ip("127.0.258"));
    assertEquals("169.254.169.254", ip("0xa9.0xfe.0xa9.0xfe"));
    assertEquals("0.0.0.0", ip("0"));
    assertTrue(Ipv4Literal.parse("example.org").isEmpty());
    assertTrue(Ipv4Literal.parse("1.2.3.example").isEmpty());
    assertThrows(Refusal.class, () -> Ipv4Literal.parse("4294967296"));
    assertThrows(Refusal.class, () -> Ipv4Literal.parse("1.2.3.256"));
    assertTrue(Ipv4Literal.parse("example.0x1g").isEmpty());
  }

  private static String ip(String host) throws Exception {
    return InetAddress.getByAddress(Ipv4Literal.parse(host).orElseThrow()).getHostAddress();
  }
}

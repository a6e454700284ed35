package dev.refinery.ingest.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.ingest.crawl.CrawlEvent.Outcome;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSRF guard in real crawls against servers on loopback: a server that is not allow-listed must see no
 * request at all, whatever the spelling of its address, a redirect or a DNS answer that changes.
 */
class CrawlerSecurityTest {
  @TempDir Path tmp;

  private static Map<String, LoopbackSite.Page> secret() {
    return Map.of("/robots.txt", LoopbackSite.text("text/plain", "User-agent: *\nAllow: /\n"),
        "/admin", LoopbackSite.html("Admin", "<p>internal only</p>"),
        "/", LoopbackSite.html("Internal", "<p>internal only</p>"));
  }

  @Test
  void everySpellingOfLoopbackIsRefusedWithoutAConnection() throws Exception {
    try (LoopbackSite internal = new LoopbackSite("127.0.0.1", 0, secret())) {
      int p = internal.port();
      List<String> seeds = List.of("http://127.0.0.1:" + p + "/", "http://2130706433:" + p + "/",
          "http://0177.0.0.1:" + p + "/", "http://0x7f.1:" + p + "/", "http://127.1:" + p + "/",
          "http://0x7f000001:" + p + "/", "http://[::ffff:127.0.0.1]:" + p + "/", "http://[::1]:" + p + "/",
          "http://[::127.0.0.1]:" + p + "/", "http://0.0.0.0:" + p + "/", "http://0:" + p + "/",
          "http://localhost:" + p + "/", "http://LocalHost.:" + p + "/admin", "http://app.localhost:" + p + "/",
          "http://rebound.test:" + p + "/");
      AtomicInteger lookups = new AtomicInteger();
      HostResolver dns = host -> {
        lookups.incrementAndGet();
        return List.of(InetAddress.getByName("127.0.0.1"));
      };
      CrawlReport report = new Crawler(settings(seeds, List.of()), tmp.resolve("w"), dns).run();
      assertEquals(0, internal.total(), "the internal server was reached: " + internal.hits);
      assertEquals(seeds.size(), report.count(Outcome.REFUSED), report.counts().toString());
      assertEquals(seeds.size(), report.events().size());
      assertEquals(1, lookups.get(), "only rebound.test needs DNS (its robots.txt fetch, refused)");
      assertTrue(report.warcFiles().isEmpty());
    }
  }

  @Test
  void redirectsFromAnAllowedHostToInternalAddressesAreRefused() throws Exception {
    try (LoopbackSite internal = new LoopbackSite("127.0.0.1", 0, secret())) {
      int p = internal.port();
      Map<String, String> targets = Map.of("/r1", "http://127.0.0.1:" + p + "/admin",
          "/r2", "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
          "/r3", "http://[::ffff:127.0.0.1]:" + p + "/admin", "/r4", "http://2130706433:" + p + "/admin",
          "/r5", "http://metadata.google.internal/computeMetadata/v1/");
      Map<String, LoopbackSite.Page> pages = new HashMap<>();
      pages.put("/robots.txt", LoopbackSite.text("text/plain", "User-agent: *\nAllow: /\n"));
      targets.forEach((path, to) -> pages.put(path, LoopbackSite.redirect(to)));
      pages.put("/", LoopbackSite.html("Hub", "<a href=\"/r1\">1</a><a href=\"/r2\">2</a>"
          + "<a href=\"/r3\">3</a><a href=\"/r4\">4</a><a href=\"/r5\">5</a>"));
      // the allowed host is a name, allow-listed as such, served on loopback; its pages redirect inward
      try (LoopbackSite allowed = new LoopbackSite("127.0.0.1", 0, pages)) {
        HostResolver dns = host -> {
          assertEquals("allowed.test", host, "only the allow-listed name is ever resolved");
          return List.of(InetAddress.getByName("127.0.0.1"));
        };
        CrawlReport report = new Crawler(settings(List.of("http://allowed.test:" + allowed.port() + "/"),
            List.of("allowed.test")), tmp.resolve("w"), dns).run();
        assertEquals(0, internal.total(), "an internal target was reached: " + internal.hits);
        for (String to : targets.values()) {
          assertTrue(report.events().stream().anyMatch(e -> e.url().equals(to) && e.outcome() == Outcome.REFUSED),
              to + " not refused: " + report.events());
        }
        for (String from : targets.keySet()) {
          assertEquals(1, allowed.count(from), from);
        }
        assertEquals(5, report.count(Outcome.REFUSED), report.counts().toString());
      }
    }
  }

  /**
   * A DNS answer that flips between public-looking (127.0.0.2, allow-listed here) and loopback on every
   * lookup: the crawler connects to the answer it checked, so the loopback server is never reached; a client
   * that looked the name up again to connect would hit it on the very first fetch.
   */
  @Test
  void aDnsAnswerThatChangesAfterTheCheckCannotReachLoopback() throws Exception {
    try (LoopbackSite good = bindOrSkip("127.0.0.2", 0)) {
      LoopbackSite evil;
      try {
        evil = new LoopbackSite("127.0.0.1", good.port(), secret());
      } catch (IOException e) {
        Assumptions.abort("port " + good.port() + " busy on 127.0.0.1");
        return;
      }
      try (evil) {
        AtomicInteger lookups = new AtomicInteger();
        HostResolver flipping = host -> List.of(InetAddress.getByName(
            lookups.getAndIncrement() % 2 == 0 ? "127.0.0.2" : "127.0.0.1"));
        String base = "http://rebind.test:" + good.port();
        // one fetch through guard + fetcher: the second answer (loopback) is never used
        AddressPolicy policy = new AddressPolicy(List.of("127.0.0.2/32"), flipping);
        Destination d = policy.destination(URI.create(base + "/"));
        FetchedResponse r = new HttpFetcher("RefineryBot/0.1", 1000, 1000, 2000).get(d, 1 << 20);
        assertEquals(200, r.status());
        assertEquals(1, good.count("/"));
        assertEquals(0, evil.total());
        // the next lookup answers loopback: refused before connecting
        assertThrows(Refusal.class, () -> policy.destination(URI.create(base + "/")));

        lookups.set(0);
        CrawlReport report = new Crawler(settings(List.of(base + "/", base + "/page"), List.of("127.0.0.2/32")),
            tmp.resolve("w"), flipping).run();
        // lookups: robots.txt -> 127.0.0.2 (fetched), "/" -> 127.0.0.1 (refused), "/page" -> 127.0.0.2 (fetched)
        assertEquals(3, lookups.get(), "one lookup per fetch");
        assertEquals(0, evil.total(), "the rebound loopback server was reached: " + evil.hits);
        assertEquals(1, good.count("/robots.txt"));
        assertEquals(1, good.count("/page"));
        assertEquals(1, good.count("/"), "only the direct fetch above");
        assertTrue(report.events().stream().anyMatch(e -> e.url().equals(base + "/")
            && e.outcome() == Outcome.REFUSED && e.reason().contains("127.0.0.1")), report.events().toString());
      }
    }
  }

  private static LoopbackSite bindOrSkip(String address, int port) {
    try {
      return new LoopbackSite(address, port, Map.of(
          "/robots.txt", LoopbackSite.text("text/plain", "User-agent: *\nAllow: /\n"),
          "/", LoopbackSite.html("Public", "<p>the public page</p>"),
          "/page", LoopbackSite.html("Public 2", "<p>another public page</p>")));
    } catch (IOException e) {
      Assumptions.abort(address + " cannot be bound here (Linux routes all of 127/8 to loopback): " + e);
      return null;
    }
  }

  private CrawlSettings settings(List<String> seeds, List<String> allow) {
    StringBuilder s = new StringBuilder("[");
    seeds.forEach(x -> s.append(s.length() > 1 ? "," : "").append('"').append(x).append('"'));
    StringBuilder a = new StringBuilder("[");
    allow.forEach(x -> a.append(a.length() > 1 ? "," : "").append('"').append(x).append('"'));
    return CrawlerSiteTest.settings(tmp.resolve("out"), "ingest.crawl.seeds=" + s + "]",
        "ingest.crawl.allow=" + a + "]", "ingest.crawl.max-depth=1");
  }
}

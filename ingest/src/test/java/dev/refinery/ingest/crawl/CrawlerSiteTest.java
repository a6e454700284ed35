package dev.refinery.ingest.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.ingest.crawl.CrawlEvent.Outcome;
import dev.refinery.ingest.readers.FileReaders;
import dev.refinery.ingest.readers.IngestItem;
import dev.refinery.ingest.readers.IngestLimits;
import dev.refinery.ingest.readers.InputFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crawls a small site the test serves on 127.0.0.1 (allow-listed): robots.txt forbids /private and asks
 * for a 0.3 s Crawl-delay; the site has a redirect loop, a page slower than the read time-out, a page
 * larger than the body cap, a 404, links two and three steps deep and an external link.
 */
public class CrawlerSiteTest {
  private static final long CRAWL_DELAY_MILLIS = 300;
  @TempDir Path tmp;

  static CrawlSettings settings(Path output, String... sets) {
    List<String> all = new ArrayList<>(List.of("ingest.crawl.output=\"" + output + "\"",
        "ingest.crawl.default-delay=10ms", "ingest.crawl.read-timeout=500ms", "ingest.crawl.fetch-timeout=5s",
        "ingest.crawl.connect-timeout=1s", "ingest.crawl.concurrency=2"));
    all.addAll(List.of(sets));
    return CrawlSettings.from(RefineryConfig.load(List.of(), all));
  }

  static Map<String, LoopbackSite.Page> site() {
    Map<String, LoopbackSite.Page> pages = new HashMap<>();
    pages.put("/robots.txt", LoopbackSite.text("text/plain",
        "User-agent: *\nDisallow: /private\nCrawl-delay: 0.3\n"));
    pages.put("/", LoopbackSite.html("Home page", "<p>Welcome to the home page of the loopback test site.</p>"
        + "<a href=\"/a\">a</a> <a href=\"b\">b</a> <a href=\"/private/secret\">secret</a>"
        + " <a href=\"/loop1\">loop</a> <a href=\"/slow\">slow</a> <a href=\"/huge\">huge</a>"
        + " <a href=\"/gone\">gone</a> <a href=\"https://elsewhere.example/x\">out</a>"
        + " <a href=\"mailto:someone@example.org\">mail</a> <a href=\"/a#section\">a again</a>"));
    pages.put("/a", LoopbackSite.html("Alpha page", "<p>Alpha is the first page one link away from home.</p>"
        + "<a href=\"/c\">c</a>"));
    pages.put("/b", LoopbackSite.html("Beta page", "<p>Beta is the second page one link away from home.</p>"));
    pages.put("/c", LoopbackSite.html("Gamma page", "<p>Gamma sits two links away from the home page.</p>"
        + "<a href=\"/d\">d</a>"));
    pages.put("/d", LoopbackSite.html("Delta page", "<p>Delta is three links away: beyond max-depth.</p>"));
    pages.put("/private/secret", LoopbackSite.html("Secret", "<p>robots.txt forbids this page.</p>"));
    pages.put("/loop1", LoopbackSite.redirect("/loop2"));
    pages.put("/loop2", LoopbackSite.redirect("/loop1"));
    pages.put("/slow", e -> {
      try {
        Thread.sleep(3000);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
      LoopbackSite.send(e, 200, "text/html", "<p>too late</p>");
    });
    String huge = "<html><body><p>" + "A very long page that keeps going. ".repeat(60_000) + "</p></body></html>";
    pages.put("/huge", LoopbackSite.text("text/html", huge));
    return pages;
  }

  @Test
  void crawlsPolitelyWithinLimitsAndReplaysThroughTheWarcReader() throws Exception {
    try (LoopbackSite site = new LoopbackSite("127.0.0.1", 0, site())) {
      String root = "http://127.0.0.1:" + site.port();
      CrawlSettings s = settings(tmp.resolve("crawl"), "ingest.crawl.seeds=[\"" + root + "/\"]",
          "ingest.crawl.allow=[\"127.0.0.1/32\"]", "ingest.crawl.max-depth=2", "ingest.crawl.max-pages=50",
          "ingest.crawl.max-body-bytes=64k", "ingest.crawl.max-redirects=5");
      CrawlReport report = new Crawler(s, tmp.resolve("crawl/run1"), HostResolver.SYSTEM).run();
      Map<String, CrawlEvent> byUrl = report.events().stream()
          .collect(Collectors.toMap(CrawlEvent::url, e -> e, (a, b) -> a));

      // robots.txt: read once, the forbidden path never requested and reported as refused
      assertEquals(1, site.count("/robots.txt"));
      assertEquals(0, site.count("/private/secret"));
      assertEquals("disallowed by robots.txt", byUrl.get(root + "/private/secret").reason());
      // depth: /c (2 steps) fetched, /d (3 steps) never
      assertEquals(1, site.count("/c"));
      assertEquals(0, site.count("/d"));
      assertEquals(1L, report.linksNotFollowed().get("links on pages at ingest.crawl.max-depth"));
      assertEquals(1L, report.linksNotFollowed().get("links to other hosts (ingest.crawl.follow-external-links = false)"));
      // no page twice (the #section link is the same page)
      for (String path : List.of("/", "/a", "/b", "/loop1", "/loop2", "/huge", "/gone", "/slow")) {
        assertEquals(1, site.count(path), path);
      }
      // redirect loop detected, slow page failed on the read time-out, huge page cut at the cap
      assertTrue(report.events().stream().anyMatch(e -> e.url().equals(root + "/loop1")
          && "redirect loop".equals(e.reason())), report.events().toString());
      CrawlEvent slow = byUrl.get(root + "/slow");
      assertEquals(Outcome.FAILED, slow.outcome());
      assertEquals("read timed out (ingest.crawl.read-timeout)", slow.reason());
      CrawlEvent huge = byUrl.get(root + "/huge");
      assertEquals(Outcome.FETCHED, huge.outcome());
      assertEquals(64 * 1024, huge.bytes());
      assertEquals("body truncated at ingest.crawl.max-body-bytes", huge.reason());
      assertEquals(404, byUrl.get(root + "/gone").status());

      // politeness: one origin, so consecutive requests are at least the Crawl-delay apart (never two at once)
      List<LoopbackSite.Hit> hits = List.copyOf(site.hits);
      for (int i = 1; i < hits.size(); i++) {
        long gapMillis = (hits.get(i).nanos() - hits.get(i - 1).nanos()) / 1_000_000;
        assertTrue(gapMillis >= CRAWL_DELAY_MILLIS - 20, "gap " + gapMillis + " ms before " + hits.get(i).path());
      }

      // replay: the WARC files read back through ingest's reader give exactly the 2xx pages fetched
      Set<String> fetchedOk = report.events().stream()
          .filter(e -> e.outcome() == Outcome.FETCHED && e.status() == 200).map(CrawlEvent::url)
          .collect(Collectors.toCollection(TreeSet::new));
      assertEquals(Set.of(root + "/", root + "/a", root + "/b", root + "/c", root + "/huge"), fetchedOk);
      List<IngestItem> items = replay(report.warcFiles());
      Map<String, String> textByUrl = new HashMap<>();
      Set<String> rejected = new TreeSet<>();
      for (IngestItem item : items) {
        if (item.isReject()) {
          rejected.add(item.locator());
        } else {
          textByUrl.put(item.url(), item.text());
        }
      }
      assertEquals(fetchedOk, new TreeSet<>(textByUrl.keySet()));
      assertTrue(textByUrl.get(root + "/a").contains("Alpha is the first page one link away from home."));
      assertTrue(textByUrl.get(root + "/c").contains("Gamma sits two links away from the home page."));
      assertTrue(textByUrl.get(root + "/huge").startsWith("A very long page that keeps going."));
      // redirects and the 404 are in the WARC too, and ingest rejects them as non-2xx
      assertEquals(Set.of(root + "/loop1", root + "/loop2", root + "/gone"), rejected);
      // every response record carries a SHA-1 block digest that matches its content
      int responses = 0;
      for (Path f : report.warcFiles()) {
        try (org.netpreserve.jwarc.WarcReader reader = new org.netpreserve.jwarc.WarcReader(f)) {
          reader.calculateBlockDigest();
          for (org.netpreserve.jwarc.WarcRecord r : reader) {
            if (r instanceof org.netpreserve.jwarc.WarcResponse) {
              responses++;
              assertEquals(r.blockDigest().orElseThrow(), r.calculatedBlockDigest().orElseThrow());
            }
          }
        }
      }
      assertEquals(8, responses);
    }
  }

  @Test
  void pageLimitHoldsAndLeftoversAreReported() throws Exception {
    try (LoopbackSite site = new LoopbackSite("127.0.0.1", 0, site())) {
      String root = "http://127.0.0.1:" + site.port();
      CrawlSettings s = settings(tmp.resolve("crawl"), "ingest.crawl.seeds=[\"" + root + "/\"]",
          "ingest.crawl.allow=[\"127.0.0.1/32\"]", "ingest.crawl.max-pages=3");
      CrawlReport report = new Crawler(s, tmp.resolve("crawl/limit"), HostResolver.SYSTEM).run();
      assertEquals(3, site.total() - site.count("/robots.txt"));
      assertEquals(3, report.count(Outcome.FETCHED));
      assertTrue(report.count(Outcome.SKIPPED) >= 3, report.counts().toString());
      assertTrue(report.events().stream().filter(e -> e.outcome() == Outcome.SKIPPED)
          .allMatch(e -> e.reason().startsWith("page limit reached")));
      assertFalse(report.warcFiles().isEmpty());
    }
  }

  public static List<IngestItem> replay(List<Path> warcFiles) {
    IngestLimits limits = IngestLimits.from(RefineryConfig.defaultsOnly());
    List<IngestItem> items = new ArrayList<>();
    try (FileReaders readers = new FileReaders(limits, new Configuration())) {
      for (Path f : warcFiles) {
        Iterator<IngestItem> it = readers.read(new InputFile(f.toUri().toString(), f.getFileName().toString(),
            f.toFile().length(), f.toFile().lastModified()));
        it.forEachRemaining(items::add);
      }
    }
    return items;
  }
}

package dev.refinery.ingest.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.ingest.crawl.CrawlEvent.Outcome;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrency across origins, sitemaps, and origins that robots.txt closes. */
class CrawlerScheduleTest {
  @TempDir Path tmp;

  /** Requests in flight now, overall and per server, and the most seen at once. */
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final Map<Integer, AtomicInteger> perSite = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicInteger> maxPerSite = new ConcurrentHashMap<>();

  private Map<String, LoopbackSite.Page> slowSite(int id) {
    Map<String, LoopbackSite.Page> pages = new HashMap<>();
    pages.put("/robots.txt", LoopbackSite.text("text/plain", "User-agent: *\nAllow: /\n"));
    LoopbackSite.Page slow = e -> {
      int now = inFlight.incrementAndGet();
      maxInFlight.accumulateAndGet(now, Math::max);
      int mine = perSite.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      maxPerSite.computeIfAbsent(id, k -> new AtomicInteger()).accumulateAndGet(mine, Math::max);
      try {
        Thread.sleep(250);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
      perSite.get(id).decrementAndGet();
      inFlight.decrementAndGet();
      LoopbackSite.html("Page", "<a href=\"/1\">1</a><a href=\"/2\">2</a><a href=\"/3\">3</a>").answer(e);
    };
    for (String p : List.of("/", "/1", "/2", "/3")) {
      pages.put(p, slow);
    }
    return pages;
  }

  private CrawlReport crawl(int concurrency, LoopbackSite a, LoopbackSite b) throws Exception {
    CrawlSettings s = CrawlerSiteTest.settings(tmp.resolve("out"),
        "ingest.crawl.seeds=[\"http://127.0.0.1:" + a.port() + "/\", \"http://127.0.0.1:" + b.port() + "/\"]",
        "ingest.crawl.allow=[\"127.0.0.1/32\"]", "ingest.crawl.concurrency=" + concurrency);
    return new Crawler(s, tmp.resolve("w" + concurrency), HostResolver.SYSTEM).run();
  }

  @Test
  void originsAreFetchedInParallelButEachOneRequestAtATime() throws Exception {
    try (LoopbackSite a = new LoopbackSite("127.0.0.1", 0, slowSite(1));
        LoopbackSite b = new LoopbackSite("127.0.0.1", 0, slowSite(2))) {
      CrawlReport two = crawl(2, a, b);
      assertEquals(8, two.count(Outcome.FETCHED));
      assertEquals(2, maxInFlight.get(), "two origins, two workers: both busy at once");
      assertEquals(1, maxPerSite.get(1).get());
      assertEquals(1, maxPerSite.get(2).get());

      maxInFlight.set(0);
      CrawlReport one = crawl(1, a, b);
      assertEquals(8, one.count(Outcome.FETCHED));
      assertEquals(1, maxInFlight.get(), "one worker: never two requests at once");
    }
  }

  @Test
  void redirectChainsStopAtTheLimit() throws Exception {
    Map<String, LoopbackSite.Page> pages = new HashMap<>();
    pages.put("/robots.txt", LoopbackSite.text("text/plain", "User-agent: *\nAllow: /\n"));
    for (int i = 0; i < 9; i++) {
      pages.put("/r" + i, LoopbackSite.redirect("/r" + (i + 1)));
    }
    pages.put("/r9", LoopbackSite.html("End", "<p>the end of the chain</p>"));
    try (LoopbackSite site = new LoopbackSite("127.0.0.1", 0, pages)) {
      String root = "http://127.0.0.1:" + site.port();
      CrawlSettings s = CrawlerSiteTest.settings(tmp.resolve("out"), "ingest.crawl.seeds=[\"" + root + "/r0\"]",
          "ingest.crawl.allow=[\"127.0.0.1/32\"]", "ingest.crawl.max-redirects=3");
      CrawlReport report = new Crawler(s, tmp.resolve("w"), HostResolver.SYSTEM).run();
      for (int i = 0; i <= 3; i++) {
        assertEquals(1, site.count("/r" + i), "/r" + i);
      }
      assertEquals(0, site.count("/r4"));
      assertEquals(Map.of("fetched", 4L, "refused: more than ingest.crawl.max-redirects = 3 redirects", 1L),
          report.counts());
      assertEquals(root + "/r4", report.events().get(report.events().size() - 1).url());
    }
  }

  @Test
  void sitemapUrlsAreCrawled() throws Exception {
    Map<String, LoopbackSite.Page> pages = new HashMap<>();
    try (LoopbackSite site = new LoopbackSite("127.0.0.1", 0, pages)) {
      String root = "http://127.0.0.1:" + site.port();
      pages.put("/robots.txt", LoopbackSite.text("text/plain", "User-agent: *\nDisallow: /hidden\n"));
      pages.put("/sitemap-index.xml", LoopbackSite.text("application/xml",
          "<?xml version=\"1.0\"?><sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
              + "<sitemap><loc>" + root + "/sitemap.xml</loc></sitemap></sitemapindex>"));
      pages.put("/sitemap.xml", LoopbackSite.text("application/xml",
          "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
              + "<url><loc>" + root + "/one</loc></url><url><loc>" + root + "/two</loc></url>"
              + "<url><loc>" + root + "/hidden/three</loc></url></urlset>"));
      pages.put("/one", LoopbackSite.html("One", "<p>first listed page</p>"));
      pages.put("/two", LoopbackSite.html("Two", "<p>second listed page</p>"));
      CrawlSettings s = CrawlerSiteTest.settings(tmp.resolve("out"),
          "ingest.crawl.sitemaps=[\"" + root + "/sitemap-index.xml\"]", "ingest.crawl.allow=[\"127.0.0.1/32\"]");
      CrawlReport report = new Crawler(s, tmp.resolve("w"), HostResolver.SYSTEM).run();
      assertEquals(1, site.count("/one"));
      assertEquals(1, site.count("/two"));
      assertEquals(0, site.count("/hidden/three"));
      assertEquals(2, report.count(Outcome.FETCHED));
      assertEquals(1, report.count(Outcome.REFUSED));
    }
  }

  @Test
  void anUnreachableRobotsTxtOrAnExcessiveCrawlDelayClosesTheOrigin() throws Exception {
    try (LoopbackSite broken = new LoopbackSite("127.0.0.1", 0, Map.of(
            "/robots.txt", e -> LoopbackSite.send(e, 503, "text/plain", "busy"),
            "/", LoopbackSite.html("Home", "<p>home</p>")));
        LoopbackSite slow = new LoopbackSite("127.0.0.1", 0, Map.of(
            "/robots.txt", LoopbackSite.text("text/plain", "User-agent: *\nCrawl-delay: 3600\n"),
            "/", LoopbackSite.html("Home", "<p>home</p>")))) {
      CrawlSettings s = CrawlerSiteTest.settings(tmp.resolve("out"),
          "ingest.crawl.seeds=[\"http://127.0.0.1:" + broken.port() + "/\", \"http://127.0.0.1:" + slow.port() + "/\"]",
          "ingest.crawl.allow=[\"127.0.0.1/32\"]");
      CrawlReport report = new Crawler(s, tmp.resolve("w"), HostResolver.SYSTEM).run();
      assertEquals(0, broken.count("/"));
      assertEquals(0, slow.count("/"));
      assertEquals(Map.of("refused: robots.txt answered HTTP 503: origin treated as disallowed", 1L,
          "refused: robots.txt Crawl-delay 3600.0s exceeds ingest.crawl.max-crawl-delay", 1L), report.counts());
    }
  }
}

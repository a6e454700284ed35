package dev.refinery.ingest.crawl;

import crawlercommons.sitemaps.AbstractSiteMap;
import crawlercommons.sitemaps.SiteMap;
import crawlercommons.sitemaps.SiteMapIndex;
import crawlercommons.sitemaps.SiteMapParser;
import crawlercommons.sitemaps.SiteMapURL;
import crawlercommons.sitemaps.UnknownFormatException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * The page URLs listed by sitemaps (XML, text, RSS/Atom; indexes followed, at most {@link #MAX_SITEMAPS}
 * files). Each sitemap is fetched through the SSRF guard with the default delay between fetches; a sitemap
 * that is refused or fails becomes an event, never a silent gap.
 */
final class SitemapSeeds {
  static final int MAX_SITEMAPS = 100;

  private final AddressPolicy policy;
  private final HttpFetcher fetcher;
  private final long maxBytes;
  private final long delayMillis;

  SitemapSeeds(AddressPolicy policy, HttpFetcher fetcher, long maxBytes, long delayMillis) {
    this.policy = policy;
    this.fetcher = fetcher;
    this.maxBytes = maxBytes;
    this.delayMillis = delayMillis;
  }

  List<URI> urls(List<String> sitemaps, Consumer<CrawlEvent> events) throws InterruptedException {
    List<URI> pages = new ArrayList<>();
    Deque<URI> todo = new ArrayDeque<>();
    for (String s : sitemaps) {
      todo.add(URI.create(s));
    }
    SiteMapParser parser = new SiteMapParser(); // strict: a sitemap lists only URLs under its own path
    int fetched = 0;
    while (!todo.isEmpty() && fetched < MAX_SITEMAPS) {
      URI sitemap = todo.poll();
      if (fetched++ > 0) {
        Thread.sleep(delayMillis);
      }
      try {
        FetchedResponse r = fetcher.get(policy.destination(sitemap), maxBytes);
        if (r.status() < 200 || r.status() >= 300) {
          events.accept(CrawlEvent.notFetched(sitemap.toString(), CrawlEvent.Outcome.FAILED,
              "sitemap answered HTTP " + r.status(), 0));
          continue;
        }
        AbstractSiteMap map = parser.parseSiteMap(r.contentType(), r.body(), sitemap.toURL());
        if (map instanceof SiteMapIndex index) {
          for (AbstractSiteMap child : index.getSitemaps()) {
            todo.add(child.getUrl().toURI());
          }
        } else if (map instanceof SiteMap list) {
          for (SiteMapURL u : list.getSiteMapUrls()) {
            pages.add(u.getUrl().toURI());
          }
        }
      } catch (Refusal e) {
        events.accept(CrawlEvent.notFetched(sitemap.toString(), CrawlEvent.Outcome.REFUSED, e.reason(), 0));
      } catch (IOException | UnknownFormatException | URISyntaxException | IllegalArgumentException e) {
        events.accept(CrawlEvent.notFetched(sitemap.toString(), CrawlEvent.Outcome.FAILED,
            "sitemap: " + Failures.describe(e), 0));
      }
    }
    for (URI left : todo) {
      events.accept(CrawlEvent.notFetched(left.toString(), CrawlEvent.Outcome.SKIPPED,
          "more than " + MAX_SITEMAPS + " sitemaps", 0));
    }
    return pages;
  }
}

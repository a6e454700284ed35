package dev.refinery.ingest.crawl;

import crawlercommons.robots.BaseRobotRules;
import crawlercommons.robots.SimpleRobotRulesParser;
import java.io.IOException;
import java.net.URI;
import java.util.List;

/**
 * Fetches and parses an origin's robots.txt (RFC 9309 through crawler-commons): every hop goes through the
 * SSRF guard; up to five redirects are followed; a 4xx answer allows everything; a 5xx answer or an
 * unreachable server disallows everything; a Crawl-delay longer than the configured maximum keeps the
 * crawler off the origin rather than ignoring it.
 */
final class RobotsFetcher {
  private static final int MAX_ROBOTS_BYTES = 512 * 1024;
  private static final int MAX_ROBOTS_REDIRECTS = 5;

  private final AddressPolicy policy;
  private final HttpFetcher fetcher;
  private final String robotName;
  private final long defaultDelayMillis;
  private final long maxCrawlDelayMillis;

  RobotsFetcher(AddressPolicy policy, HttpFetcher fetcher, CrawlSettings settings) {
    this.policy = policy;
    this.fetcher = fetcher;
    this.robotName = settings.robotName();
    this.defaultDelayMillis = settings.defaultDelay().toMillis();
    this.maxCrawlDelayMillis = settings.maxCrawlDelay().toMillis();
  }

  /** The rules of the origin of {@code page}. */
  HostRules fetch(URI page) {
    URI robots = page.resolve("/robots.txt");
    // the parser's own cap would turn a long Crawl-delay into "disallow all"; the limit is applied below
    SimpleRobotRulesParser parser = new SimpleRobotRulesParser(Long.MAX_VALUE, 5);
    try {
      for (int hop = 0; hop <= MAX_ROBOTS_REDIRECTS; hop++) {
        FetchedResponse r = fetcher.get(policy.destination(robots), MAX_ROBOTS_BYTES);
        if (r.isRedirect()) {
          robots = robots.resolve(r.header("Location").orElseThrow().trim());
          continue;
        }
        if (r.status() >= 200 && r.status() < 300) {
          return withDelay(parser.parseContent(robots.toString(), r.body(), r.contentType(), List.of(robotName)));
        }
        if (r.status() >= 400 && r.status() < 500) {
          return withDelay(parser.failedFetch(r.status()));
        }
        return HostRules.denied("robots.txt answered HTTP " + r.status() + ": origin treated as disallowed");
      }
      return HostRules.denied("robots.txt redirected more than " + MAX_ROBOTS_REDIRECTS + " times");
    } catch (Refusal e) {
      return HostRules.denied(e.reason());
    } catch (IOException | IllegalArgumentException e) {
      return HostRules.denied("robots.txt unreachable (" + Failures.describe(e) + "): origin treated as disallowed");
    }
  }

  private HostRules withDelay(BaseRobotRules rules) {
    long crawlDelay = rules.getCrawlDelay();
    if (crawlDelay != BaseRobotRules.UNSET_CRAWL_DELAY && crawlDelay > maxCrawlDelayMillis) {
      return HostRules.denied("robots.txt Crawl-delay " + crawlDelay / 1000.0 + "s exceeds ingest.crawl.max-crawl-delay");
    }
    long delay = crawlDelay == BaseRobotRules.UNSET_CRAWL_DELAY ? defaultDelayMillis
        : Math.max(defaultDelayMillis, crawlDelay);
    return new HostRules(rules, null, delay);
  }
}

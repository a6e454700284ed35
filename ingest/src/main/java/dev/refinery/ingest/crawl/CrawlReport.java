package dev.refinery.ingest.crawl;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The result of a crawl: one event per URL considered, links deliberately not followed (counted), and the
 * WARC files written.
 */
public record CrawlReport(List<CrawlEvent> events, Map<String, Long> linksNotFollowed, List<Path> warcFiles) {

  /** Events per outcome and reason, e.g. {@code refused: disallowed by robots.txt -> 3}. */
  public Map<String, Long> counts() {
    Map<String, Long> counts = new TreeMap<>();
    for (CrawlEvent e : events) {
      String key = e.outcome().name().toLowerCase(java.util.Locale.ROOT)
          + (e.outcome() == CrawlEvent.Outcome.FETCHED ? "" : ": " + e.reason());
      counts.merge(key, 1L, Long::sum);
    }
    return counts;
  }

  public long count(CrawlEvent.Outcome outcome) {
    return events.stream().filter(e -> e.outcome() == outcome).count();
  }
}

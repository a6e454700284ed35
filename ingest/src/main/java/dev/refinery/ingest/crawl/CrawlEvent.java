package dev.refinery.ingest.crawl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What happened to one URL: fetched (any HTTP status), refused before any connection (SSRF guard,
 * robots.txt, redirect limits), failed (network error, time-out), or skipped (left over at the page limit).
 *
 * @param reason why it was refused, failed or skipped; for fetched pages the truncation, or null
 * @param status HTTP status, 0 when nothing was received
 * @param warcFile the WARC file holding the exchange, or null
 */
public record CrawlEvent(String url, Outcome outcome, String reason, int status, long bytes, int depth,
    String warcFile) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public enum Outcome { FETCHED, REFUSED, FAILED, SKIPPED }

  static CrawlEvent notFetched(String url, Outcome outcome, String reason, int depth) {
    return new CrawlEvent(url, outcome, reason, 0, 0, depth, null);
  }

  public String toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("url", url);
    o.put("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT));
    if (reason != null) {
      o.put("reason", reason);
    }
    if (status > 0) {
      o.put("status", status);
      o.put("bytes", bytes);
    }
    o.put("depth", depth);
    if (warcFile != null) {
      o.put("warc_file", warcFile);
    }
    return o.toString();
  }
}

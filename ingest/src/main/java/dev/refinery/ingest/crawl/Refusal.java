package dev.refinery.ingest.crawl;

/**
 * A URL the crawler will not fetch, with the reason in words (SSRF guard, robots.txt, redirect limits).
 * Thrown before any connection is opened.
 */
public final class Refusal extends Exception {
  public Refusal(String reason) {
    super(reason, null, false, false);
  }

  public String reason() {
    return getMessage();
  }
}

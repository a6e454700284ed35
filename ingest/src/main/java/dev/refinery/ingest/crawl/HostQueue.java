package dev.refinery.ingest.crawl;

import java.util.ArrayDeque;

/**
 * The pending URLs of one origin and its politeness state: at most one request in flight, and the next
 * request not before {@code nextAtNanos}. Used only by the crawl's coordinating thread.
 */
final class HostQueue {
  final String origin;
  final ArrayDeque<CrawlUrl> pending = new ArrayDeque<>();
  HostRules rules;
  boolean busy;
  long nextAtNanos;

  HostQueue(String origin) {
    this.origin = origin;
  }

  boolean ready(long now) {
    return !busy && !pending.isEmpty() && now - nextAtNanos >= 0;
  }

  /** Marks the end of a request: the next one waits the origin's delay (the default before robots.txt). */
  void finished(long now, long defaultDelayMillis) {
    busy = false;
    long delay = rules == null || rules.deny() != null ? defaultDelayMillis : rules.delayMillis();
    nextAtNanos = now + delay * 1_000_000;
  }
}

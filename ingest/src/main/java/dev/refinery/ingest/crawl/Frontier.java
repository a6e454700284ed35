package dev.refinery.ingest.crawl;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * URLs to fetch, grouped by origin (scheme://host:port) so politeness is per origin; each URL enters once.
 * Hosts are served round-robin: the ready host that waited longest goes first.
 */
final class Frontier {
  private final Map<String, HostQueue> hosts = new LinkedHashMap<>();
  private final Set<String> seen = new HashSet<>();

  /** scheme://host:port, read from the raw authority (URI.getPort() is -1 for hosts it cannot parse). */
  static String origin(URI uri) {
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    String authority = uri.getRawAuthority().toLowerCase(Locale.ROOT);
    String host = authority.replaceFirst(":\\d*$", "");
    String port = authority.length() > host.length() + 1 ? authority.substring(host.length() + 1)
        : scheme.equals("https") ? "443" : "80";
    return scheme + "://" + host + ":" + port;
  }

  /** True the first time a URL (fragment removed) is offered. */
  boolean firstSight(URI uri) {
    return seen.add(key(uri));
  }

  boolean seen(URI uri) {
    return seen.contains(key(uri));
  }

  void add(CrawlUrl url) {
    hosts.computeIfAbsent(origin(url.uri()), HostQueue::new).pending.add(url);
  }

  /** The ready host whose turn came first, or null. */
  HostQueue nextReady(long now) {
    HostQueue best = null;
    for (HostQueue h : hosts.values()) {
      if (h.ready(now) && (best == null || h.nextAtNanos - best.nextAtNanos < 0)) {
        best = h;
      }
    }
    return best;
  }

  /** Nanoseconds until some idle host with pending URLs is ready (0 if one is), or -1 when none waits. */
  long nanosUntilReady(long now) {
    long best = -1;
    for (HostQueue h : hosts.values()) {
      if (!h.busy && !h.pending.isEmpty()) {
        long wait = Math.max(0, h.nextAtNanos - now);
        best = best < 0 ? wait : Math.min(best, wait);
      }
    }
    return best;
  }

  /** Removes and returns every URL still pending. */
  List<CrawlUrl> drain() {
    List<CrawlUrl> left = new ArrayList<>();
    for (HostQueue h : hosts.values()) {
      left.addAll(h.pending);
      h.pending.clear();
    }
    return left;
  }

  private static String key(URI uri) {
    String s = uri.toString();
    int hash = s.indexOf('#');
    return hash < 0 ? s : s.substring(0, hash);
  }
}

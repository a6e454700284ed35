package dev.refinery.ingest.crawl;

import crawlercommons.robots.BaseRobotRules;

/**
 * What the crawler may do on one origin (scheme, host, port): its robots.txt rules and, when the whole
 * origin is off limits (guard refusal, robots.txt unreachable, Crawl-delay over the maximum), why.
 *
 * @param delayMillis pause between two requests to the origin
 */
record HostRules(BaseRobotRules rules, String deny, long delayMillis) {

  static HostRules denied(String reason) {
    return new HostRules(null, reason, 0);
  }

  /** Null when the URL may be fetched, else the reason it may not. */
  String refusal(String url) {
    if (deny != null) {
      return deny;
    }
    return rules.isAllowed(url) ? null : "disallowed by robots.txt";
  }
}

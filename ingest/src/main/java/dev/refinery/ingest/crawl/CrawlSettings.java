package dev.refinery.ingest.crawl;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** The {@code ingest.crawl} section of the configuration, checked once. */
public record CrawlSettings(List<String> seeds, List<String> sitemaps, int maxPages, int maxDepth,
    boolean followExternalLinks, Duration defaultDelay, Duration maxCrawlDelay, String userAgent,
    int concurrency, Duration connectTimeout, Duration readTimeout, Duration fetchTimeout, long maxBodyBytes,
    int maxRedirects, List<String> allow, Path output, long warcMaxBytes) {
  public static final String SECTION = "ingest.crawl";

  public static CrawlSettings from(RefineryConfig config) {
    RefineryConfig c = config.section(SECTION);
    CrawlSettings s = new CrawlSettings(List.copyOf(c.getStringList("seeds")),
        List.copyOf(c.getStringList("sitemaps")), c.getInt("max-pages"), c.getInt("max-depth"),
        c.getBoolean("follow-external-links"), c.getDuration("default-delay"), c.getDuration("max-crawl-delay"),
        c.getString("user-agent"), c.getInt("concurrency"), c.getDuration("connect-timeout"),
        c.getDuration("read-timeout"), c.getDuration("fetch-timeout"), c.getBytes("max-body-bytes"),
        c.getInt("max-redirects"), List.copyOf(c.getStringList("allow")), Path.of(c.getString("output")),
        c.getBytes("warc-max-bytes"));
    s.check();
    return s;
  }

  private void check() {
    if (seeds.isEmpty() && sitemaps.isEmpty()) {
      throw new RefineryException(SECTION + ".seeds and " + SECTION + ".sitemaps are both empty: set one, e.g. "
          + "--set '" + SECTION + ".seeds=[\"https://example.org/\"]'");
    }
    for (String u : seeds) {
      checkUrl("seeds", u);
    }
    for (String u : sitemaps) {
      checkUrl("sitemaps", u);
    }
    positive("max-pages", maxPages);
    positive("concurrency", concurrency);
    positive("max-body-bytes", maxBodyBytes);
    if (maxDepth < 0 || maxRedirects < 0) {
      throw new RefineryException(SECTION + ".max-depth and max-redirects must be 0 or more");
    }
    if (userAgent.isBlank() || userAgent.chars().anyMatch(ch -> ch < 0x20 || ch > 0x7e)) {
      throw new RefineryException(SECTION + ".user-agent must be printable ASCII, e.g. \"RefineryBot/0.1\"");
    }
    try {
      new AddressPolicy(allow, HostResolver.SYSTEM);
    } catch (IllegalArgumentException e) {
      throw new RefineryException(SECTION + ".allow: " + e.getMessage());
    }
  }

  private static void checkUrl(String key, String url) {
    try {
      URI u = new URI(url);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || u.getRawAuthority() == null) {
        throw new RefineryException(SECTION + "." + key + ": '" + url + "' is not an http(s) URL");
      }
    } catch (java.net.URISyntaxException e) {
      throw new RefineryException(SECTION + "." + key + ": '" + url + "' is not a URL: " + e.getMessage());
    }
  }

  private static void positive(String key, long value) {
    if (value <= 0) {
      throw new RefineryException(SECTION + "." + key + " must be positive, not " + value);
    }
  }

  /** The robots.txt product token: the User-Agent's first word before '/', lower-cased. */
  public String robotName() {
    String first = userAgent.trim().split("[\\s/]", 2)[0];
    return first.toLowerCase(Locale.ROOT);
  }
}

package dev.refinery.quality.blocklist;

import java.io.Serializable;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Blocked domains: a URL is blocked when its host is a listed domain or a subdomain of one
 * ({@code casino.example} blocks {@code www.casino.example}). Lines are domains; "#" starts a comment.
 */
public final class DomainBlockList implements Serializable {
  private final Set<String> domains;

  public DomainBlockList(Set<String> domains) {
    this.domains = Set.copyOf(domains);
  }

  public static DomainBlockList parse(List<String> lines) {
    Set<String> out = new HashSet<>();
    for (String line : lines) {
      String d = WordBlockList.stripComment(line).toLowerCase(Locale.ROOT);
      if (d.startsWith("*.")) {
        d = d.substring(2);
      }
      if (d.endsWith(".")) {
        d = d.substring(0, d.length() - 1);
      }
      if (!d.isEmpty()) {
        out.add(d);
      }
    }
    return new DomainBlockList(out);
  }

  public boolean isEmpty() {
    return domains.isEmpty();
  }

  public boolean blocks(String url) {
    String host = host(url);
    if (host == null) {
      return false;
    }
    for (String h = host; ; ) {
      if (domains.contains(h)) {
        return true;
      }
      int dot = h.indexOf('.');
      if (dot < 0) {
        return false;
      }
      h = h.substring(dot + 1);
    }
  }

  private static String host(String url) {
    if (url == null || url.isBlank()) {
      return null;
    }
    String u = url.trim();
    if (!u.contains("://")) {
      u = "http://" + u;
    }
    try {
      String h = URI.create(u.replace(" ", "%20")).getHost();
      return h == null ? null : h.toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return null; // not a URL: nothing to block
    }
  }
}

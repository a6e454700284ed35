package dev.refinery.mixing.labels;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One URL rule: a document whose host ends with one of {@code hosts} (on a label boundary), or whose
 * lower-cased URL contains a match of one of {@code urlPatterns}, belongs to {@code domain}.
 */
public record DomainRule(String domain, List<String> hosts, List<Pattern> urlPatterns) implements Serializable {
  public DomainRule {
    hosts = hosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    urlPatterns = List.copyOf(urlPatterns);
  }

  /** The origin string of the first host suffix that matches, if any. */
  public Optional<String> matchHost(String host) {
    for (String h : hosts) {
      if (host.equals(h) || host.endsWith("." + h)) {
        return Optional.of("rule:host=" + h);
      }
    }
    return Optional.empty();
  }

  /** The origin string of the first URL pattern found in the lower-cased URL, if any. */
  public Optional<String> matchUrl(String lowerUrl) {
    for (Pattern p : urlPatterns) {
      if (p.matcher(lowerUrl).find()) {
        return Optional.of("rule:url=" + p.pattern());
      }
    }
    return Optional.empty();
  }
}

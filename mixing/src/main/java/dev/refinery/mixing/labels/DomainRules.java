package dev.refinery.mixing.labels;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The ordered URL rules of {@code mixing.domains.rules}. A known host is the stronger evidence, so every
 * rule's host suffixes are tried first (in rule order), then every rule's URL patterns; first match wins.
 */
public final class DomainRules implements Serializable {
  private static final Set<String> RULE_FIELDS = Set.of("domain", "hosts", "url-patterns");

  private final List<DomainRule> rules;
  private final String defaultDomain;

  public DomainRules(List<DomainRule> rules, String defaultDomain) {
    this.rules = List.copyOf(rules);
    this.defaultDomain = defaultDomain;
  }

  /** Reads and checks {@code mixing.domains.rules} and {@code mixing.domains.default}. */
  public static DomainRules from(RefineryConfig config) {
    List<DomainRule> rules = new ArrayList<>();
    List<? extends Config> list;
    try {
      list = config.raw().getConfigList("mixing.domains.rules");
    } catch (ConfigException e) {
      throw new RefineryException("mixing.domains.rules must be a list of {domain, hosts, url-patterns}: "
          + e.getMessage());
    }
    for (int i = 0; i < list.size(); i++) {
      Config c = list.get(i);
      String where = "mixing.domains.rules[" + i + "]";
      for (String key : c.root().keySet()) {
        if (!RULE_FIELDS.contains(key)) {
          throw new RefineryException(where + " has unknown field '" + key + "'; fields are " + RULE_FIELDS);
        }
      }
      if (!c.hasPath("domain") || c.getString("domain").isBlank()) {
        throw new RefineryException(where + " needs a domain");
      }
      List<String> hosts = c.hasPath("hosts") ? c.getStringList("hosts") : List.of();
      List<Pattern> patterns = new ArrayList<>();
      for (String p : c.hasPath("url-patterns") ? c.getStringList("url-patterns") : List.<String>of()) {
        try {
          patterns.add(Pattern.compile(p));
        } catch (PatternSyntaxException e) {
          throw new RefineryException(where + ".url-patterns has a bad regular expression '" + p + "': "
              + e.getDescription());
        }
      }
      rules.add(new DomainRule(c.getString("domain"), hosts, patterns));
    }
    String def = config.getString("mixing.domains.default");
    if (def.isBlank()) {
      throw new RefineryException("mixing.domains.default must name a domain, e.g. \"web\"");
    }
    return new DomainRules(rules, def);
  }

  /** The label of a document with this URL (null or malformed URLs get the default). */
  public DomainLabel label(String url) {
    if (url != null && !url.isBlank()) {
      String lower = url.toLowerCase(Locale.ROOT);
      String host = host(lower);
      for (DomainRule r : rules) {
        var origin = r.matchHost(host);
        if (origin.isPresent()) {
          return new DomainLabel(r.domain(), origin.get());
        }
      }
      for (DomainRule r : rules) {
        var origin = r.matchUrl(lower);
        if (origin.isPresent()) {
          return new DomainLabel(r.domain(), origin.get());
        }
      }
    }
    return new DomainLabel(defaultDomain, DomainLabel.DEFAULT_ORIGIN);
  }

  /** The host of a lower-cased URL without parsing it strictly (crawled URLs are often not valid URIs). */
  static String host(String lowerUrl) {
    int start = lowerUrl.indexOf("://");
    start = start < 0 ? 0 : start + 3;
    int end = start;
    while (end < lowerUrl.length() && "/?#".indexOf(lowerUrl.charAt(end)) < 0) {
      end++;
    }
    String authority = lowerUrl.substring(start, end);
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      authority = authority.substring(at + 1);
    }
    int colon = authority.indexOf(':');
    String host = colon >= 0 ? authority.substring(0, colon) : authority;
    return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
  }
}

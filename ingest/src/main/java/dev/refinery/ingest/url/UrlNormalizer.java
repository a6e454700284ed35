package dev.refinery.ingest.url;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Canonical form of a URL, so that the same page fetched under cosmetic variants gets one id and is kept
 * once: lower-case scheme and host, no default port, no fragment, no tracking parameters (utm_*, fbclid,
 * gclid, ...), empty path as "/". Anything that does not parse as an absolute http(s) URL is returned
 * trimmed but otherwise unchanged.
 */
public final class UrlNormalizer {
  private final Pattern trackingParameter;

  /** {@code trackingParameters}: names to drop; a trailing '*' matches any suffix (e.g. {@code utm_*}). */
  public UrlNormalizer(List<String> trackingParameters) {
    List<String> alternatives = new ArrayList<>();
    for (String p : trackingParameters) {
      String name = p.toLowerCase(Locale.ROOT);
      alternatives.add(name.endsWith("*")
          ? Pattern.quote(name.substring(0, name.length() - 1)) + ".*"
          : Pattern.quote(name));
    }
    this.trackingParameter = alternatives.isEmpty()
        ? Pattern.compile("(?!)")
        : Pattern.compile(String.join("|", alternatives));
  }

  public String normalize(String url) {
    if (url == null) {
      return null;
    }
    String trimmed = url.trim();
    URI uri;
    try {
      uri = new URI(trimmed);
    } catch (URISyntaxException e) {
      return trimmed;
    }
    String scheme = uri.getScheme();
    String host = uri.getHost();
    if (scheme == null || host == null) {
      return trimmed;
    }
    scheme = scheme.toLowerCase(Locale.ROOT);
    host = host.toLowerCase(Locale.ROOT);
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    int port = uri.getPort();
    boolean defaultPort = port == -1 || ("http".equals(scheme) && port == 80)
        || ("https".equals(scheme) && port == 443);
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    StringBuilder out = new StringBuilder(trimmed.length());
    out.append(scheme).append("://");
    if (uri.getRawUserInfo() != null) {
      out.append(uri.getRawUserInfo()).append('@');
    }
    out.append(host);
    if (!defaultPort) {
      out.append(':').append(port);
    }
    out.append(path);
    String query = cleanQuery(uri.getRawQuery());
    if (!query.isEmpty()) {
      out.append('?').append(query);
    }
    return out.toString();
  }

  private String cleanQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<String> kept = new ArrayList<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = (eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
      if (!trackingParameter.matcher(name).matches()) {
        kept.add(pair);
      }
    }
    return String.join("&", kept);
  }
}

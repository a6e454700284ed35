package dev.refinery.ingest.crawl;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * The http(s) links of an HTML page, absolute, without fragments, in page order. Honours
 * {@code <meta name="robots" content="nofollow">} and {@code rel="nofollow"}.
 */
final class LinkExtractor {
  private LinkExtractor() {}

  static Set<URI> links(FetchedResponse page) throws IOException {
    Set<URI> out = new LinkedHashSet<>();
    String type = page.contentType();
    if (!type.contains("html")) {
      return out;
    }
    String charset = type.contains("charset=") ? type.substring(type.indexOf("charset=") + 8).split("[;\\s]")[0]
        .replace("\"", "") : null;
    Document doc;
    try {
      doc = Jsoup.parse(new ByteArrayInputStream(page.body()), charset, page.destination().uri().toString());
    } catch (IllegalArgumentException e) { // unknown charset name: let jsoup detect it
      doc = Jsoup.parse(new ByteArrayInputStream(page.body()), null, page.destination().uri().toString());
    }
    for (Element meta : doc.select("meta[name=robots]")) {
      if (meta.attr("content").toLowerCase(Locale.ROOT).matches(".*\\b(nofollow|none)\\b.*")) {
        return out;
      }
    }
    for (Element a : doc.select("a[href], area[href]")) {
      if (a.attr("rel").toLowerCase(Locale.ROOT).contains("nofollow")) {
        continue;
      }
      String href = a.attr("abs:href");
      int hash = href.indexOf('#');
      try {
        URI u = new URI(hash < 0 ? href : href.substring(0, hash));
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if ((scheme.equals("http") || scheme.equals("https")) && u.getRawAuthority() != null) {
          out.add(u.normalize());
        }
      } catch (URISyntaxException e) {
        // a malformed href is not a link the crawler can follow
      }
    }
    return out;
  }
}

package dev.refinery.ingest.readers;

import dev.refinery.ingest.html.ExtractedPage;
import dev.refinery.ingest.html.HtmlDecoder;
import dev.refinery.ingest.html.MainContentExtractor;
import java.util.HashMap;
import java.util.Map;

/** Raw HTML bytes (from a WARC record or a file) to main text plus title and charset for meta. */
final class HtmlPages {
  private final MainContentExtractor extractor = new MainContentExtractor();

  record Page(String text, Map<String, String> meta) {}

  Page read(byte[] bytes, String httpContentType, String url) {
    HtmlDecoder.Decoded decoded = HtmlDecoder.decode(bytes, httpContentType);
    ExtractedPage page = extractor.extract(decoded.text(), url);
    Map<String, String> meta = new HashMap<>();
    meta.put("title", page.title());
    meta.put("charset", decoded.charset());
    meta.put("charset_source", decoded.charsetSource());
    return new Page(page.text(), meta);
  }
}

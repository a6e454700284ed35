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
    ExtractedPage page;
    try {
      page = extractor.extract(decoded.text(), url);
    } catch (StackOverflowError e) {
      // the extractor walks trees without recursion, but a parser or a future heuristic may not: a page
      // that exhausts the stack is one bad document (a reject), not a fatal error that kills the executor
      throw new IllegalArgumentException("HTML nested too deeply to extract");
    }
    Map<String, String> meta = new HashMap<>();
    meta.put("title", page.title());
    meta.put("charset", decoded.charset());
    meta.put("charset_source", decoded.charsetSource());
    return new Page(page.text(), meta);
  }
}

package dev.refinery.ingest.crawl;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.netpreserve.jwarc.WarcTruncationReason;

/**
 * One HTTP exchange as received.
 *
 * @param request the request bytes as sent
 * @param warcHttp the response as stored in the WARC: status line and headers as received (transfer coding
 *     removed and Content-Length set to the stored body, the originals kept as X-Crawler-* headers), then the body
 * @param truncated why the body is incomplete, or NOT_TRUNCATED
 */
public record FetchedResponse(Destination destination, Instant date, byte[] request, int status,
    List<String[]> headers, byte[] body, WarcTruncationReason truncated, byte[] warcHttp) {

  public Optional<String> header(String name) {
    return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1].trim()).findFirst();
  }

  public String contentType() {
    return header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
  }

  public boolean isRedirect() {
    return (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)
        && header("Location").isPresent();
  }
}

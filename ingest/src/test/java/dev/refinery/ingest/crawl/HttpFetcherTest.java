package dev.refinery.ingest.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.netpreserve.jwarc.WarcTruncationReason;

/** The socket-level fetcher: chunked bodies, the body cap and the whole-fetch deadline. */
class HttpFetcherTest {
  private static final LoopbackSite.Page CHUNKED = e -> {
    e.getResponseHeaders().add("Content-Type", "text/plain");
    e.sendResponseHeaders(200, 0); // no length: the JDK server sends chunks
    try (OutputStream out = e.getResponseBody()) {
      for (int i = 0; i < 100; i++) {
        out.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    }
  };
  private static final LoopbackSite.Page TRICKLE = e -> {
    e.getResponseHeaders().add("Content-Type", "text/plain");
    e.sendResponseHeaders(200, 0);
    try (OutputStream out = e.getResponseBody()) {
      for (int i = 0; i < 60; i++) { // one byte every 100 ms: each read is quick, the whole is not
        out.write('x');
        out.flush();
        Thread.sleep(100);
      }
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
  };

  private static Destination to(LoopbackSite site, String path) throws Exception {
    return new Destination(URI.create("http://127.0.0.1:" + site.port() + path), "127.0.0.1", site.port(), false,
        InetAddress.getByName("127.0.0.1"));
  }

  @Test
  void chunkedBodiesAreDecodedAndStoredWithTheirLength() throws Exception {
    try (LoopbackSite site = new LoopbackSite("127.0.0.1", 0, Map.of("/c", CHUNKED))) {
      HttpFetcher fetcher = new HttpFetcher("RefineryBot/0.1", 1000, 1000, 5000);
      FetchedResponse r = fetcher.get(to(site, "/c"), 1 << 20);
      String body = new String(r.body(), StandardCharsets.UTF_8);
      assertTrue(body.startsWith("line 0\nline 1\n") && body.endsWith("line 99\n"), body);
      assertEquals(WarcTruncationReason.NOT_TRUNCATED, r.truncated());
      String stored = new String(r.warcHttp(), StandardCharsets.ISO_8859_1);
      assertTrue(stored.toLowerCase(java.util.Locale.ROOT).contains("\r\nx-crawler-transfer-encoding: chunked\r\n"),
          stored);
      assertTrue(stored.contains("Content-Length: " + r.body().length + "\r\n\r\nline 0"), stored);

      FetchedResponse cut = fetcher.get(to(site, "/c"), 20);
      assertEquals(20, cut.body().length);
      assertEquals(WarcTruncationReason.LENGTH, cut.truncated());
    }
  }

  @Test
  void aTricklingServerIsCutOffAtTheFetchDeadline() throws Exception {
    try (LoopbackSite site = new LoopbackSite("127.0.0.1", 0, Map.of("/t", TRICKLE))) {
      HttpFetcher fetcher = new HttpFetcher("RefineryBot/0.1", 1000, 1000, 1500);
      long start = System.nanoTime();
      DeadlineInputStream.FetchTimeout e = assertThrows(DeadlineInputStream.FetchTimeout.class,
          () -> fetcher.get(to(site, "/t"), 1 << 20));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(millis >= 1400 && millis < 4000, "took " + millis + " ms");
      assertEquals("fetch took longer than ingest.crawl.fetch-timeout", Failures.describe(e));
    }
  }

  @Test
  void theRequestNamesTheHostAndAsksForAnIdentityBody() throws Exception {
    try (LoopbackSite site = new LoopbackSite("127.0.0.1", 0, Map.of("/", LoopbackSite.html("x", "")))) {
      Destination d = new Destination(URI.create("http://site.test:" + site.port() + "/?q=1"), "site.test",
          site.port(), false, InetAddress.getByName("127.0.0.1"));
      FetchedResponse r = new HttpFetcher("RefineryBot/0.1", 1000, 1000, 5000).get(d, 1 << 20);
      String request = new String(r.request(), StandardCharsets.ISO_8859_1);
      assertEquals(List.of("GET /?q=1 HTTP/1.1", "Host: site.test:" + site.port(), "User-Agent: RefineryBot/0.1"),
          List.of(request.split("\r\n")).subList(0, 3));
      assertTrue(request.contains("Accept-Encoding: identity\r\n"));
      assertEquals(200, r.status());
    }
  }
}

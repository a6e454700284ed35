package dev.refinery.ingest.crawl;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A web site served by a test on a loopback address; it counts every request per path and notes when. */
public final class LoopbackSite implements AutoCloseable {
  /** One recorded request. */
  record Hit(String path, long nanos) {}

  /** What a path answers. */
  public interface Page {
    void answer(HttpExchange exchange) throws IOException;
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(8);
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  final List<Hit> hits = new CopyOnWriteArrayList<>();

  public LoopbackSite(String address, int port, Map<String, Page> pages) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 16);
    server.setExecutor(threads);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getRawPath();
      counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      hits.add(new Hit(path, System.nanoTime()));
      try (exchange) {
        Page page = pages.get(path);
        if (page == null) {
          send(exchange, 404, "text/plain", "not found");
        } else {
          page.answer(exchange);
        }
      } catch (IOException e) {
        // the crawler hung up (time-out, body cap): nothing to answer
      }
    });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public int count(String path) {
    AtomicInteger c = counts.get(path);
    return c == null ? 0 : c.get();
  }

  public int total() {
    return hits.size();
  }

  public static Page html(String title, String body) {
    return e -> send(e, 200, "text/html; charset=utf-8",
        "<html><head><title>" + title + "</title></head><body><h1>" + title + "</h1>" + body + "</body></html>");
  }

  public static Page text(String contentType, String body) {
    return e -> send(e, 200, contentType, body);
  }

  public static Page redirect(String location) {
    return e -> {
      e.getResponseHeaders().add("Location", location);
      e.sendResponseHeaders(302, -1);
    };
  }

  static void send(HttpExchange e, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    e.getResponseHeaders().add("Content-Type", type);
    e.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = e.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}

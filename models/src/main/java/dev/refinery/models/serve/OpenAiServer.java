package dev.refinery.models.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenAI-compatible HTTP server over {@link OpenAiEndpoints}. A fixed pool of {@code threads} handles
 * requests with a bounded queue behind it; when the queue is full the accepting thread handles the request
 * itself, which stops it accepting more (back-pressure instead of unbounded memory). Bodies above
 * {@code maxRequestBytes} get 413 without being read to the end.
 */
public final class OpenAiServer implements AutoCloseable {
  private final HttpServer http;
  private final ThreadPoolExecutor pool;
  private final OpenAiEndpoints endpoints;
  private final int maxRequestBytes;
  private final AtomicLong requests = new AtomicLong();

  private OpenAiServer(HttpServer http, ThreadPoolExecutor pool, OpenAiEndpoints endpoints, int maxRequestBytes) {
    this.http = http;
    this.pool = pool;
    this.endpoints = endpoints;
    this.maxRequestBytes = maxRequestBytes;
  }

  /** Binds {@code host:port} (port 0: any free port) and starts serving. */
  public static OpenAiServer start(OpenAiEndpoints endpoints, String host, int port, int threads, int queue,
      int maxRequestBytes) throws IOException {
    if (threads < 1 || queue < 1 || maxRequestBytes < 1) {
      throw new IllegalArgumentException("threads, queue and maxRequestBytes must be at least 1");
    }
    HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 64);
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(queue), r -> {
          Thread t = new Thread(r, "refinery-serve-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
    OpenAiServer server = new OpenAiServer(http, pool, endpoints, maxRequestBytes);
    http.createContext("/", server::exchange);
    http.setExecutor(pool);
    http.start();
    return server;
  }

  public int port() {
    return http.getAddress().getPort();
  }

  /** Base URL up to and including {@code /v1}, as OpenAI clients take it. */
  public String baseUrl() {
    return "http://" + http.getAddress().getHostString() + ":" + port() + "/v1";
  }

  /** Requests received so far, answered or refused. */
  public long requests() {
    return requests.get();
  }

  private void exchange(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    try (ex) {
      ApiResponse response;
      String declared = ex.getRequestHeaders().getFirst("Content-Length");
      String body = declared != null && parseLong(declared) > maxRequestBytes ? null : readLimited(ex.getRequestBody());
      if (body == null) {
        response = OpenAiEndpoints.error(413, "invalid_request_error", null,
            "request body exceeds the limit of " + maxRequestBytes + " bytes");
      } else {
        EventStream events = new EventStream(ex);
        response = endpoints.handle(ex.getRequestMethod(), ex.getRequestURI().getPath(), body, events);
        if (response == null) {
          events.close();
          return;
        }
      }
      byte[] bytes = response.json().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      if (response.status() == 413) {
        ex.getResponseHeaders().set("Connection", "close");
      }
      ex.sendResponseHeaders(response.status(), bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** Server-sent events on a chunked 200 response, started by the first event. */
  private static final class EventStream implements OpenAiEndpoints.EventSink {
    private final HttpExchange ex;
    private OutputStream out;

    EventStream(HttpExchange ex) {
      this.ex = ex;
    }

    @Override
    public void event(String data) {
      try {
        if (out == null) {
          ex.getResponseHeaders().set("Content-Type", "text/event-stream");
          ex.getResponseHeaders().set("Cache-Control", "no-cache");
          ex.sendResponseHeaders(200, 0);
          out = ex.getResponseBody();
        }
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("the client went away", e);
      }
    }

    @Override
    public boolean started() {
      return out != null;
    }

    void close() throws IOException {
      if (out != null) {
        out.close();
      }
    }
  }

  /** The body as UTF-8, or null when it is longer than the limit. */
  private String readLimited(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    int r;
    while ((r = in.read(chunk)) >= 0) {
      buf.write(chunk, 0, r);
      if (buf.size() > maxRequestBytes) {
        return null;
      }
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    http.stop(0);
    pool.shutdownNow();
  }
}

package dev.refinery.ingest.crawl;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.netpreserve.jwarc.WarcTruncationReason;

/**
 * A minimal HTTP/1.1 GET over a plain socket. It connects to {@link Destination#address()}, the address the
 * guard checked, as an InetSocketAddress built from that InetAddress (so nothing is resolved again: a DNS
 * answer that changes after the check cannot redirect the connection), with no proxy; the host name goes
 * only into the Host header, TLS SNI and the certificate check. java.net.http.HttpClient and
 * HttpURLConnection resolve the name themselves, which is why neither is used. Redirects are not followed
 * here: the crawler puts each target back through the guard, robots.txt and politeness.
 */
public final class HttpFetcher {
  private static final int MAX_HEADER_BYTES = 64 * 1024;

  private final String userAgent;
  private final long connectTimeoutMillis;
  private final long readTimeoutMillis;
  private final long fetchTimeoutMillis;
  private final SSLSocketFactory tls;

  /** With the JVM's default trust store. */
  public HttpFetcher(String userAgent, long connectTimeoutMillis, long readTimeoutMillis, long fetchTimeoutMillis) {
    this(userAgent, connectTimeoutMillis, readTimeoutMillis, fetchTimeoutMillis,
        (SSLSocketFactory) SSLSocketFactory.getDefault());
  }

  /** @param tls how TLS connections are made (tests pass one that trusts their own certificate) */
  public HttpFetcher(String userAgent, long connectTimeoutMillis, long readTimeoutMillis, long fetchTimeoutMillis,
      SSLSocketFactory tls) {
    this.userAgent = userAgent;
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.readTimeoutMillis = readTimeoutMillis;
    this.fetchTimeoutMillis = fetchTimeoutMillis;
    this.tls = tls;
  }

  public static HttpFetcher of(CrawlSettings s) {
    return new HttpFetcher(s.userAgent(), s.connectTimeout().toMillis(), s.readTimeout().toMillis(),
        s.fetchTimeout().toMillis());
  }

  /** GETs the destination; the body is cut after {@code maxBodyBytes} (recorded as truncated). */
  public FetchedResponse get(Destination d, long maxBodyBytes) throws IOException {
    long deadline = System.nanoTime() + fetchTimeoutMillis * 1_000_000;
    Instant date = Instant.now();
    byte[] request = request(d);
    try (Socket raw = new Socket(Proxy.NO_PROXY)) {
      raw.connect(new InetSocketAddress(d.address(), d.port()),
          (int) Math.min(connectTimeoutMillis, DeadlineInputStream.remainingMillis(deadline)));
      Socket socket = d.https() ? tls(raw, d, deadline) : raw;
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = new DeadlineInputStream(socket, new BufferedInputStream(socket.getInputStream()),
          readTimeoutMillis, deadline);
      byte[] head = readHead(in);
      int status = status(head);
      while (status >= 100 && status < 200) { // interim responses precede the real one
        head = readHead(in);
        status = status(head);
      }
      List<String[]> headers = headers(head);
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      WarcTruncationReason truncated = status == 204 || status == 304 ? WarcTruncationReason.NOT_TRUNCATED
          : readBody(in, headers, body, maxBodyBytes);
      byte[] bytes = body.toByteArray();
      return new FetchedResponse(d, date, request, status, headers, bytes, truncated, warcHttp(head, bytes));
    }
  }

  private byte[] request(Destination d) {
    String req = "GET " + d.requestTarget() + " HTTP/1.1\r\n"
        + "Host: " + d.hostHeader() + "\r\n"
        + "User-Agent: " + userAgent + "\r\n"
        + "Accept: text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5\r\n"
        + "Accept-Encoding: identity\r\n"
        + "Connection: close\r\n\r\n";
    return req.getBytes(StandardCharsets.ISO_8859_1);
  }

  private Socket tls(Socket raw, Destination d, long deadline) throws IOException {
    // layered over the socket already connected to the checked address; the name is only for SNI and the check
    SSLSocket tls = (SSLSocket) this.tls.createSocket(raw, d.host(), d.port(), true);
    SSLParameters params = tls.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the URL's host
    if (!d.host().contains(":") && !d.host().matches("[0-9.]+")) {
      params.setServerNames(List.of(new SNIHostName(d.host())));
    }
    tls.setSSLParameters(params);
    raw.setSoTimeout(DeadlineInputStream.remainingMillis(deadline));
    tls.startHandshake();
    return tls;
  }

  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int last4 = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException(head.size() == 0 ? "connection closed before any response"
            : "connection closed inside the HTTP header");
      }
      head.write(b);
      last4 = (last4 << 8) | b;
      if (last4 == 0x0d0a0d0a || (last4 & 0xffff) == 0x0a0a) {
        return head.toByteArray();
      }
      if (head.size() > MAX_HEADER_BYTES) {
        throw new IOException("HTTP header section over " + MAX_HEADER_BYTES + " bytes");
      }
    }
  }

  private static int status(byte[] head) throws IOException {
    String line = new String(head, StandardCharsets.ISO_8859_1).split("\r?\n", 2)[0];
    String[] parts = line.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("\\d{3}")) {
      throw new IOException("not an HTTP response: " + line.substring(0, Math.min(80, line.length())));
    }
    return Integer.parseInt(parts[1]);
  }

  private static List<String[]> headers(byte[] head) {
    String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r?\n");
    List<String[]> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.add(new String[] {lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()});
      }
    }
    return headers;
  }

  private static WarcTruncationReason readBody(InputStream in, List<String[]> headers, ByteArrayOutputStream body,
      long cap) throws IOException {
    String te = value(headers, "Transfer-Encoding");
    if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      return readChunked(in, body, cap);
    }
    String cl = value(headers, "Content-Length");
    long length = cl != null && cl.trim().matches("\\d{1,18}") ? Long.parseLong(cl.trim()) : -1;
    WarcTruncationReason r = copy(in, body, length < 0 ? Long.MAX_VALUE : length, cap);
    if (r == WarcTruncationReason.NOT_TRUNCATED && length >= 0 && body.size() < length) {
      return WarcTruncationReason.DISCONNECT;
    }
    return r;
  }

  private static WarcTruncationReason readChunked(InputStream in, ByteArrayOutputStream body, long cap)
      throws IOException {
    while (true) {
      String line = line(in);
      if (line == null) {
        return WarcTruncationReason.DISCONNECT;
      }
      String size = line.split(";", 2)[0].trim();
      if (!size.matches("[0-9a-fA-F]{1,15}")) {
        throw new IOException("malformed chunk size '" + size + "'");
      }
      long n = Long.parseLong(size, 16);
      if (n == 0) {
        return WarcTruncationReason.NOT_TRUNCATED; // trailers are not needed
      }
      int before = body.size();
      WarcTruncationReason r = copy(in, body, n, cap);
      if (r != WarcTruncationReason.NOT_TRUNCATED) {
        return r;
      }
      if (body.size() - before < n) {
        return WarcTruncationReason.DISCONNECT;
      }
      line(in);
    }
  }

  /** Copies up to {@code length} bytes, stopping at {@code cap} in total (LENGTH) or at end of stream. */
  private static WarcTruncationReason copy(InputStream in, ByteArrayOutputStream body, long length, long cap)
      throws IOException {
    byte[] buf = new byte[8192];
    long left = length;
    while (left > 0) {
      long room = cap - body.size();
      if (room <= 0) {
        return WarcTruncationReason.LENGTH;
      }
      int n = in.read(buf, 0, (int) Math.min(buf.length, Math.min(left, room)));
      if (n < 0) {
        return WarcTruncationReason.NOT_TRUNCATED;
      }
      body.write(buf, 0, n);
      left -= n;
    }
    return WarcTruncationReason.NOT_TRUNCATED;
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder s = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (s.length() > 4096) {
        throw new IOException("chunk header line too long");
      }
      if (b != '\r') {
        s.append((char) b);
      }
    }
    return b < 0 && s.length() == 0 ? null : s.toString();
  }

  private static String value(List<String[]> headers, String name) {
    return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst().orElse(null);
  }

  /** The response as stored: framing headers replaced by the stored body's length (as StormCrawler does). */
  private static byte[] warcHttp(byte[] head, byte[] body) {
    String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r?\n");
    StringBuilder s = new StringBuilder(lines[0]).append("\r\n");
    for (int i = 1; i < lines.length; i++) {
      String l = lines[i];
      if (l.isEmpty()) {
        continue;
      }
      String name = l.contains(":") ? l.substring(0, l.indexOf(':')).trim().toLowerCase(Locale.ROOT) : "";
      s.append(name.equals("transfer-encoding") || name.equals("content-length") ? "X-Crawler-" + l : l)
          .append("\r\n");
    }
    s.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    byte[] h = s.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[h.length + body.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(body, 0, all, h.length, body.length);
    return all;
  }
}

package dev.refinery.ingest.crawl;

import java.net.InetAddress;
import java.net.URI;

/**
 * Where one fetch goes: the URL, its host (for the Host header, SNI and certificate check) and the one
 * address the guard checked, which is the address the socket connects to.
 */
public record Destination(URI uri, String host, int port, boolean https, InetAddress address) {

  /** The Host header value: the port only when it is not the scheme's default. */
  String hostHeader() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return port == (https ? 443 : 80) ? h : h + ":" + port;
  }

  /** Path and query as sent on the request line. */
  String requestTarget() {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
  }
}

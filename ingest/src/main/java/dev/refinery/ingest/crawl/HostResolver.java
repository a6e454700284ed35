package dev.refinery.ingest.crawl;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name into addresses. Injectable so tests can play a DNS server whose answer changes between
 * two lookups (rebinding); the crawler asks it exactly once per fetch and connects to the address it checked.
 */
@FunctionalInterface
public interface HostResolver {
  HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

  List<InetAddress> resolve(String host) throws UnknownHostException;
}

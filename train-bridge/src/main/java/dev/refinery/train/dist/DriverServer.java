package dev.refinery.train.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A socket the driver listens on for its trainers ({@link ConsoleRelay}, {@link Rendezvous}): on the driver's bind
 * address, an ephemeral port, each connection handed to its own daemon thread.
 */
final class DriverServer implements AutoCloseable {
  private final ServerSocket server;
  private final Thread acceptor;
  private final List<Thread> handlers = new ArrayList<>();
  private volatile boolean closing;

  /** Listens on {@code host}; {@code what} names the server in thread names and in the error when it cannot. */
  DriverServer(String host, String what, Consumer<Socket> handler) {
    try {
      server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
      server.setSoTimeout(100); // so the acceptor notices close() between connections
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the " + what + " on " + host, e);
    }
    String name = what.replace(' ', '-');
    acceptor = new Thread(() -> accept(handler, name), name);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept(Consumer<Socket> handler, String name) {
    while (true) {
      Socket s;
      try {
        s = server.accept();
      } catch (SocketTimeoutException e) {
        if (closing) {
          return; // nothing left in the backlog
        }
        continue;
      } catch (IOException e) {
        return; // closed
      }
      Thread t = new Thread(() -> handler.accept(s), name + "-connection");
      t.setDaemon(true);
      synchronized (handlers) {
        handlers.add(t);
      }
      t.start();
    }
  }

  /**
   * Stops listening once the connections already made are accepted (a trainer that connected just before may still
   * wait in the backlog), then waits for their handlers, up to five seconds each.
   */
  @Override
  public void close() {
    closing = true;
    try {
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      server.close();
    } catch (IOException e) {
      // nothing to release
    }
    List<Thread> all;
    synchronized (handlers) {
      all = new ArrayList<>(handlers);
    }
    for (Thread t : all) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}

package dev.refinery.train.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A socket the driver listens on for its trainers ({@link ConsoleRelay}, {@link Rendezvous}): on the driver's bind
 * address, an ephemeral port, each connection handed to its own daemon thread. The acceptor blocks in
 * {@code accept} (no polling while trainers run); {@link #close} wakes it with a connection of its own, which
 * queues behind any trainer's that is still waiting in the backlog, so those are served first.
 */
final class DriverServer implements AutoCloseable {
  private final ServerSocket server;
  private final Thread acceptor;
  private final List<Thread> handlers = new ArrayList<>();
  /** The local address of {@link #close}'s wake-up connection, once it has one (null: not closing). */
  private volatile SocketAddress wakeAddress;

  /** Listens on {@code host}; {@code what} names the server in thread names and in the error when it cannot. */
  DriverServer(String host, String what, Consumer<Socket> handler) {
    try {
      server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
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
      } catch (IOException e) {
        return; // closed
      }
      if (s.getRemoteSocketAddress().equals(wakeAddress)) {
        closeQuietly(s);
        return; // close()'s own connection: nothing is left in the backlog before it
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
    InetAddress self = server.getInetAddress().isAnyLocalAddress() ? InetAddress.getLoopbackAddress()
        : server.getInetAddress();
    try (Socket wake = new Socket()) {
      wake.bind(new InetSocketAddress(self, 0));
      wakeAddress = wake.getLocalSocketAddress();
      wake.connect(new InetSocketAddress(self, server.getLocalPort()), 5_000);
      acceptor.join(5_000);
    } catch (IOException e) {
      // the driver cannot connect to its own port: stop listening without serving the backlog
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeQuietly(server);
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

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // nothing to release
    }
  }
}

package dev.refinery.train.dist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Rank 0's progress lines on the driver's console. On a cluster a trainer's {@code System.out} is its executor's
 * stdout file, which the user running {@code refinery train} never sees; so the driver listens on its own host
 * (the address executors already reach it at) and prints every line a trainer sends. Local mode takes the same
 * path, so both show the same lines. A trainer that cannot reach the relay prints to its own stdout instead.
 */
public final class ConsoleRelay implements AutoCloseable {
  private final PrintStream console;
  private final DriverServer server;

  /** Listens on {@code host} (the driver's bind address), printing what arrives on {@code console}. */
  public ConsoleRelay(String host, PrintStream console) {
    this.console = console;
    server = new DriverServer(host, "trainer console relay", this::copyLines);
  }

  /** Where trainers send their lines: the driver's advertised host and this relay's port. */
  public Address address(String advertisedHost) {
    return new Address(advertisedHost, server.port());
  }

  private void copyLines(Socket s) {
    try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        console.println(line);
      }
    } catch (IOException e) {
      // a trainer that died mid-line: its stage fails and reports why; what arrived is printed
    }
    console.flush();
  }

  /** Stops listening, after printing every line of the trainers that have finished (they closed their end). */
  @Override
  public void close() {
    server.close();
  }

  /** The relay as a trainer sees it; {@link #open} connects (serialisable, shipped with the barrier task). */
  public record Address(String host, int port) implements Serializable {
    /** A stream whose lines reach the driver's console, or this JVM's stdout when the driver is unreachable. */
    public PrintStream open(int timeoutMs) {
      try {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), timeoutMs);
        s.shutdownInput();
        OutputStream out = s.getOutputStream();
        return new PrintStream(out, true, StandardCharsets.UTF_8) {
          @Override
          public void close() {
            super.close();
            try {
              s.close();
            } catch (IOException e) {
              // already closed
            }
          }
        };
      } catch (IOException e) {
        System.out.println("trainer console relay " + host + ":" + port + " unreachable (" + e.getMessage()
            + "); progress goes to this executor's stdout");
        return new PrintStream(System.out, true, StandardCharsets.UTF_8) {
          @Override
          public void close() {
            flush(); // never close this JVM's stdout
          }
        };
      }
    }
  }
}

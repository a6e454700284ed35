package dev.refinery.train.dist;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Where the trainers of a barrier stage learn each other's ring addresses: on the driver, like
 * {@link ConsoleRelay}. Each trainer sends its stage attempt, rank and address; when every trainer of that attempt
 * has, each gets all addresses in rank order. It does what {@code BarrierTaskContext.allGather} does, without its
 * wait: Spark 4.0's barrier calls look at their reply once a second, so an {@code allGather} and a
 * {@code barrier()} kept every training job waiting two seconds before its first step, however fast the trainers
 * met. Attempts are kept apart, so a stage that Spark re-runs meets afresh.
 */
public final class Rendezvous implements AutoCloseable {
  private final int trainers;
  private final int timeoutMs;
  /** The trainers of each stage attempt that have arrived so far, by rank (null where one has not). */
  private final Map<Integer, Arrival[]> waiting = new HashMap<>();
  private final DriverServer server;

  /** Listens on {@code host} (the driver's bind address) for {@code trainers} trainers per attempt. */
  public Rendezvous(String host, int trainers, int timeoutMs) {
    this.trainers = trainers;
    this.timeoutMs = timeoutMs;
    server = new DriverServer(host, "trainer rendezvous", this::arrive);
  }

  /** Where trainers meet: the driver's advertised host and this rendezvous' port. */
  public Address address(String advertisedHost) {
    return new Address(advertisedHost, server.port());
  }

  /** Reads one trainer's {@code attempt rank address} line; the last of an attempt to arrive answers them all. */
  private void arrive(Socket s) {
    String[] parts;
    try {
      s.setSoTimeout(timeoutMs);
      String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
      parts = line == null ? new String[0] : line.split(" ");
    } catch (IOException e) {
      close(s);
      return;
    }
    int attempt;
    int rank;
    try {
      attempt = Integer.parseInt(parts[0]);
      rank = Integer.parseInt(parts[1]);
    } catch (RuntimeException e) {
      rank = -1;
      attempt = -1;
    }
    if (parts.length != 3 || rank < 0 || rank >= trainers) {
      close(s); // not a trainer of this stage: it reads end-of-stream and stops
      return;
    }
    Arrival[] all;
    synchronized (waiting) {
      all = waiting.computeIfAbsent(attempt, a -> new Arrival[trainers]);
      if (all[rank] != null) {
        close(all[rank].socket()); // a rank that arrives twice in one attempt: its earlier connection is dead
      }
      all[rank] = new Arrival(s, parts[2]);
      for (Arrival other : all) {
        if (other == null) {
          return;
        }
      }
      waiting.remove(attempt);
    }
    StringBuilder line = new StringBuilder();
    for (Arrival a : all) {
      line.append(line.isEmpty() ? "" : " ").append(a.address());
    }
    byte[] reply = line.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    for (Arrival a : all) {
      try (Socket other = a.socket()) {
        other.getOutputStream().write(reply);
      } catch (IOException e) {
        // that trainer is gone: its stage attempt fails and Spark says why
      }
    }
  }

  /** A trainer waiting for the others: its connection and the address it announced. */
  private record Arrival(Socket socket, String address) {}

  private static void close(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  /** Stops listening and drops the trainers still waiting (they fail with a clear line). */
  @Override
  public void close() {
    server.close();
    synchronized (waiting) {
      for (Arrival[] all : waiting.values()) {
        for (Arrival a : all) {
          if (a != null) {
            close(a.socket());
          }
        }
      }
      waiting.clear();
    }
  }

  /** The rendezvous as a trainer sees it (serialisable, shipped with the barrier task). */
  public record Address(String host, int port) implements Serializable {
    /** How often a waiting trainer looks whether Spark has cancelled its task. */
    private static final int POLL_MS = 100;

    /**
     * Announces {@code self} as rank {@code rank} of stage attempt {@code attempt}; returns every trainer's
     * address in rank order once all have announced theirs. Fails when they have not within {@code timeoutMs},
     * or as soon as {@code cancelled} says the task was killed (another trainer of the stage failed); throws
     * {@link Unreachable} when this machine cannot connect to the driver's port.
     */
    public List<String> join(int attempt, int rank, String self, int timeoutMs, BooleanSupplier cancelled)
        throws IOException {
      long deadline = System.currentTimeMillis() + timeoutMs;
      try (Socket s = new Socket()) {
        try {
          s.connect(new InetSocketAddress(host, port), timeoutMs);
        } catch (IOException e) {
          throw new Unreachable("the driver's rendezvous at " + host + ":" + port + " is unreachable from here ("
              + e.getMessage() + ")");
        }
        s.getOutputStream().write((attempt + " " + rank + " " + self + "\n").getBytes(StandardCharsets.UTF_8));
        s.setSoTimeout(POLL_MS);
        InputStream in = s.getInputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
          int b;
          try {
            b = in.read();
          } catch (SocketTimeoutException e) {
            if (cancelled.getAsBoolean()) {
              throw new IOException("rank " + rank + ": cancelled while waiting for the other trainers");
            }
            if (System.currentTimeMillis() > deadline) {
              throw new IOException("rank " + rank + ": the other trainers did not all start within " + timeoutMs
                  + " ms (train.connect-timeout)");
            }
            continue;
          }
          if (b == '\n') {
            return List.of(line.toString(StandardCharsets.UTF_8).split(" "));
          }
          if (b < 0) {
            throw new IOException("rank " + rank + ": the driver's rendezvous at " + host + ":" + port
                + " closed before every trainer had arrived");
          }
          line.write(b);
        }
      }
    }
  }

  /** The driver's rendezvous port cannot be reached (a firewall between executors and the driver, say). */
  public static final class Unreachable extends IOException {
    Unreachable(String message) {
      super(message);
    }
  }
}

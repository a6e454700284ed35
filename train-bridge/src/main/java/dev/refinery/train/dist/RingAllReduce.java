package dev.refinery.train.dist;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Sums (or averages) a float array across the trainers of a barrier stage with a ring all-reduce over plain
 * TCP sockets, each trainer talking only to its two ring neighbours.
 *
 * <p>Why this transport: a ring moves 2(n-1)/n of the array per trainer whatever n is (bandwidth-optimal, the
 * scheme NCCL and Horovod use), it never routes gradients through the driver (the driver only relays the
 * socket addresses, through its {@link Rendezvous}), and it needs nothing beyond the JDK: DJL
 * exposes neither torch.distributed nor NCCL, and MPI would be one more cluster dependency. On GPUs the
 * gradients cross host memory, which costs a device copy per step; that is the price of a pure-JVM transport.
 *
 * <p>The reduced value of each chunk is computed once (by its owner) and then copied to everyone, so every
 * trainer ends with bit-identical results and replicas never drift apart.
 */
public final class RingAllReduce implements Closeable {
  private final int rank;
  private final int size;
  private final Socket toNext;
  private final Socket fromPrevious;
  private final DataOutputStream out;
  private final DataInputStream in;
  private final ExecutorService sender;
  /** Chunk buffers reused across exchanges (a step's chunks are all about the same size). */
  private ByteBuffer sendBuffer;
  private ByteBuffer receiveBuffer;

  private RingAllReduce(int rank, int size, Socket toNext, Socket fromPrevious) throws IOException {
    this.rank = rank;
    this.size = size;
    this.toNext = toNext;
    this.fromPrevious = fromPrevious;
    this.out = toNext == null ? null : new DataOutputStream(new BufferedOutputStream(toNext.getOutputStream(), 1 << 16));
    this.in = fromPrevious == null ? null : new DataInputStream(new BufferedInputStream(fromPrevious.getInputStream(), 1 << 16));
    this.sender = size > 1 ? Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "ring-allreduce-send-" + rank);
      t.setDaemon(true);
      return t;
    }) : null;
  }

  /** A listening socket on an ephemeral port; its port goes into the address this trainer announces. */
  public static ServerSocket listen() throws IOException {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(0));
    return s;
  }

  /**
   * Joins the ring: connects to the next rank's address ({@code host:port}, in rank order) and accepts the
   * previous rank's connection on {@code server}, both within {@code timeoutMs}.
   */
  public static RingAllReduce connect(int rank, List<String> addresses, ServerSocket server, int timeoutMs)
      throws IOException {
    int size = addresses.size();
    if (size == 1) {
      server.close();
      return new RingAllReduce(0, 1, null, null);
    }
    String next = addresses.get((rank + 1) % size);
    int colon = next.lastIndexOf(':');
    InetSocketAddress target = new InetSocketAddress(next.substring(0, colon), Integer.parseInt(next.substring(colon + 1)));
    long deadline = System.currentTimeMillis() + timeoutMs;
    Socket toNext = null;
    while (toNext == null) {
      Socket s = new Socket();
      try {
        s.connect(target, timeoutMs);
        toNext = s;
      } catch (IOException e) {
        s.close();
        if (System.currentTimeMillis() > deadline) {
          throw new IOException("rank " + rank + " cannot reach rank " + (rank + 1) % size + " at " + next, e);
        }
        sleep(50);
      }
    }
    toNext.setTcpNoDelay(true);
    server.setSoTimeout(timeoutMs);
    Socket fromPrevious;
    try {
      fromPrevious = server.accept();
    } catch (SocketTimeoutException e) {
      toNext.close();
      throw new IOException("rank " + rank + ": rank " + (rank + size - 1) % size + " did not connect within "
          + timeoutMs + " ms", e);
    } finally {
      server.close();
    }
    fromPrevious.setTcpNoDelay(true);
    return new RingAllReduce(rank, size, toNext, fromPrevious);
  }

  public int rank() {
    return rank;
  }

  public int size() {
    return size;
  }

  /** Replaces {@code data} on every trainer by the element-wise mean over all trainers. */
  public void average(float[] data) throws IOException {
    sum(data);
    if (size > 1) {
      float inv = 1f / size;
      for (int i = 0; i < data.length; i++) {
        data[i] *= inv;
      }
    }
  }

  /** Replaces {@code data} on every trainer by the element-wise sum over all trainers. */
  public void sum(float[] data) throws IOException {
    if (size == 1) {
      return;
    }
    int[] start = new int[size + 1];
    for (int c = 0; c <= size; c++) {
      start[c] = (int) ((long) data.length * c / size);
    }
    // Reduce-scatter: after n-1 steps rank r holds the full sum of chunk (r+1) mod n.
    for (int s = 0; s < size - 1; s++) {
      int send = Math.floorMod(rank - s, size);
      int recv = Math.floorMod(rank - s - 1, size);
      exchange(data, start[send], start[send + 1], start[recv], start[recv + 1], true);
    }
    // All-gather: pass the finished chunks around the ring.
    for (int s = 0; s < size - 1; s++) {
      int send = Math.floorMod(rank - s + 1, size);
      int recv = Math.floorMod(rank - s, size);
      exchange(data, start[send], start[send + 1], start[recv], start[recv + 1], false);
    }
  }

  /** Sends one chunk to the next rank while receiving one from the previous (concurrently, so no deadlock). */
  private void exchange(float[] data, int sendFrom, int sendTo, int recvFrom, int recvTo, boolean add)
      throws IOException {
    ByteBuffer outgoing = buffer(sendBuffer, sendTo - sendFrom);
    sendBuffer = outgoing;
    outgoing.asFloatBuffer().put(data, sendFrom, sendTo - sendFrom);
    Future<?> sent = sender.submit(() -> {
      out.write(outgoing.array(), 0, outgoing.limit());
      out.flush();
      return null;
    });
    ByteBuffer incoming = buffer(receiveBuffer, recvTo - recvFrom);
    receiveBuffer = incoming;
    in.readFully(incoming.array(), 0, incoming.limit());
    FloatBuffer values = incoming.asFloatBuffer();
    if (add) {
      for (int i = recvFrom; i < recvTo; i++) {
        data[i] += values.get();
      }
    } else {
      values.get(data, recvFrom, recvTo - recvFrom);
    }
    try {
      sent.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while sending to rank " + (rank + 1) % size, e);
    } catch (ExecutionException e) {
      throw new IOException("sending to rank " + (rank + 1) % size + " failed", e.getCause());
    }
  }

  /** A little-endian buffer of {@code floats} values, reusing {@code current} when it is large enough. */
  private static ByteBuffer buffer(ByteBuffer current, int floats) {
    ByteBuffer b = current != null && current.capacity() >= floats * 4 ? current
        : ByteBuffer.allocate(floats * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.clear().limit(floats * 4);
    return b;
  }

  private static void sleep(long ms) throws IOException {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while joining the ring", e);
    }
  }

  @Override
  public void close() throws IOException {
    if (sender != null) {
      sender.shutdownNow();
    }
    if (toNext != null) {
      toNext.close();
    }
    if (fromPrevious != null) {
      fromPrevious.close();
    }
  }
}

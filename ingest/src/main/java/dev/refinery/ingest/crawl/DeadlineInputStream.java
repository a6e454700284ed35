package dev.refinery.ingest.crawl;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * Reads a socket with two limits: each read waits at most the read timeout, and all reads together end at
 * the fetch deadline (a server trickling one byte per second never trips the read timeout alone).
 */
final class DeadlineInputStream extends InputStream {
  private final Socket socket;
  private final InputStream in;
  private final long readTimeoutMillis;
  private final long deadlineNanos;

  DeadlineInputStream(Socket socket, InputStream in, long readTimeoutMillis, long deadlineNanos) {
    this.socket = socket;
    this.in = in;
    this.readTimeoutMillis = readTimeoutMillis;
    this.deadlineNanos = deadlineNanos;
  }

  /** Thrown when the whole fetch outlives its deadline. */
  static final class FetchTimeout extends SocketTimeoutException {
    FetchTimeout() {
      super("fetch took longer than ingest.crawl.fetch-timeout");
    }
  }

  static int remainingMillis(long deadlineNanos) throws FetchTimeout {
    long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
    if (left <= 0) {
      throw new FetchTimeout();
    }
    return (int) Math.min(Integer.MAX_VALUE, left);
  }

  private void arm() throws IOException {
    socket.setSoTimeout((int) Math.max(1, Math.min(readTimeoutMillis, remainingMillis(deadlineNanos))));
  }

  @Override
  public int read() throws IOException {
    if (in.available() == 0) {
      arm();
    }
    try {
      return in.read();
    } catch (SocketTimeoutException e) {
      throw overDeadline() ? new FetchTimeout() : e;
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    arm();
    try {
      return in.read(b, off, len);
    } catch (SocketTimeoutException e) {
      throw overDeadline() ? new FetchTimeout() : e;
    }
  }

  /** A time-out armed with the rest of the fetch's time (shorter than the read timeout) means the deadline. */
  private boolean overDeadline() {
    return deadlineNanos - System.nanoTime() < 5_000_000; // SO_TIMEOUT is armed in whole milliseconds
  }
}

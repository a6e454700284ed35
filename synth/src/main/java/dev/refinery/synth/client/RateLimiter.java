package dev.refinery.synth.client;

import java.util.concurrent.TimeUnit;

/**
 * Spaces requests evenly at a fixed rate (no bursts): each caller reserves the next free slot and sleeps
 * until it. The global rate of a job is split over its executors, so each JVM holds one of these.
 */
public final class RateLimiter {
  private final long intervalNanos;
  private long nextFree;

  /** {@code perSecond <= 0} means unlimited. */
  public RateLimiter(double perSecond) {
    this.intervalNanos = perSecond <= 0 ? 0 : (long) (1e9 / perSecond);
    this.nextFree = System.nanoTime();
  }

  public void acquire() throws InterruptedException {
    if (intervalNanos == 0) {
      return;
    }
    long slot;
    synchronized (this) {
      long now = System.nanoTime();
      slot = Math.max(now, nextFree);
      nextFree = slot + intervalNanos;
    }
    long wait = slot - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }
}

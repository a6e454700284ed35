package dev.refinery.synth.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with full jitter (AWS architecture blog): attempt n waits a uniform random time in
 * [0, min(max, initial * 2^n)], so many executors that failed together do not retry together. A server's
 * Retry-After is a floor.
 */
public record Backoff(Duration initial, Duration max) {
  public long delayMillis(int attempt, long retryAfterMillis) {
    long cap = Math.min(max.toMillis(), initial.toMillis() << Math.min(attempt, 20));
    long jittered = cap <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cap + 1);
    return Math.max(jittered, retryAfterMillis);
  }
}

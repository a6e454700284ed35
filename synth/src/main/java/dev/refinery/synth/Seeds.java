package dev.refinery.synth;

import dev.refinery.core.text.Hashing;

/** Per-request sampling seeds derived from the run's seed and what the request is for, so re-runs repeat. */
public final class Seeds {
  private Seeds() {}

  /** A non-negative 31-bit seed (some servers reject larger ones). */
  public static long of(long base, Object... parts) {
    StringBuilder b = new StringBuilder().append(base);
    for (Object p : parts) {
      b.append('\u0000').append(p);
    }
    return Hashing.xxh64(b.toString()) & 0x7FFFFFFFL;
  }
}

package dev.refinery.ingest.langid;

/**
 * One language's n-gram log-probabilities (all orders together) in a single {@code long[]}: open addressing,
 * each slot the n-gram's 64-bit hash with its low 16 bits replaced by the quantised log-probability. Lingua
 * keeps the same data as boxed maps keyed by strings (about 1.4 GB for 75 languages with 1- to 5-grams);
 * this is 8 bytes per n-gram over a 0.75 load factor. A false hit needs 48 equal hash bits (about one in
 * 10^14 lookups).
 */
final class NgramTable {
  /** Quantisation of -ln p: 1/2048 steps, so 16 bits reach ln p = -32 (lingua's rarest n-grams are near -20). */
  private static final double SCALE = 2048.0;
  private static final long VALUE_MASK = 0xFFFFL;
  private static final double LOAD_FACTOR = 0.75;
  private final long[] slots;

  private NgramTable(long[] slots) {
    this.slots = slots;
  }

  /** A table of {@code count} entries: {@code hashes[i]} ({@link NgramHash}) has {@code probabilities[i]}. */
  static NgramTable of(long[] hashes, double[] probabilities, int count) {
    long[] slots = new long[Math.max(8, (int) Math.ceil(count / LOAD_FACTOR) + 1)];
    long quantised = 0;
    for (int i = 0; i < count; i++) {
      // lingua's models list n-grams by probability: runs of one value share one logarithm
      if (i == 0 || probabilities[i] != probabilities[i - 1]) {
        quantised = Math.min(VALUE_MASK, Math.round(-Math.log(probabilities[i]) * SCALE));
      }
      long key = keyOf(hashes[i]);
      int at = home(hashes[i], slots.length);
      while (slots[at] != 0 && (slots[at] & ~VALUE_MASK) != key) {
        at = at + 1 == slots.length ? 0 : at + 1;
      }
      slots[at] = key | quantised;
    }
    return new NgramTable(slots);
  }

  /** The table as {@link #slots()} returned it (read back from {@link LinguaModelCache}). */
  static NgramTable ofSlots(long[] slots) {
    return new NgramTable(slots);
  }

  /** The slot array itself, for {@link LinguaModelCache} (not to be changed). */
  long[] slots() {
    return slots;
  }

  /** ln p of the n-gram with this hash, or {@code 0} when the language's model lacks it. */
  double logProbability(long hash) {
    long key = keyOf(hash);
    int at = home(hash, slots.length);
    long slot;
    while ((slot = slots[at]) != 0) {
      if ((slot & ~VALUE_MASK) == key) {
        return -(slot & VALUE_MASK) / SCALE - 1e-9;
      }
      at = at + 1 == slots.length ? 0 : at + 1;
    }
    return 0;
  }

  /** Bytes held by the slot array. */
  long bytes() {
    return 8L * slots.length;
  }

  private static long keyOf(long hash) {
    long key = hash & ~VALUE_MASK;
    return key == 0 ? 1L << 16 : key;
  }

  /** Multiply-shift onto [0, length): no power-of-two rounding of the table size. */
  private static int home(long hash, int length) {
    return (int) (((hash >>> 32) * length) >>> 32);
  }
}

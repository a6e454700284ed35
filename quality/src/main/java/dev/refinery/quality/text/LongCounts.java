package dev.refinery.quality.text;

/**
 * Counts of 64-bit keys in an open-addressing table (no boxing), remembering the order in which keys
 * first appeared: the repetition signals need "most frequent, first seen on ties" as Python's
 * {@code Counter.most_common(1)} gives, over up to millions of n-grams per document.
 */
public final class LongCounts {
  private long[] keys;
  private int[] counts;
  private int[] firstSeen;
  private boolean[] used;
  private int size;
  private int arrivals;

  public LongCounts(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    keys = new long[cap];
    counts = new int[cap];
    firstSeen = new int[cap];
    used = new boolean[cap];
  }

  /** Adds one occurrence; returns the count before this one (0: first time seen). */
  public int add(long key) {
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    int slot = find(key);
    if (!used[slot]) {
      used[slot] = true;
      keys[slot] = key;
      firstSeen[slot] = arrivals++;
      size++;
    }
    return counts[slot]++;
  }

  /** True when the key was seen before (and records it when not). */
  public boolean seenBefore(long key) {
    return add(key) > 0;
  }

  /** Slot index of the most frequent key (first seen on ties), or -1 when empty. */
  public int topSlot() {
    int best = -1;
    for (int i = 0; i < keys.length; i++) {
      if (used[i] && (best < 0 || counts[i] > counts[best]
          || (counts[i] == counts[best] && firstSeen[i] < firstSeen[best]))) {
        best = i;
      }
    }
    return best;
  }

  public long keyAt(int slot) {
    return keys[slot];
  }

  public int countAt(int slot) {
    return counts[slot];
  }

  public int size() {
    return size;
  }

  private int find(long key) {
    int mask = keys.length - 1;
    int i = (int) (mix(key) & mask);
    while (used[i] && keys[i] != key) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldCounts = counts;
    int[] oldFirst = firstSeen;
    boolean[] oldUsed = used;
    keys = new long[oldKeys.length * 2];
    counts = new int[keys.length];
    firstSeen = new int[keys.length];
    used = new boolean[keys.length];
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldUsed[i]) {
        int slot = find(oldKeys[i]);
        used[slot] = true;
        keys[slot] = oldKeys[i];
        counts[slot] = oldCounts[i];
        firstSeen[slot] = oldFirst[i];
      }
    }
  }

  private static long mix(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    return x;
  }
}

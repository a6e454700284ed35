package dev.refinery.dedup;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * MinHash signatures: for each of {@code numPermutations} seeded 64-bit hash permutations, the minimum over
 * a document's shingle hashes. The fraction of equal positions of two signatures estimates the Jaccard
 * similarity of their shingle sets. Same seed, same signatures, on any machine.
 */
public final class MinHashSigner implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Shingler shingler;
  private final long[] multipliers;
  private final long[] offsets;

  public MinHashSigner(Shingler shingler, int numPermutations, long seed) {
    if (numPermutations < 1) {
      throw new IllegalArgumentException("numPermutations must be >= 1");
    }
    this.shingler = shingler;
    this.multipliers = new long[numPermutations];
    this.offsets = new long[numPermutations];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < numPermutations; i++) {
      multipliers[i] = random.nextLong() | 1L; // odd: a bijection of the 64-bit space
      offsets[i] = random.nextLong();
    }
  }

  public int numPermutations() {
    return multipliers.length;
  }

  public Shingler shingler() {
    return shingler;
  }

  /** The signature of a text; an empty array when the text has no shingle (no letters or digits). */
  public long[] sign(String text, String lang) {
    return sign(shingler.shingles(text, lang));
  }

  /** The signature of a text of unknown language (script decides words or characters). */
  public long[] sign(String text) {
    return sign(text, null);
  }

  /** The signature of a set of shingle hashes; empty for an empty set. */
  public long[] sign(long[] shingles) {
    if (shingles.length == 0) {
      return new long[0];
    }
    int k = multipliers.length;
    long[] sig = new long[k];
    // Permutation outside, shingles inside: the running minimum stays in a register and the loop is branch-free.
    for (int i = 0; i < k; i++) {
      long a = multipliers[i];
      long b = offsets[i];
      long min = Long.MAX_VALUE;
      for (long x : shingles) {
        long v = a * x + b;
        min = Math.min(min, v ^ (v >>> 31)); // xor-shift keeps it a bijection and mixes high bits into low ones
      }
      sig[i] = min;
    }
    return sig;
  }

  /** Share of equal positions: the MinHash estimate of Jaccard similarity. */
  public static double estimateJaccard(long[] a, long[] b) {
    if (a.length != b.length || a.length == 0) {
      return 0.0;
    }
    int same = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] == b[i]) {
        same++;
      }
    }
    return same / (double) a.length;
  }
}

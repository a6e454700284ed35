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
    // Four permutations per pass over the shingles: four independent running minima keep the CPU's
    // multipliers busy (one chain of multiply, xor-shift, min waits on itself); branch-free throughout.
    int i = 0;
    for (; i + 4 <= k; i += 4) {
      long a0 = multipliers[i];
      long a1 = multipliers[i + 1];
      long a2 = multipliers[i + 2];
      long a3 = multipliers[i + 3];
      long b0 = offsets[i];
      long b1 = offsets[i + 1];
      long b2 = offsets[i + 2];
      long b3 = offsets[i + 3];
      long m0 = Long.MAX_VALUE;
      long m1 = Long.MAX_VALUE;
      long m2 = Long.MAX_VALUE;
      long m3 = Long.MAX_VALUE;
      for (long x : shingles) {
        m0 = Math.min(m0, permute(a0, b0, x));
        m1 = Math.min(m1, permute(a1, b1, x));
        m2 = Math.min(m2, permute(a2, b2, x));
        m3 = Math.min(m3, permute(a3, b3, x));
      }
      sig[i] = m0;
      sig[i + 1] = m1;
      sig[i + 2] = m2;
      sig[i + 3] = m3;
    }
    for (; i < k; i++) {
      long min = Long.MAX_VALUE;
      for (long x : shingles) {
        min = Math.min(min, permute(multipliers[i], offsets[i], x));
      }
      sig[i] = min;
    }
    return sig;
  }

  /** The permutation (a, b) of x: multiply-add, then an xor-shift that mixes high bits into low ones. */
  private static long permute(long a, long b, long x) {
    long v = a * x + b;
    return v ^ (v >>> 31);
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

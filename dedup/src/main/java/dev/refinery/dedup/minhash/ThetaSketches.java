package dev.refinery.dedup.minhash;

import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.theta.CompactSketch;
import org.apache.datasketches.theta.HashIterator;
import org.apache.datasketches.theta.UpdateSketch;

/**
 * DataSketches Theta sketches of shingle sets: a compact, mergeable stand-in for the set itself, from which
 * the Jaccard similarity of two documents is estimated without their text (exact while a set is smaller than
 * the nominal entries). One instance reuses its update sketch (a hash table of 2 x nominal entries) from
 * document to document: use it in one thread.
 */
public final class ThetaSketches {
  private final UpdateSketch update;

  public ThetaSketches(int nominalEntries) {
    this.update = UpdateSketch.builder().setNominalEntries(nominalEntries).build();
  }

  /** The serialised compact sketch of one set. */
  public byte[] sketch(long[] shingles) {
    update.reset();
    for (long x : shingles) {
      update.update(x);
    }
    return update.compact().toByteArray();
  }

  /** Estimated share of the smaller set's elements that are also in the other set. */
  public static double containment(byte[] a, byte[] b) {
    long[] counts = counts(a, b);
    long smaller = Math.min(counts[0], counts[1]);
    return smaller == 0 ? 0.0 : counts[2] / (double) smaller;
  }

  /** Estimated Jaccard similarity of the sets behind two serialised sketches. */
  public static double jaccard(byte[] a, byte[] b) {
    long[] counts = counts(a, b);
    long union = counts[0] + counts[1] - counts[2];
    return union == 0 ? 1.0 : counts[2] / (double) union;
  }

  /**
   * Entries of a, of b, and of both, below the smaller of their thetas: each set sampled at the same rate, so
   * ratios of these counts estimate ratios of the sets (exact while neither sketch is in estimation mode). A
   * merge of the two sorted hash arrays: no union or intersection sketch is built per pair.
   */
  private static long[] counts(byte[] a, byte[] b) {
    CompactSketch sa = CompactSketch.wrap(Memory.wrap(a));
    CompactSketch sb = CompactSketch.wrap(Memory.wrap(b));
    long theta = Math.min(sa.getThetaLong(), sb.getThetaLong());
    long[] x = sorted(sa);
    long[] y = sorted(sb);
    long inA = 0;
    long inB = 0;
    long inBoth = 0;
    int i = 0;
    int j = 0;
    while (i < x.length && x[i] < theta || j < y.length && y[j] < theta) {
      long u = i < x.length && x[i] < theta ? x[i] : Long.MAX_VALUE;
      long v = j < y.length && y[j] < theta ? y[j] : Long.MAX_VALUE;
      if (u == v) {
        inBoth++;
        inA++;
        inB++;
        i++;
        j++;
      } else if (u < v) {
        inA++;
        i++;
      } else {
        inB++;
        j++;
      }
    }
    return new long[] {inA, inB, inBoth};
  }

  /** The sketch's hashes (non-negative longs) in ascending order. */
  private static long[] sorted(CompactSketch s) {
    long[] hashes = new long[s.getRetainedEntries(true)];
    HashIterator it = s.iterator();
    for (int n = 0; it.next(); n++) {
      hashes[n] = it.get();
    }
    if (!s.isOrdered()) {
      java.util.Arrays.sort(hashes);
    }
    return hashes;
  }
}

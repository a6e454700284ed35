package dev.refinery.dedup;

import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.theta.CompactSketch;
import org.apache.datasketches.theta.JaccardSimilarity;
import org.apache.datasketches.theta.UpdateSketch;

/**
 * DataSketches Theta sketches of shingle sets: a compact, mergeable stand-in for the set itself, from which
 * the Jaccard similarity of two documents is estimated without their text (exact while a set is smaller than
 * the nominal entries).
 */
public final class ThetaSketches {
  private ThetaSketches() {}

  public static byte[] sketch(long[] shingles, int nominalEntries) {
    UpdateSketch s = UpdateSketch.builder().setNominalEntries(nominalEntries).build();
    for (long x : shingles) {
      s.update(x);
    }
    return s.compact().toByteArray();
  }

  /** Estimated Jaccard similarity of the sets behind two serialised sketches. */
  public static double jaccard(byte[] a, byte[] b) {
    return JaccardSimilarity.jaccard(CompactSketch.wrap(Memory.wrap(a)), CompactSketch.wrap(Memory.wrap(b)))[1];
  }
}

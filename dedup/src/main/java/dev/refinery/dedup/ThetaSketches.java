package dev.refinery.dedup;

import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.theta.CompactSketch;
import org.apache.datasketches.theta.Intersection;
import org.apache.datasketches.theta.JaccardSimilarity;
import org.apache.datasketches.theta.SetOperation;
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
    CompactSketch sa = CompactSketch.wrap(Memory.wrap(a));
    CompactSketch sb = CompactSketch.wrap(Memory.wrap(b));
    Intersection both = SetOperation.builder().buildIntersection();
    both.intersect(sa);
    both.intersect(sb);
    double smaller = Math.min(sa.getEstimate(), sb.getEstimate());
    return smaller == 0 ? 0.0 : Math.min(1.0, both.getResult().getEstimate() / smaller);
  }

  /** Estimated Jaccard similarity of the sets behind two serialised sketches. */
  public static double jaccard(byte[] a, byte[] b) {
    return JaccardSimilarity.jaccard(CompactSketch.wrap(Memory.wrap(a)), CompactSketch.wrap(Memory.wrap(b)))[1];
  }
}

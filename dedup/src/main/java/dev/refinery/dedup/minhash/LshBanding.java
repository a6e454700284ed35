package dev.refinery.dedup.minhash;

import java.io.Serializable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/**
 * Locality-sensitive banding of MinHash signatures: the signature is cut into {@code bands} slices of
 * {@code rows} values; two documents become candidates when any band hashes the same. The probability of that
 * for Jaccard similarity s is 1 - (1 - s^rows)^bands, an S-curve whose midpoint is about (1/bands)^(1/rows).
 */
public record LshBanding(int bands, int rows) implements Serializable {
  public LshBanding {
    if (bands < 1 || rows < 1) {
      throw new IllegalArgumentException("bands and rows must be >= 1, got " + bands + " x " + rows);
    }
  }

  public int signatureLength() {
    return bands * rows;
  }

  /**
   * The 64-bit key of band {@code band} of a signature column: Spark's xxhash64 of the band index and the
   * band's slice of values (the index keeps equal slices in different bands apart).
   */
  public Column bandKey(Column signature, int band) {
    if (band < 0 || band >= bands) {
      throw new IllegalArgumentException("band " + band + " of " + bands);
    }
    return functions.xxhash64(functions.lit(band), functions.slice(signature, band * rows + 1, rows));
  }

  /** Probability that two documents of Jaccard similarity {@code s} share at least one band. */
  public double candidateProbability(double s) {
    return 1.0 - Math.pow(1.0 - Math.pow(s, rows), bands);
  }

  /** The similarity where the S-curve rises: about (1/bands)^(1/rows). */
  public double threshold() {
    return Math.pow(1.0 / bands, 1.0 / rows);
  }

  /**
   * The bands x rows (with bands x rows <= numPermutations) that minimise the sum of false-positive mass
   * below {@code threshold} and false-negative mass above it, each integrated over similarity (as
   * datasketch's {@code _optimal_param}, equal weights).
   */
  public static LshBanding forThreshold(double threshold, int numPermutations) {
    if (threshold <= 0 || threshold >= 1) {
      throw new IllegalArgumentException("threshold must be in (0, 1), got " + threshold);
    }
    LshBanding best = null;
    double bestError = Double.MAX_VALUE;
    for (int b = 1; b <= numPermutations; b++) {
      for (int r = 1; b * r <= numPermutations; r++) {
        LshBanding candidate = new LshBanding(b, r);
        double error = candidate.falsePositiveMass(threshold) + candidate.falseNegativeMass(threshold);
        if (error < bestError) {
          bestError = error;
          best = candidate;
        }
      }
    }
    return best;
  }

  double falsePositiveMass(double threshold) {
    return integrate(0.0, threshold, false);
  }

  double falseNegativeMass(double threshold) {
    return integrate(threshold, 1.0, true);
  }

  private double integrate(double from, double to, boolean complement) {
    int steps = 200;
    double width = (to - from) / steps;
    double sum = 0;
    for (int i = 0; i < steps; i++) {
      double s = from + (i + 0.5) * width;
      double p = candidateProbability(s);
      sum += complement ? 1.0 - p : p;
    }
    return sum * width;
  }
}

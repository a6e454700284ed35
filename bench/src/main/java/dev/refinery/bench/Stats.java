package dev.refinery.bench;

import java.util.Arrays;

/** Summary statistics of repeated measurements. */
final class Stats {
  private Stats() {}

  /** The median of {@code x} (the mean of the two middle values when their number is even). */
  static double median(double[] x) {
    double[] s = x.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }
}

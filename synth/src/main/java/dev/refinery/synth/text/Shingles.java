package dev.refinery.synth.text;

import dev.refinery.core.text.Hashing;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Hashed word n-grams of a text, for near-duplicate (Jaccard of 5-word shingles) and contamination (13-gram
 * overlap) checks. Texts shorter than n words give one shingle of the whole text.
 */
public final class Shingles {
  private Shingles() {}

  public static Set<Long> of(String text, int n) {
    List<String> w = RougeL.tokens(text);
    Set<Long> out = new HashSet<>();
    if (w.isEmpty()) {
      return out;
    }
    if (w.size() < n) {
      out.add(Hashing.xxh64(String.join(" ", w)));
      return out;
    }
    for (int i = 0; i + n <= w.size(); i++) {
      out.add(Hashing.xxh64(String.join(" ", w.subList(i, i + n))));
    }
    return out;
  }

  /** Only full n-grams (short texts give none): contamination needs a real n-word match. */
  public static Set<Long> fullGrams(String text, int n) {
    List<String> w = RougeL.tokens(text);
    Set<Long> out = new HashSet<>();
    for (int i = 0; i + n <= w.size(); i++) {
      out.add(Hashing.xxh64(String.join(" ", w.subList(i, i + n))));
    }
    return out;
  }

  public static double jaccard(Set<Long> a, Set<Long> b) {
    if (a.isEmpty() && b.isEmpty()) {
      return 1;
    }
    int inter = 0;
    Set<Long> small = a.size() <= b.size() ? a : b;
    Set<Long> large = small == a ? b : a;
    for (Long x : small) {
      if (large.contains(x)) {
        inter++;
      }
    }
    return (double) inter / (a.size() + b.size() - inter);
  }
}

package dev.refinery.synth.text;

import dev.refinery.core.text.Hashing;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Hashed word n-grams of a text (core's {@link Hashing#ngram} over the words' hashes), for the near-duplicate
 * check (Jaccard of 5-word shingles). Texts shorter than n words give one shingle of the whole text.
 */
public final class Shingles {
  private Shingles() {}

  public static Set<Long> of(String text, int n) {
    List<String> w = RougeL.tokens(text);
    long[] words = new long[w.size()];
    for (int i = 0; i < words.length; i++) {
      words[i] = Hashing.xxh64(w.get(i));
    }
    Set<Long> out = new HashSet<>();
    int len = Math.min(n, words.length);
    for (int i = 0; len > 0 && i + len <= words.length; i++) {
      out.add(Hashing.ngram(words, i, len));
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

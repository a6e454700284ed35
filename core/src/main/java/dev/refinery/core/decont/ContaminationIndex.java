package dev.refinery.core.decont;

import dev.refinery.core.text.Hashing;
import dev.refinery.core.text.TextNormalizer;
import dev.refinery.core.text.WordSplitter;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The word n-grams (13 by default, as in GPT-3's decontamination) of evaluation items; a document that shares
 * one of them with an evaluation set is contaminated. An item shorter than n words but at least
 * {@code minWords} long is matched as a whole, so short instructions still count; shorter ones are ignored
 * (too common to mean leakage). Words are lower-cased NFKC tokens; CJK characters are one token each. Dedup
 * checks documents and synth checks generated examples against the same index ({@link EvaluationSets}).
 */
public final class ContaminationIndex implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int n;
  private final int minWords;
  /** n-gram length -> hashes of the n-grams of that length. */
  private final Map<Integer, Set<Long>> grams = new HashMap<>();

  public ContaminationIndex(int n, int minWords) {
    this.n = n;
    this.minWords = minWords;
  }

  /** Adds one evaluation text (an instruction, an input, an output). */
  public void add(String evalText) {
    long[] words = wordHashes(evalText);
    if (words.length < minWords) {
      return;
    }
    int len = Math.min(n, words.length);
    Set<Long> set = grams.computeIfAbsent(len, k -> new HashSet<>());
    for (int start = 0; start + len <= words.length; start++) {
      set.add(gramHash(words, start, len));
    }
  }

  /** Number of distinct n-grams held (all lengths). */
  public int size() {
    return grams.values().stream().mapToInt(Set::size).sum();
  }

  /** True when {@code text} contains an n-gram of an evaluation item. */
  public boolean contaminates(String text) {
    if (grams.isEmpty()) {
      return false;
    }
    long[] words = wordHashes(text);
    for (Map.Entry<Integer, Set<Long>> e : grams.entrySet()) {
      int len = e.getKey();
      for (int start = 0; start + len <= words.length; start++) {
        if (e.getValue().contains(gramHash(words, start, len))) {
          return true;
        }
      }
    }
    return false;
  }

  private static long[] wordHashes(String text) {
    if (text == null) {
      return new long[0];
    }
    List<String> words = WordSplitter.words(TextNormalizer.nfkc(text).toLowerCase(Locale.ROOT));
    long[] out = new long[words.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Hashing.xxh64(words.get(i).getBytes(StandardCharsets.UTF_8), 0L);
    }
    return out;
  }

  private static long gramHash(long[] words, int start, int len) {
    return Hashing.ngram(words, start, len);
  }
}

package dev.refinery.models.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Learns byte-level BPE merges from pre-token frequencies: repeatedly merges the most frequent
 * adjacent pair (ties: smallest ids first, so training is deterministic), updating only the words
 * that contain it.
 */
public final class BpeTrainer {
  private final int vocabSize;
  private final long minPairCount;
  private final List<String> specials;

  /**
   * @param vocabSize total vocabulary including the 256 bytes and the special tokens
   * @param minPairCount stop merging when the best pair occurs fewer times than this
   */
  public BpeTrainer(int vocabSize, long minPairCount, List<String> specials) {
    if (vocabSize < 256 + specials.size()) {
      throw new IllegalArgumentException("vocabSize must be at least 256 + " + specials.size() + " special tokens");
    }
    this.vocabSize = vocabSize;
    this.minPairCount = Math.max(1, minPairCount);
    this.specials = List.copyOf(specials);
  }

  public BpeTrainer(int vocabSize) {
    this(vocabSize, 2, SpecialTokens.CHAT);
  }

  /** Pre-token counts of plain Java texts (for corpora that fit in memory). */
  public static Map<String, Long> countPreTokens(Iterable<String> texts) {
    Map<String, Long> counts = new HashMap<>();
    for (String t : texts) {
      for (String w : PreTokenizer.split(t)) {
        counts.merge(w, 1L, Long::sum);
      }
    }
    return counts;
  }

  public ByteLevelBpe train(Map<String, Long> preTokenCounts) {
    List<String> tokens = new ArrayList<>();
    for (int b = 0; b < 256; b++) {
      tokens.add(String.valueOf(ByteChars.charOf(b)));
    }
    List<int[]> words = new ArrayList<>();
    List<Long> freqs = new ArrayList<>();
    preTokenCounts.forEach(
        (w, c) -> {
          byte[] bytes = w.getBytes(java.nio.charset.StandardCharsets.UTF_8);
          int[] sym = new int[bytes.length];
          for (int i = 0; i < bytes.length; i++) {
            sym[i] = bytes[i] & 0xFF;
          }
          words.add(sym);
          freqs.add(c);
        });
    Map<Long, Long> pairCounts = new HashMap<>();
    Map<Long, Set<Integer>> where = new HashMap<>();
    for (int w = 0; w < words.size(); w++) {
      addPairs(words.get(w), freqs.get(w), w, pairCounts, where);
    }
    PriorityQueue<long[]> heap = new PriorityQueue<>(BpeTrainer::byCountThenPair);
    pairCounts.forEach((p, c) -> heap.add(new long[] {c, p}));
    List<int[]> merges = new ArrayList<>();
    int learned = vocabSize - specials.size();
    while (tokens.size() < learned && !heap.isEmpty()) {
      long[] top = heap.poll();
      long pair = top[1];
      Long current = pairCounts.get(pair);
      if (current == null || current != top[0]) {
        continue; // stale heap entry; the current count was pushed when it changed
      }
      if (current < minPairCount) {
        break;
      }
      int left = (int) (pair >>> 32);
      int right = (int) pair;
      int merged = tokens.size();
      tokens.add(tokens.get(left) + tokens.get(right));
      merges.add(new int[] {left, right});
      Set<Long> touched = new HashSet<>();
      for (int w : where.remove(pair)) {
        int[] sym = words.get(w);
        long f = freqs.get(w);
        removePairs(sym, f, pairCounts, touched);
        int[] next = applyMerge(sym, left, right, merged);
        words.set(w, next);
        addPairs(next, f, w, pairCounts, where);
        for (int i = 0; i + 1 < next.length; i++) {
          touched.add(ByteLevelBpe.pairKey(next[i], next[i + 1]));
        }
      }
      pairCounts.remove(pair);
      for (long p : touched) {
        Long c = pairCounts.get(p);
        if (c != null && p != pair) {
          heap.add(new long[] {c, p});
        }
      }
    }
    Map<String, Integer> specialIds = new LinkedHashMap<>();
    for (String s : specials) {
      specialIds.put(s, tokens.size());
      tokens.add(s);
    }
    return new ByteLevelBpe(tokens, merges, specialIds);
  }

  private static int byCountThenPair(long[] a, long[] b) {
    int c = Long.compare(b[0], a[0]);
    return c != 0 ? c : Long.compare(a[1], b[1]);
  }

  private static void addPairs(int[] sym, long f, int w, Map<Long, Long> counts, Map<Long, Set<Integer>> where) {
    for (int i = 0; i + 1 < sym.length; i++) {
      long p = ByteLevelBpe.pairKey(sym[i], sym[i + 1]);
      counts.merge(p, f, Long::sum);
      where.computeIfAbsent(p, k -> new HashSet<>()).add(w);
    }
  }

  private static void removePairs(int[] sym, long f, Map<Long, Long> counts, Set<Long> touched) {
    for (int i = 0; i + 1 < sym.length; i++) {
      long p = ByteLevelBpe.pairKey(sym[i], sym[i + 1]);
      long c = counts.merge(p, -f, Long::sum);
      if (c <= 0) {
        counts.remove(p);
      }
      touched.add(p);
    }
  }

  private static int[] applyMerge(int[] sym, int left, int right, int merged) {
    int[] out = new int[sym.length];
    int n = 0;
    for (int i = 0; i < sym.length; i++) {
      if (i + 1 < sym.length && sym[i] == left && sym[i + 1] == right) {
        out[n++] = merged;
        i++;
      } else {
        out[n++] = sym[i];
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }
}

package dev.refinery.ingest.langid;

import com.github.pemistahl.lingua.api.Language;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Lingua's uni-, bi- and trigram models of every language inverted into one table: n-gram hash to the
 * languages that know it with their ln p. One walk over a text's distinct trigrams scores every language of
 * the text's script at once, with lingua's low-accuracy rule (a trigram a language lacks backs off to its
 * bigram prefix, then to its first letter; unknown to all three adds nothing). Read once per JVM from
 * lingua's jar, like {@link NgramModels}, or from {@link LinguaModelCache}: 1.1 million entries, about 25 MB.
 */
final class TrigramIndex {
  /** A script makes up at least this share of a language's unigram probability mass to be its script. */
  private static final double SCRIPT_MASS = 0.05;
  private static final double LOAD_FACTOR = 0.6;
  private static volatile TrigramIndex instance;

  private final Language[] languages;
  private final Map<Character.UnicodeScript, boolean[]> byScript = new EnumMap<>(Character.UnicodeScript.class);
  /**
   * Open addressing over {@code capacity} slots of two longs, side by side so that a probe reads one cache line:
   * the n-gram hash (0 = empty) and its postings' range ({@code start << 16 | count}).
   */
  private final int capacity;
  private final long[] slots;
  /** One long per (n-gram, language): the float ln p's bits above, the language's number below. */
  private final long[] postings;

  private TrigramIndex() {
    List<Language> withModel = new ArrayList<>();
    List<long[]> hashLists = new ArrayList<>();
    List<float[]> logPLists = new ArrayList<>();
    int total = 0;
    for (Language language : Language.values()) {
      if (language == Language.UNKNOWN) {
        continue;
      }
      Map<Character.UnicodeScript, Double> mass = new EnumMap<>(Character.UnicodeScript.class);
      long[][] hashes = {new long[1 << 12]};
      float[][] logPs = {new float[1 << 12]};
      int[] count = {0};
      for (int order = 0; order < 3; order++) {
        boolean unigrams = order == 0;
        LinguaModelReader.forEach(language, LinguaModelReader.ORDER_FILES[order], (hash, p, first) -> {
          if (count[0] == hashes[0].length) {
            hashes[0] = Arrays.copyOf(hashes[0], count[0] * 2);
            logPs[0] = Arrays.copyOf(logPs[0], count[0] * 2);
          }
          hashes[0][count[0]] = hash;
          // ln p strictly below zero, as NgramTable stores it: a probability of 1 still counts as known
          logPs[0][count[0]] = (float) Math.min(Math.log(p), -1e-6);
          count[0]++;
          if (unigrams) {
            mass.merge(Character.UnicodeScript.of(first), p, Double::sum);
          }
        });
      }
      if (count[0] == 0) {
        continue;
      }
      int index = withModel.size();
      withModel.add(language);
      hashLists.add(Arrays.copyOf(hashes[0], count[0]));
      logPLists.add(Arrays.copyOf(logPs[0], count[0]));
      total += count[0];
      mass.forEach((script, m) -> {
        if (m >= SCRIPT_MASS) {
          byScript.computeIfAbsent(script, s -> new boolean[Language.values().length])[index] = true;
        }
      });
    }
    languages = withModel.toArray(new Language[0]);
    if (languages.length > 127) {
      throw new IllegalStateException("more languages than a posting holds: " + languages.length);
    }
    // distinct hashes, each a group; then postings laid out group by group
    long[] all = new long[total];
    int at = 0;
    for (long[] h : hashLists) {
      System.arraycopy(h, 0, all, at, h.length);
      at += h.length;
    }
    Arrays.sort(all);
    int distinct = 0;
    for (int i = 0; i < all.length; i++) {
      if (i == 0 || all[i] != all[i - 1]) {
        all[distinct++] = all[i];
      }
    }
    capacity = (int) Math.ceil(distinct / LOAD_FACTOR) + 1;
    slots = new long[2 * capacity];
    int[] groupSize = new int[distinct];
    int[] slotOf = new int[distinct];
    for (int g = 0; g < distinct; g++) {
      int slot = home(all[g]);
      while (slots[2 * slot] != 0) {
        slot = slot + 1 == capacity ? 0 : slot + 1;
      }
      slots[2 * slot] = all[g];
      slots[2 * slot + 1] = g; // the group number until the postings are placed
      slotOf[g] = slot;
    }
    for (long[] h : hashLists) {
      for (long hash : h) {
        groupSize[group(hash)]++;
      }
    }
    int[] fill = new int[distinct];
    for (int g = 0, start = 0; g < distinct; start += groupSize[g], g++) {
      fill[g] = start;
    }
    postings = new long[total];
    for (int l = 0; l < languages.length; l++) {
      long[] h = hashLists.get(l);
      float[] lp = logPLists.get(l);
      for (int i = 0; i < h.length; i++) {
        postings[fill[group(h[i])]++] = (long) Float.floatToRawIntBits(lp[i]) << 32 | l;
      }
    }
    for (int g = 0; g < distinct; g++) {
      slots[2 * slotOf[g] + 1] = (long) (fill[g] - groupSize[g]) << 16 | groupSize[g];
    }
  }

  /** The index as {@link #arrays()} gave it. */
  private TrigramIndex(long[][] arrays) {
    Language[] all = Language.values();
    languages = new Language[arrays[0].length];
    for (int l = 0; l < languages.length; l++) {
      languages[l] = all[(int) arrays[0][l]];
    }
    Character.UnicodeScript[] scripts = Character.UnicodeScript.values();
    for (long pair : arrays[1]) {
      byScript.computeIfAbsent(scripts[(int) (pair >>> 32)], s -> new boolean[all.length])[(int) pair] = true;
    }
    slots = arrays[2];
    capacity = slots.length / 2;
    postings = arrays[3];
  }

  /**
   * The index as arrays (what {@link LinguaModelCache} stores): languages (ordinals), each script's languages
   * (script ordinal << 32 | language number), slots, postings.
   */
  long[][] arrays() {
    long[] ordinals = new long[languages.length];
    for (int l = 0; l < languages.length; l++) {
      ordinals[l] = languages[l].ordinal();
    }
    long[] pairs = byScript.entrySet().stream().flatMapToLong(e -> IntStream
        .range(0, e.getValue().length).filter(l -> e.getValue()[l])
        .mapToLong(l -> (long) e.getKey().ordinal() << 32 | l)).toArray();
    return new long[][] {ordinals, pairs, slots, postings};
  }

  /** The index through {@code cache}: read from its file, or built from lingua's JSON and written there. */
  static TrigramIndex cached(LinguaModelCache cache) {
    return new TrigramIndex(cache.load("trigram-index", () -> new TrigramIndex().arrays()));
  }

  static TrigramIndex get() {
    TrigramIndex index = instance;
    if (index == null) {
      synchronized (TrigramIndex.class) {
        index = instance;
        if (index == null) {
          index = cached(LinguaModelCache.DEFAULT);
          instance = index;
        }
      }
    }
    return index;
  }

  /**
   * Languages written in {@code script} ranked by their summed trigram ln p over the text's distinct trigrams
   * (best first), with lingua's relative confidence (best sum / own sum: 1.0 for the best). Languages with no
   * known n-gram in the text are left out; empty when none is left.
   */
  List<Map.Entry<Language, Double>> rank(TextNgrams text, Character.UnicodeScript script) {
    boolean[] allowed = byScript.get(script);
    if (allowed == null) {
      return List.of();
    }
    int n = languages.length;
    double[] sums = new double[n];
    int[] stamp = new int[n];
    int pass = 0;
    for (int i : text.distinctStarts(3)) {
      pass++;
      for (int k = 3; k >= 1; k--) {
        long range = lookup(text.hash(i, k));
        for (int p = (int) (range >>> 16), end = p + (int) (range & 0xFFFF); p < end; p++) {
          long posting = postings[p];
          int l = (int) posting;
          if (stamp[l] != pass && allowed[l]) {
            stamp[l] = pass;
            sums[l] += Float.intBitsToFloat((int) (posting >>> 32));
          }
        }
      }
    }
    double best = Double.NEGATIVE_INFINITY;
    for (int l = 0; l < n; l++) {
      if (allowed[l] && sums[l] < 0) {
        best = Math.max(best, sums[l]);
      }
    }
    List<Map.Entry<Language, Double>> ranked = new ArrayList<>();
    for (int l = 0; l < n; l++) {
      if (allowed[l] && sums[l] < 0) {
        ranked.add(Map.entry(languages[l], best / sums[l]));
      }
    }
    ranked.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
    return ranked;
  }

  /** The posting range of an n-gram hash (start << 16 | count), or 0 (none) when no language knows it. */
  private long lookup(long hash) {
    if (hash == 0) {
      return 0;
    }
    int slot = home(hash);
    long key;
    while ((key = slots[2 * slot]) != 0) {
      if (key == hash) {
        return slots[2 * slot + 1];
      }
      slot = slot + 1 == capacity ? 0 : slot + 1;
    }
    return 0;
  }

  /** The group number of a distinct hash while the table is built (the slot holds it before the postings). */
  private int group(long hash) {
    return (int) lookup(hash);
  }

  private int home(long hash) {
    return (int) (((hash >>> 32) * capacity) >>> 32);
  }
}

package dev.refinery.ingest.langid;

import com.github.pemistahl.lingua.api.Language;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Lingua's high-accuracy scoring (1.2.2) over {@link NgramModels} instead of lingua's own maps, for a
 * given set of candidate languages: for each order n = 1..5, the sum over the text's distinct n-grams of
 * ln p, each n-gram backing off to its longest prefix the language knows; the orders' sums added and divided
 * by how many of the text's distinct letters the language knows. Confidences are relative to the best
 * (1.0), as lingua reports them. Unlike lingua, texts of 120 characters or more are scored with all five
 * orders too, not trigrams only (measured: 0.2 points more mean accuracy on lingua's test sentences).
 */
final class HighAccuracyScorer {
  private static final int MAX_ORDER = 5;
  private static final Pattern PUNCTUATION = Pattern.compile("\\p{P}");
  private static final Pattern NUMBERS = Pattern.compile("\\p{N}");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private HighAccuracyScorer() {}

  /** Confidences (best 1.0) of the candidates with a model and at least one known n-gram; may be empty. */
  static Map<Language, Double> confidences(String text, Collection<Language> candidates) {
    String clean = WHITESPACE.matcher(NUMBERS.matcher(PUNCTUATION.matcher(text.trim().toLowerCase(Locale.ROOT))
        .replaceAll("")).replaceAll("")).replaceAll(" ");
    int length = clean.length();
    // prefixes[i * MAX_ORDER + k - 1]: hash of the k letters from i (0 where they are not all letters)
    long[] prefixes = new long[length * MAX_ORDER];
    for (int i = 0; i < length; i++) {
      long state = NgramHash.START;
      for (int k = 1; k <= MAX_ORDER && i + k <= length && Character.isLetter(clean.charAt(i + k - 1)); k++) {
        state = NgramHash.extend(state, clean.charAt(i + k - 1));
        prefixes[i * MAX_ORDER + k - 1] = NgramHash.finish(state);
      }
    }
    List<int[]> starts = new ArrayList<>();
    for (int n = 1; n <= MAX_ORDER; n++) {
      starts.add(distinctStarts(prefixes, length, n));
    }
    Map<Language, Double> sums = new TreeMap<>();
    double best = Double.NEGATIVE_INFINITY;
    for (Language language : candidates) {
      NgramTable table = NgramModels.of(language);
      if (table == null) {
        continue;
      }
      double sum = 0;
      int knownLetters = 0; // distinct letters with a unigram in the model: counted in the n = 1 pass
      for (int n = 1; n <= MAX_ORDER; n++) {
        for (int i : starts.get(n - 1)) {
          for (int k = n; k >= 1; k--) {
            double lp = table.logProbability(prefixes[i * MAX_ORDER + k - 1]);
            if (lp < 0) {
              sum += lp;
              knownLetters += n == 1 ? 1 : 0;
              break;
            }
          }
        }
      }
      if (knownLetters > 0) {
        sum /= knownLetters;
      }
      if (sum < 0) {
        sums.put(language, sum);
        best = Math.max(best, sum);
      }
    }
    for (Map.Entry<Language, Double> e : sums.entrySet()) {
      e.setValue(best / e.getValue());
    }
    return sums;
  }

  /** Start positions of the text's distinct all-letter n-grams. */
  private static int[] distinctStarts(long[] prefixes, int length, int n) {
    Set<Long> seen = new HashSet<>();
    int[] starts = new int[Math.max(0, length - n + 1)];
    int count = 0;
    for (int i = 0; i + n <= length; i++) {
      long hash = prefixes[i * MAX_ORDER + n - 1];
      if (hash != 0 && seen.add(hash)) {
        starts[count++] = i;
      }
    }
    return Arrays.copyOf(starts, count);
  }
}

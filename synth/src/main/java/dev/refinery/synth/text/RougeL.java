package dev.refinery.synth.text;

import dev.refinery.core.text.WordSplitter;
import java.util.List;
import java.util.Locale;

/**
 * ROUGE-L F-measure (longest common subsequence of words, beta = 1 as in self-instruct's rouge_scorer use)
 * over CJK-aware, lower-cased words, so Chinese instructions compare character by character.
 */
public final class RougeL {
  private RougeL() {}

  public static List<String> tokens(String text) {
    return WordSplitter.words(text.toLowerCase(Locale.ROOT));
  }

  public static double score(String a, String b) {
    return score(tokens(a), tokens(b));
  }

  public static double score(List<String> a, List<String> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return 0;
    }
    int lcs = lcs(a, b);
    if (lcs == 0) {
      return 0;
    }
    double p = (double) lcs / b.size();
    double r = (double) lcs / a.size();
    return 2 * p * r / (p + r);
  }

  private static int lcs(List<String> a, List<String> b) {
    int[] prev = new int[b.size() + 1];
    int[] cur = new int[b.size() + 1];
    for (int i = 1; i <= a.size(); i++) {
      String x = a.get(i - 1);
      for (int j = 1; j <= b.size(); j++) {
        cur[j] = x.equals(b.get(j - 1)) ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.size()];
  }
}

package dev.refinery.quality.signals;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.createStructField;

import dev.refinery.quality.text.LongCounts;
import dev.refinery.quality.text.PyStrings;
import dev.refinery.quality.text.SubstringHashes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.types.StructField;

/**
 * Gopher repetition signals (Rae et al. 2021, table A1) as datatrove's GopherRepetitionFilter measures
 * them: duplicate paragraphs and lines (by count and by characters), the character share of the most
 * frequent 2-, 3- and 4-gram, and the character share of duplicated 5- to 10-grams. All character
 * fractions are over {@code len(text)} in code points.
 */
public final class GopherRepetition implements SignalFamily {
  public static final int[] TOP_N = {2, 3, 4};
  public static final int[] DUP_N = {5, 6, 7, 8, 9, 10};

  /** topNgramFrac[i] is for n = TOP_N[i], dupNgramFrac[i] for n = DUP_N[i]. */
  public record Signals(double dupParaFrac, double dupParaCharFrac, double dupLineFrac, double dupLineCharFrac,
      double[] topNgramFrac, double[] dupNgramFrac) {}

  public Signals measure(DocumentText doc) {
    String text = doc.text();
    double len = doc.chars();
    List<String> paragraphs = PyStrings.splitRuns(PyStrings.strip(text), '\n', 2);
    long[] para = duplicates(paragraphs);
    List<String> lines = PyStrings.splitRuns(text, '\n', 1);
    long[] line = duplicates(lines);
    List<String> words = doc.words();
    NgramText spaced = new NgramText(words, " ");
    NgramText joined = new NgramText(words, "");
    double[] top = new double[TOP_N.length];
    for (int k = 0; k < TOP_N.length; k++) {
      top[k] = GopherQuality.ratio(topNgramChars(spaced, TOP_N[k]), len);
    }
    double[] dup = new double[DUP_N.length];
    for (int k = 0; k < DUP_N.length; k++) {
      dup[k] = GopherQuality.ratio(duplicatedNgramChars(joined, DUP_N[k]), len);
    }
    return new Signals(GopherQuality.ratio(para[0], paragraphs.size()), GopherQuality.ratio(para[1], len),
        GopherQuality.ratio(line[0], lines.size()), GopherQuality.ratio(line[1], len), top, dup);
  }

  /** {duplicate elements, their characters}: every occurrence after the first counts. */
  static long[] duplicates(List<String> parts) {
    Set<String> seen = new HashSet<>();
    long elements = 0;
    long chars = 0;
    for (String p : parts) {
      if (!seen.add(p)) {
        elements++;
        chars += PyStrings.len(p);
      }
    }
    return new long[] {elements, chars};
  }

  /** Characters of the most frequent n-gram (joined by spaces) times its count; 0 without n-grams. */
  static long topNgramChars(NgramText t, int n) {
    int grams = t.size() - n + 1;
    if (grams <= 0) {
      return 0;
    }
    LongCounts counts = new LongCounts(grams);
    for (int i = 0; i < grams; i++) {
      counts.add(t.hash(i, n));
    }
    int slot = counts.topSlot();
    // find where the winning n-gram first occurred to measure its length
    long key = counts.keyAt(slot);
    for (int i = 0; i < grams; i++) {
      if (t.hash(i, n) == key) {
        return (long) t.chars(i, n) * counts.countAt(slot);
      }
    }
    return 0;
  }

  /** Characters of n-grams (joined without separator) that repeat an earlier one, skipping past each. */
  static long duplicatedNgramChars(NgramText t, int n) {
    int count = t.size();
    LongCounts seen = new LongCounts(Math.max(1, count - n + 1));
    long repeated = 0;
    int idx = 0;
    while (idx < count - n + 1) {
      long h = t.hash(idx, n);
      if (seen.seenBefore(h)) {
        repeated += t.chars(idx, n);
        idx += n;
      } else {
        idx++;
      }
    }
    return repeated;
  }

  /** Words laid out in one string with a separator, for O(1) n-gram fingerprints and lengths. */
  static final class NgramText {
    private final int[] start;
    private final int[] end;
    private final long[] cpBefore;
    private final int sepLen;
    private final SubstringHashes hashes;

    NgramText(List<String> words, String sep) {
      int n = words.size();
      start = new int[n];
      end = new int[n];
      cpBefore = new long[n + 1];
      sepLen = sep.length();
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          b.append(sep);
        }
        start[i] = b.length();
        String w = words.get(i);
        b.append(w);
        end[i] = b.length();
        cpBefore[i + 1] = cpBefore[i] + PyStrings.len(w);
      }
      hashes = new SubstringHashes(b);
    }

    int size() {
      return start.length;
    }

    long hash(int i, int n) {
      return hashes.hash(start[i], end[i + n - 1]);
    }

    /** Length in code points of the n-gram starting at word i (separators included). */
    int chars(int i, int n) {
      return (int) (cpBefore[i + n] - cpBefore[i]) + sepLen * (n - 1);
    }
  }

  @Override
  public List<StructField> columns() {
    List<StructField> c = new ArrayList<>(List.of(
        createStructField("rep_dup_para_frac", DoubleType, true),
        createStructField("rep_dup_para_char_frac", DoubleType, true),
        createStructField("rep_dup_line_frac", DoubleType, true),
        createStructField("rep_dup_line_char_frac", DoubleType, true)));
    for (int n : TOP_N) {
      c.add(createStructField("rep_top_" + n + "gram_char_frac", DoubleType, true));
    }
    for (int n : DUP_N) {
      c.add(createStructField("rep_dup_" + n + "gram_char_frac", DoubleType, true));
    }
    return c;
  }

  @Override
  public Object[] values(DocumentText doc) {
    Signals s = measure(doc);
    Object[] v = new Object[4 + TOP_N.length + DUP_N.length];
    v[0] = s.dupParaFrac();
    v[1] = s.dupParaCharFrac();
    v[2] = s.dupLineFrac();
    v[3] = s.dupLineCharFrac();
    for (int k = 0; k < TOP_N.length; k++) {
      v[4 + k] = s.topNgramFrac()[k];
    }
    for (int k = 0; k < DUP_N.length; k++) {
      v[4 + TOP_N.length + k] = s.dupNgramFrac()[k];
    }
    return v;
  }
}
